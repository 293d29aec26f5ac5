"""Order refunds and status changes on the fake WooCommerce, enforcing what WooCommerce does
(``wc_create_refund`` and the v3 refunds controller):

- ``amount`` is a decimal string, not negative (400 ``woocommerce_rest_invalid_order_refund``)
  and not over the order's total minus earlier refunds ("Invalid refund amount.": 500
  ``woocommerce_rest_cannot_create_order_refund``, nothing written);
- ``api_refund`` (default true) goes through the order's gateway; a gateway that cannot refund
  refuses the whole refund (500, same code, the refund deleted);
- ``line_items`` name the order's line ids with quantities up to what is left of the line.
  Real WooCommerce silently skips an unknown id; this fake refuses it (400), so a request that
  would lose the line record fails the test;
- ``status`` must be one of WooCommerce's statuses (400 ``rest_invalid_param``); WooCommerce
  lets the REST API set any of them, a completed order's cancellation included.

Seed ``orders[id]`` with the order payload (``line_items`` with ids, ``total``). A subclass of
:class:`FakeWooCommerce`: every other route is the base fake's.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from fakes.channels.base import Reply
from fakes.channels.woocommerce import FakeWooCommerce

__all__ = ["STATUSES", "FakeWooCommerceMoney"]

STATUSES = frozenset(
    {"pending", "processing", "on-hold", "completed", "cancelled", "refunded", "failed", "trash"}
)
_DECIMAL = re.compile(r"^\d+(\.\d+)?$")


def _error(status: int, code: str, message: str) -> Reply:
    return Reply(status, {"code": code, "message": message, "data": {"status": status}})


class FakeWooCommerceMoney(FakeWooCommerce):
    def __init__(
        self, key: str = "ck_test", secret: str = "cs_test", products: tuple[str, ...] = ("93",)
    ) -> None:
        super().__init__(key, secret, products=products)
        self.refunds: dict[str, list[dict[str, Any]]] = {}  # order id -> refunds, newest first
        self.refund_posts = 0  # POSTs to /refunds, accepted or not
        self.gateway_refunds = True  # the order's gateway supports automatic refunds
        # Make the next N refunds but answer 500 with an HTML page, as a PHP worker dying
        # after the refund was saved does: the caller cannot know it was made.
        self.lose_next_answers = 0
        self._next_refund = 900

    def _answer(self, method: str, parts: list[str], data: dict[str, Any]) -> Reply:
        if parts[0] == "orders" and len(parts) >= 2:
            order = self.orders.get(parts[1])
            if len(parts) == 3 and parts[2] == "refunds":
                if order is None:
                    return _error(404, "woocommerce_rest_invalid_order_id", "Invalid order ID.")
                if method == "GET":
                    return Reply(200, self.refunds.get(parts[1], []))
                if method == "POST":
                    return self._refund(parts[1], order, data)
            if len(parts) == 2 and method == "GET":
                if order is None:
                    return _error(404, "woocommerce_rest_shop_order_invalid_id", "Invalid ID.")
                return Reply(200, {"id": int(parts[1]), **order})
            if len(parts) == 2 and method == "PUT" and "status" in data:
                if order is None:
                    return _error(404, "woocommerce_rest_shop_order_invalid_id", "Invalid ID.")
                if data["status"] not in STATUSES:
                    return _error(400, "rest_invalid_param", "Invalid parameter(s): status")
        return super()._answer(method, parts, data)

    def _refund(self, order_id: str, order: dict[str, Any], data: dict[str, Any]) -> Reply:
        self.refund_posts += 1
        amount = data.get("amount")
        if not isinstance(amount, str) or not _DECIMAL.match(amount):
            return _error(400, "rest_invalid_param", "Invalid parameter(s): amount")
        earlier = sum(Decimal(r["amount"]) for r in self.refunds.get(order_id, []))
        if Decimal(amount) > Decimal(str(order["total"])) - earlier:
            return _error(
                500, "woocommerce_rest_cannot_create_order_refund", "Invalid refund amount."
            )
        items = {
            str(i["id"]): i
            for i in [*order.get("line_items", []), *order.get("shipping_lines", [])]
        }
        refunded_q: dict[str, int] = {}
        for r in self.refunds.get(order_id, []):
            for li in r["line_items"]:
                key = str(li["id"])
                refunded_q[key] = refunded_q.get(key, 0) + abs(int(li.get("quantity") or 0))
        lines = data.get("line_items") or []
        if not isinstance(lines, list):
            return _error(400, "rest_invalid_param", "Invalid parameter(s): line_items")
        for li in lines:
            item = items.get(str(li.get("id")))
            if item is None:
                return _error(400, "fake_unknown_line_item", f"No line item {li.get('id')}.")
            q = int(li.get("quantity") or 0)
            left = int(item.get("quantity") or 0) - refunded_q.get(str(li["id"]), 0)
            if "quantity" in item and q > left:
                return _error(400, "fake_quantity_exceeds", f"Line {li['id']}: {q} > {left}.")
            for value in [li.get("refund_total", "0")] + [
                t.get("refund_total") for t in li.get("refund_tax") or []
            ]:
                if not isinstance(value, str) or not _DECIMAL.match(value):
                    return _error(400, "rest_invalid_param", "Invalid parameter(s): line_items")
        if data.get("api_refund", True) is not False and not self.gateway_refunds:
            return _error(
                500,
                "woocommerce_rest_cannot_create_order_refund",
                "The payment gateway for this order does not support automatic refunds.",
            )
        self._next_refund += 1
        refund = {
            "id": self._next_refund,
            "amount": amount,
            "reason": data.get("reason") or "",
            "refunded_payment": data.get("api_refund", True) is not False,
            "meta_data": [
                {"id": n + 1, "key": m["key"], "value": m["value"]}
                for n, m in enumerate(data.get("meta_data") or [])
            ],
            "line_items": [
                {"id": int(li["id"]), "quantity": -int(li.get("quantity") or 0)} for li in lines
            ],
            "api_restock": data.get("api_restock", True),
        }
        self.refunds.setdefault(order_id, []).insert(0, refund)
        total = Decimal(str(order["total"]))
        if earlier + Decimal(amount) >= total:
            order["status"] = "refunded"
        if self.lose_next_answers:
            self.lose_next_answers -= 1
            return Reply(500, "<html>Internal Server Error</html>")
        return Reply(201, refund)
