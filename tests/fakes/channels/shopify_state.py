"""The fake Shopify's shop: inventory levels with ``changeFromQuantity`` compare-and-set,
orders with fulfilment orders (paged as asked), sale transactions, refunds no larger than
what was paid, and cancellation refused once anything is fulfilled."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

__all__ = ["Shop", "gid"]


def gid(kind: str, value: str) -> str:
    return value if value.startswith("gid://") else f"gid://shopify/{kind}/{value}"


def _page(items: list[Any], first: int, after: str | None) -> tuple[list[Any], dict[str, Any]]:
    start = int(after or 0)
    page = items[start : start + first]
    end = start + len(page)
    return page, {"hasNextPage": end < len(items), "endCursor": str(end)}


class Shop:
    def __init__(self) -> None:
        self.levels: dict[tuple[str, str], int] = {}
        self.orders: dict[str, dict[str, Any]] = {}
        self.fulfillments: list[dict[str, Any]] = []
        self.refunds: list[dict[str, Any]] = []
        self.cancelled: list[dict[str, Any]] = []
        self.variants: list[tuple[str, str]] = []  # (sku, inventory item id), paged by 2

    # --- set-up ----------------------------------------------------------------------------
    def add_order(
        self,
        order_id: str,
        lines: list[tuple[Any, ...]],
        *,
        paid: str = "100.00",
        gateway: str = "shopify_payments",
        per_fulfilment_order: int | None = None,
        location: str = "1001",
    ) -> None:
        """An order Shopify knows: ``lines`` are (sku or None, quantity[, line id]); line ids
        default to those of ``channel_support.shopify_order`` (10**18 + i). Its lines are
        split into fulfilment orders of ``per_fulfilment_order`` lines (all in one by
        default)."""
        order = gid("Order", order_id)
        items = [
            {
                "id": gid("LineItem", str(line[2] if len(line) > 2 else 10**18 + i)),
                "sku": line[0],
                "quantity": int(line[1]),
                "index": i,
            }
            for i, line in enumerate(lines)
        ]
        size = per_fulfilment_order or max(1, len(items))
        fos = []
        for n, start in enumerate(range(0, len(items), size)):
            fos.append(
                {
                    "id": f"gid://shopify/FulfillmentOrder/{order_id}{n + 1}",
                    "status": "OPEN",
                    "location": gid("Location", location),
                    "lines": [
                        {
                            "id": f"gid://shopify/FulfillmentOrderLineItem/{order_id}{it['index']}",
                            "line": it,
                            "remaining": it["quantity"],
                        }
                        for it in items[start : start + size]
                    ],
                }
            )
        self.orders[order] = {
            "id": order,
            "lines": items,
            "fulfillment_orders": fos,
            "transactions": [
                {
                    "id": f"gid://shopify/OrderTransaction/{order_id}1",
                    "kind": "SALE",
                    "status": "SUCCESS",
                    "gateway": gateway,
                    "amount": Decimal(paid),
                }
            ],
            "refunded": Decimal("0"),
            "refunded_lines": {it["id"]: 0 for it in items},
            "cancelled_at": None,
        }

    def fulfillment_orders_of(self, order_id: str) -> list[dict[str, Any]]:
        return list(self.orders[gid("Order", order_id)]["fulfillment_orders"])

    # --- inventory -------------------------------------------------------------------------
    def set_quantities(self, data: dict[str, Any]) -> tuple[dict[str, Any], bool]:
        """(the payload, whether anything changed)."""
        if data.get("name") != "available":
            return _user_error("INVALID_NAME", ["input", "name"], "Invalid name."), False
        quantities = data["quantities"]
        for i, q in enumerate(quantities):
            field = ["input", "quantities", str(i), "changeFromQuantity"]
            if "changeFromQuantity" not in q:
                message = "changeFromQuantity is required (null skips the check)."
                return _user_error("COMPARE_QUANTITY_REQUIRED", field, message), False
            current = self.levels.get((q["inventoryItemId"], q["locationId"]), 0)
            if q["changeFromQuantity"] is not None and q["changeFromQuantity"] != current:
                message = "The changeFromQuantity value does not match persisted value."
                return _user_error("CHANGE_FROM_QUANTITY_STALE", field, message), False
        changes = []
        for q in quantities:
            key = (q["inventoryItemId"], q["locationId"])
            changes.append({"name": "available", "delta": q["quantity"] - self.levels.get(key, 0)})
            self.levels[key] = q["quantity"]
        payload = {
            "inventoryAdjustmentGroup": {"reason": data.get("reason"), "changes": changes},
            "userErrors": [],
        }
        return payload, True

    def level_answer(self, item: str, location: str) -> dict[str, Any]:
        q = self.levels.get((item, location))
        level = {"quantities": [{"name": "available", "quantity": q}]} if q is not None else None
        return {"inventoryItem": {"inventoryLevel": level}}

    def variants_page(self, after: str | None) -> dict[str, Any]:
        page, info = _page(self.variants, 2, after)
        nodes = [{"sku": s, "inventoryItem": {"id": gid("InventoryItem", i)}} for s, i in page]
        return {"productVariants": {"nodes": nodes, "pageInfo": info}}

    # --- fulfilment ------------------------------------------------------------------------
    @staticmethod
    def _lines(fo: dict[str, Any], first: int, after: str | None) -> dict[str, Any]:
        page, info = _page(fo["lines"], first, after)
        nodes = [
            {
                "id": li["id"],
                "sku": li["line"]["sku"],
                "remainingQuantity": li["remaining"],
                "lineItem": {"id": li["line"]["id"]},
            }
            for li in page
        ]
        return {"nodes": nodes, "pageInfo": info}

    def fulfillment_orders(
        self, order_id: str, first: int, after: str | None, lines_first: int
    ) -> dict[str, Any]:
        order = self.orders.get(order_id)
        if order is None:
            return {"order": None}
        page, info = _page(order["fulfillment_orders"], first, after)
        nodes = [
            {
                "id": fo["id"],
                "status": fo["status"],
                "assignedLocation": {"location": {"id": fo["location"]}},
                "lineItems": self._lines(fo, lines_first, None),
            }
            for fo in page
        ]
        return {"order": {"fulfillmentOrders": {"nodes": nodes, "pageInfo": info}}}

    def fulfillment_order_lines(self, fo_id: str, first: int, after: str | None) -> dict[str, Any]:
        for order in self.orders.values():
            for fo in order["fulfillment_orders"]:
                if fo["id"] == fo_id:
                    return {"fulfillmentOrder": {"lineItems": self._lines(fo, first, after)}}
        return {"fulfillmentOrder": None}

    def create_fulfillment(self, f: dict[str, Any]) -> tuple[dict[str, Any], bool]:
        wanted = {g["fulfillmentOrderId"]: g for g in f["lineItemsByFulfillmentOrder"]}
        found = {
            fo["id"]: fo
            for order in self.orders.values()
            for fo in order["fulfillment_orders"]
            if fo["id"] in wanted
        }
        errors = []
        for fo_id in wanted:
            fo = found.get(fo_id)
            if fo is None or fo["status"] not in ("OPEN", "IN_PROGRESS"):
                errors.append({"field": ["fulfillment"], "message": f"{fo_id} is not open."})
        if len({fo["location"] for fo in found.values()}) > 1:
            errors.append({"field": ["fulfillment"], "message": "One location at a time."})
        for fo_id, group in wanted.items():
            by_id = {li["id"]: li for li in found[fo_id]["lines"]} if fo_id in found else {}
            for item in group.get("fulfillmentOrderLineItems") or []:
                li = by_id.get(item["id"])
                if li is None or item["quantity"] > li["remaining"]:
                    errors.append({"field": ["fulfillment"], "message": "Invalid quantity."})
        if errors:
            return {"fulfillment": None, "userErrors": errors}, False
        for fo_id, group in wanted.items():
            fo = found[fo_id]
            by_id = {li["id"]: li for li in fo["lines"]}
            for item in group.get("fulfillmentOrderLineItems") or []:
                by_id[item["id"]]["remaining"] -= item["quantity"]
            left = sum(li["remaining"] for li in fo["lines"])
            fo["status"] = "CLOSED" if left == 0 else "IN_PROGRESS"
        self.fulfillments.append(f)
        made = {"id": f"gid://shopify/Fulfillment/{len(self.fulfillments)}", "status": "SUCCESS"}
        return {"fulfillment": made, "userErrors": []}, True

    # --- money -----------------------------------------------------------------------------
    def payments(self, order_id: str) -> dict[str, Any]:
        order = self.orders.get(order_id)
        if order is None:
            return {"order": None}
        return {
            "order": {
                "id": order["id"],
                "cancelledAt": order["cancelled_at"],
                "lineItems": {
                    "nodes": [{"id": li["id"], "sku": li["sku"]} for li in order["lines"]]
                },
                "transactions": [
                    {
                        "id": t["id"],
                        "kind": t["kind"],
                        "status": t["status"],
                        "gateway": t["gateway"],
                        "amountSet": {
                            "shopMoney": {"amount": str(t["amount"]), "currencyCode": "USD"}
                        },
                    }
                    for t in order["transactions"]
                ],
            }
        }

    def refund(self, data: dict[str, Any]) -> tuple[dict[str, Any], bool]:
        order = self.orders.get(data["orderId"])
        if order is None:
            return {"refund": None, "userErrors": [_err(["orderId"], "Order not found.")]}, False
        sales = {t["id"]: t for t in order["transactions"] if t["kind"] == "SALE"}
        paid = sum((t["amount"] for t in sales.values()), Decimal("0"))
        money = sum((Decimal(t["amount"]) for t in data.get("transactions") or []), Decimal("0"))
        for t in data.get("transactions") or []:
            if t["kind"] != "REFUND" or t.get("parentId") not in sales:
                return {
                    "refund": None,
                    "userErrors": [_err(["transactions"], "Bad parent.")],
                }, False
            if t["gateway"] != sales[t["parentId"]]["gateway"]:
                return {
                    "refund": None,
                    "userErrors": [_err(["transactions"], "Bad gateway.")],
                }, False
        if order["refunded"] + money > paid:
            message = (
                f"Refund amount {money} exceeds the refundable amount {paid - order['refunded']}."
            )
            return {"refund": None, "userErrors": [_err(["transactions"], message)]}, False
        by_id = {li["id"]: li for li in order["lines"]}
        for item in data.get("refundLineItems") or []:
            li = by_id.get(item["lineItemId"])
            done = order["refunded_lines"].get(item["lineItemId"], 0)
            if li is None or done + item["quantity"] > li["quantity"]:
                message = "Refund quantity exceeds the line's quantity."
                return {"refund": None, "userErrors": [_err(["refundLineItems"], message)]}, False
            if item.get("restockType") == "RETURN" and not item.get("locationId"):
                message = "A restocked line needs a location."
                return {"refund": None, "userErrors": [_err(["refundLineItems"], message)]}, False
        for item in data.get("refundLineItems") or []:
            order["refunded_lines"][item["lineItemId"]] += item["quantity"]
        order["refunded"] += money
        self.refunds.append(data)
        refund = {
            "id": f"gid://shopify/Refund/{len(self.refunds)}",
            "totalRefundedSet": {"shopMoney": {"amount": str(money), "currencyCode": "USD"}},
        }
        return {"refund": refund, "userErrors": []}, True

    def cancel(self, variables: dict[str, Any]) -> tuple[dict[str, Any], bool]:
        order = self.orders.get(variables["orderId"])
        if order is None:
            return _cancel_error("NOT_FOUND", "Order not found."), False
        if order["cancelled_at"]:
            return _cancel_error("INVALID", "Order has already been cancelled."), False
        shipped = any(
            li["remaining"] < li["line"]["quantity"]
            for fo in order["fulfillment_orders"]
            for li in fo["lines"]
        )
        if shipped:
            return _cancel_error("INVALID", "Cannot cancel an order with fulfillments."), False
        order["cancelled_at"] = "2026-12-03T12:00:00Z"
        for fo in order["fulfillment_orders"]:
            fo["status"] = "CANCELLED"
        self.cancelled.append(variables)
        return {"job": {"id": "gid://shopify/Job/1"}, "orderCancelUserErrors": []}, True


def _err(field: list[str], message: str) -> dict[str, Any]:
    return {"field": ["input", *field], "message": message}


def _user_error(code: str, field: list[str], message: str) -> dict[str, Any]:
    return {
        "inventoryAdjustmentGroup": None,
        "userErrors": [{"code": code, "field": field, "message": message}],
    }


def _cancel_error(code: str, message: str) -> dict[str, Any]:
    return {
        "job": None,
        "orderCancelUserErrors": [{"code": code, "field": ["orderId"], "message": message}],
    }
