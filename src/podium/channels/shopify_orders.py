"""Shopify orders from Podium's side: report a shipment as a fulfilment (by the platform's
line ids), push a Podium refund (``refundCreate``) and a cancellation (``orderCancel``)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from podium.channels.connector import Fulfilment, PlatformError, RefundPush
from podium.channels.settings import ShopifySettings
from podium.channels.shopify_carriers import shopify_company
from podium.channels.shopify_graphql import gid
from podium.money import InvalidMoney, format_amount, parse_amount

__all__ = ["cancel", "cancel_reason", "mark_shipped", "refund"]

# (the document's name in shopify_graphql.DOCUMENTS, variables) -> data
Call = Callable[[str, dict[str, Any]], dict[str, Any]]

_FULFILLABLE = ("OPEN", "IN_PROGRESS")


def _open_fulfilment_orders(call: Call, external_id: str) -> list[dict[str, Any]]:
    """The order's fulfilment orders that can still be fulfilled, each with every line
    (both lists paged: a query may ask for at most 1,000 points)."""
    found: list[dict[str, Any]] = []
    after: str | None = None
    while True:
        data = call("fulfilmentOrders", {"id": gid("Order", external_id), "after": after})
        if data.get("order") is None:
            raise PlatformError(f"Shopify has no order {external_id}.")
        page = data["order"].get("fulfillmentOrders") or {}
        for fo in page.get("nodes") or []:
            if fo.get("status") not in _FULFILLABLE:
                continue
            items = fo.get("lineItems") or {}
            lines = list(items.get("nodes") or [])
            info = items.get("pageInfo") or {}
            while info.get("hasNextPage"):
                more = call("fulfilmentOrderLines", {"id": fo["id"], "after": info["endCursor"]})
                items = (more.get("fulfillmentOrder") or {}).get("lineItems") or {}
                lines.extend(items.get("nodes") or [])
                info = items.get("pageInfo") or {}
            location = ((fo.get("assignedLocation") or {}).get("location") or {}).get("id")
            found.append({"id": fo["id"], "location": location, "lines": lines})
        info = page.get("pageInfo") or {}
        if not info.get("hasNextPage"):
            return found
        after = info.get("endCursor")


def _wanted(f: Fulfilment) -> tuple[bool, dict[str, int]]:
    """What to fulfil: by the order's line ids when the shipment names them, else by SKU."""
    wanted: dict[str, int] = defaultdict(int)
    if f.line_items:
        for line_id, quantity in f.line_items:
            wanted[gid("LineItem", line_id)] += quantity
        return True, wanted
    for sku, quantity, _ in f.lines:
        wanted[sku] += quantity
    return False, wanted


def _groups(f: Fulfilment, orders: list[dict[str, Any]]) -> dict[str | None, list[Any]]:
    by_line, wanted = _wanted(f)
    groups: dict[str | None, list[Any]] = defaultdict(list)
    for fo in orders:
        items = []
        for li in fo["lines"]:
            key = ((li.get("lineItem") or {}).get("id")) if by_line else li.get("sku")
            take = min(wanted.get(key or "", 0), int(li.get("remainingQuantity") or 0))
            if key and take > 0:
                items.append({"id": li["id"], "quantity": take})
                wanted[key] -= take
        if items:
            groups[fo["location"]].append(
                {"fulfillmentOrderId": fo["id"], "fulfillmentOrderLineItems": items}
            )
    return groups


def tracking_info(f: Fulfilment) -> dict[str, Any]:
    """Shopify's tracking input: the company only under a name Shopify knows (it then links
    the number itself); the URL only with a number, as Shopify asks."""
    info: dict[str, Any] = {}
    if f.tracking_number:
        info["number"] = f.tracking_number
        company = shopify_company(f.carrier_name) or shopify_company(f.carrier)
        if company:
            info["company"] = company
        if f.tracking_url:
            info["url"] = f.tracking_url
    return info


def mark_shipped(call: Call, f: Fulfilment) -> None:
    groups = _groups(f, _open_fulfilment_orders(call, f.external_id))
    if not groups:
        raise PlatformError(f"Shopify order {f.external_id} has nothing left to fulfil.")
    # One fulfilment per location: Shopify fulfils fulfilment orders of one location at once.
    for by_order in groups.values():
        variables = {
            "fulfillment": {
                "lineItemsByFulfillmentOrder": by_order,
                "trackingInfo": tracking_info(f),
                "notifyCustomer": True,
            },
            "message": f"Podium shipment {f.shipment_id}" if f.shipment_id else None,
        }
        result = call("fulfillmentCreate", variables)
        errors = (result.get("fulfillmentCreate") or {}).get("userErrors") or []
        if errors:
            raise PlatformError(f"Shopify refused the fulfilment: {errors[0].get('message')}")


def _order(call: Call, external_id: str) -> dict[str, Any]:
    data = call("orderPayments", {"id": gid("Order", external_id)})
    order = data.get("order")
    if not isinstance(order, dict):
        raise PlatformError(f"Shopify has no order {external_id}.")
    return order


def _money(node: dict[str, Any]) -> str:
    return str(((node.get("amountSet") or {}).get("shopMoney") or {}).get("amount") or "0")


def _minor(amount: str, currency: str) -> int:
    try:
        return parse_amount(amount, currency)
    except InvalidMoney:
        return 0


def _transactions(order: dict[str, Any], push: RefundPush) -> list[dict[str, Any]]:
    """The refund's money, taken back from the order's successful sales in turn (a split
    payment is refunded over its parts), each no more than that sale took."""
    sales = [
        t
        for t in order.get("transactions") or []
        if t.get("kind") in ("SALE", "CAPTURE") and t.get("status") == "SUCCESS"
    ]
    if push.amount > 0 and not sales:
        raise PlatformError(f"Shopify order {push.external_id} has no payment to refund.")
    left, out = push.amount, []
    for i, sale in enumerate(sales):
        if left <= 0:
            break
        paid = _minor(_money(sale), push.currency)
        take = left if i == len(sales) - 1 else min(left, paid)
        if take <= 0:
            continue
        out.append(
            {
                "orderId": order["id"],
                "parentId": sale["id"],
                "gateway": sale.get("gateway") or "manual",
                "kind": "REFUND",
                "amount": format_amount(take, push.currency),
            }
        )
        left -= take
    return out


def refund(call: Call, s: ShopifySettings, push: RefundPush) -> str:
    order = _order(call, push.external_id)
    ids_by_sku: dict[str, str] = {}
    for li in (order.get("lineItems") or {}).get("nodes") or []:
        if li.get("sku"):
            ids_by_sku.setdefault(str(li["sku"]), str(li["id"]))
    lines = []
    for line in push.lines:
        line_id = line.line_id or ids_by_sku.get(line.sku)
        if line_id is None:
            raise PlatformError(f"Shopify order {push.external_id} has no line for {line.sku}.")
        entry: dict[str, Any] = {
            "lineItemId": gid("LineItem", line_id),
            "quantity": line.quantity,
            "restockType": "RETURN" if line.restock else "NO_RESTOCK",
        }
        if line.restock:
            entry["locationId"] = gid("Location", s.location_id)
        lines.append(entry)
    refund_input: dict[str, Any] = {
        "orderId": order["id"],
        "refundLineItems": lines,
        "transactions": _transactions(order, push),
        "notify": False,
    }
    if push.shipping > 0:
        refund_input["shipping"] = {"amount": format_amount(push.shipping, push.currency)}
    if push.note:
        refund_input["note"] = push.note[:255]
    variables = {"input": refund_input, "key": f"podium-refund-{push.refund_id}"}
    data = call("refundCreate", variables)
    result = data.get("refundCreate") or {}
    errors = result.get("userErrors") or []
    if errors:
        raise PlatformError(f"Shopify refused the refund: {errors[0].get('message')}")
    made = result.get("refund") or {}
    if not made.get("id"):
        raise PlatformError("Shopify answered the refund without a refund id.")
    # The bare id, as the ``refunds/create`` webhook names the same refund: its echo then
    # finds the Podium refund it came from instead of being recorded a second time.
    return str(made["id"]).rsplit("/", 1)[-1]


_REASONS = (
    ("FRAUD", r"fraud|risk|chargeback"),
    ("DECLINED", r"declin|payment|card"),
    ("INVENTORY", r"stock|inventory|shortage|backorder"),
    ("CUSTOMER", r"customer|buyer|shopper|request"),
    ("STAFF", r"staff|mistake|error|duplicate|test"),
)


def cancel_reason(reason: str) -> str:
    """Shopify's ``OrderCancelReason`` for Podium's free-text reason."""
    text = reason.lower()
    return next((code for code, pattern in _REASONS if re.search(pattern, text)), "OTHER")


def cancel(call: Call, external_id: str, reason: str) -> None:
    """Cancel without refunding (Podium's refunds reach Shopify on their own) and put the
    units Shopify committed to the order back; an order already cancelled is left as it is."""
    variables = {
        "orderId": gid("Order", external_id),
        "reason": cancel_reason(reason),
        "restock": True,
        "staffNote": f"Cancelled in Podium: {reason}"[:255],
    }
    data = call("orderCancel", variables)
    errors = (data.get("orderCancel") or {}).get("orderCancelUserErrors") or []
    if not errors:
        return
    if _order(call, external_id).get("cancelledAt"):
        return  # cancelled already (in Shopify's admin, or by an earlier attempt)
    raise PlatformError(f"Shopify refused to cancel the order: {errors[0].get('message')}")
