"""Editing an order before it ships: quantities, lines added or removed, the address, totals.

One transaction: the order's open shipments are cancelled and their reservations released,
routing re-plans every unit against current stock (through ``orders.allocator``), the new plan
is reserved, totals are recomputed, and an ``order.edited`` timeline entry records before and after.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Literal

from pydantic import Field, StrictInt
from sqlalchemy import Connection

from podium import catalog, inventory, shipments
from podium.db.database import Database
from podium.errors import Conflict, InsufficientStock, ValidationFailed
from podium.geo import Coordinates, Geocoder
from podium.inventory import MAX_QUANTITY, Movement, MovementKind
from podium.money import MAX_MINOR, InvalidMoney, format_amount, parse_amount
from podium.orders import _store as store
from podium.orders import journal
from podium.orders.allocator import Allocator, Want
from podium.orders.events import OrderEdited
from podium.orders.holds import open_holds, put_on_hold, release_holds
from podium.orders.lifecycle import get_order, locked_order
from podium.orders.model import OrderView, order_total, taxes_included_of
from podium.orders.placement import coordinates_of
from podium.orders.screening import address_key, recheck_address
from podium.orders.status import HoldReason, OrderStatus, change_status
from podium.orders.timeline import add_timeline
from podium.shipments import OPEN_STATUSES, ShipmentStatus, check_shipment_transition
from podium.validation import Address, Input, MoneyString, Sku

__all__ = [
    "EDITABLE",
    "EditLineIn",
    "OrderEditIn",
    "edit_in_transaction",
    "edit_order",
    "locate",
]

EDITABLE = frozenset({OrderStatus.READY, OrderStatus.ON_HOLD})


class EditLineIn(Input):
    sku: Sku
    quantity: StrictInt = Field(ge=0, le=MAX_QUANTITY, description="0 removes the line.")
    unit_price: MoneyString | None = Field(default=None, description="Required for a new SKU.")


class OrderEditIn(Input):
    lines: list[EditLineIn] = Field(default_factory=list, max_length=500)
    shipping_address: Address | None = None
    shipping_total: MoneyString | None = None
    tax_total: MoneyString | None = None
    discount_total: MoneyString | None = None
    on_shortage: Literal["reject", "backorder"] = "reject"
    note: str | None = Field(default=None, max_length=1000)


def _money(value: str, currency: str, field: str) -> int:
    try:
        return parse_amount(value, currency)
    except InvalidMoney as exc:
        raise ValidationFailed(
            f"{field}: {exc.message}", code=exc.code, details={"field": field}
        ) from exc


def _release(conn: Connection, order: Any, actor: str) -> list[dict[str, Any]]:
    ships = [
        s
        for s in shipments.shipments_for_orders(conn, [order["id"]])
        if s.status != ShipmentStatus.CANCELLED
    ]
    if any(ShipmentStatus(s.status) not in OPEN_STATUSES for s in ships):
        raise Conflict(
            f"Order {order['number']} has shipped units; only unshipped orders can be edited.",
            code="order_not_editable",
            details={"status": order["status"]},
        )
    lines = shipments.lines_for(conn, [s.id for s in ships])
    warehouse = {s.id: s.warehouse for s in ships}
    inventory.apply(
        conn,
        [
            Movement(
                ln.sku,
                warehouse[ln.shipment_id],
                MovementKind.RELEASE,
                0,
                -ln.quantity,
                "order_edited",
                order["number"],
            )
            for ln in lines
        ],
        actor,
    )
    for s in ships:
        check_shipment_transition(s.status, ShipmentStatus.CANCELLED)
        shipments.update_shipment(conn, s.id, {"status": ShipmentStatus.CANCELLED.value})
    return [{"warehouse": s.warehouse, "id": s.id} for s in ships]


def _snapshot(order: Any, lines: list[dict[str, Any]]) -> dict[str, Any]:
    cur = order["currency"]
    return {
        "lines": [
            {"sku": ln["sku"], "quantity": ln["quantity"] - ln["quantity_cancelled"]}
            for ln in lines
            if ln["quantity"] > ln["quantity_cancelled"]
        ],
        "shipping_address": dict(order["shipping_address"]),
        "total": format_amount(order["total"], cur),
    }


def edit_order(
    db: Database, order_id: str, data: OrderEditIn, actor: str, *, allocator: Allocator
) -> OrderView:
    """Edit without settling money; callers that hold gateways use ``returns.edits`` so a
    lowered total is refunded in the same transaction."""
    destination = locate(data, allocator.geocoder)
    with db.write() as conn:
        edit_in_transaction(conn, order_id, data, actor, destination, allocator)
    return get_order(db, order_id)


def locate(data: OrderEditIn, geocoder: Geocoder) -> Coordinates | None:
    """Where a new address is, found before the transaction (a geocoder may be slow)."""
    if data.shipping_address is None:
        return None
    return coordinates_of(data.shipping_address, geocoder)


def edit_in_transaction(
    conn: Connection,
    order_id: str,
    data: OrderEditIn,
    actor: str,
    destination: Coordinates | None,
    allocator: Allocator,
) -> None:
    order = locked_order(conn, order_id)
    if OrderStatus(order["status"]) not in EDITABLE:
        raise Conflict(
            f"An order that is {order['status']} cannot be edited.",
            code="order_not_editable",
            details={"status": order["status"]},
        )
    cur = order["currency"]
    before_lines = [dict(ln) for ln in store.lines(conn, [order_id])]
    before = _snapshot(order, before_lines)
    _release(conn, order, actor)
    lines = {ln["line_no"]: dict(ln) for ln in before_lines}
    by_sku = {ln["sku"]: ln for ln in lines.values() if ln["quantity"] > ln["quantity_cancelled"]}
    new_skus = [e.sku for e in data.lines if e.sku not in by_sku and e.quantity > 0]
    products = catalog.cached_products(conn, new_skus)
    next_no = max(lines, default=0) + 1
    for i, e in enumerate(data.lines):
        line = by_sku.get(e.sku)
        price = _money(e.unit_price, cur, f"lines.{i}.unit_price") if e.unit_price else None
        if line is not None:
            if e.quantity == 0:
                line["quantity_cancelled"] = line["quantity"]
            else:
                line["quantity"] = line["quantity_cancelled"] + e.quantity
            if price is not None:
                line["unit_price"] = price
            continue
        if e.quantity == 0:
            continue
        if e.sku not in products:
            raise ValidationFailed(
                f"Unknown SKU {e.sku}.",
                code="unknown_sku",
                details={"field": f"lines.{i}.sku", "sku": e.sku},
            )
        if price is None:
            raise ValidationFailed(
                f"A new line for {e.sku} needs a unit_price.",
                code="unit_price_required",
                details={"field": f"lines.{i}.unit_price"},
            )
        lines[next_no] = by_sku[e.sku] = {
            "order_id": order_id,
            "line_no": next_no,
            "sku": e.sku,
            "name": products[e.sku].name,
            "quantity": e.quantity,
            "unit_price": price,
            "quantity_cancelled": 0,
            "new": True,
        }
        next_no += 1
    live = [ln for ln in lines.values() if ln["quantity"] > ln["quantity_cancelled"]]
    if not live:
        raise ValidationFailed(
            "An order keeps at least one line; cancel it instead.",
            code="no_lines_left",
            details={"field": "lines"},
        )
    values: dict[str, Any] = {}
    for field in ("shipping_total", "tax_total", "discount_total"):
        raw = getattr(data, field)
        if raw is not None:
            values[field] = _money(raw, cur, field)
    subtotal = sum(ln["unit_price"] * (ln["quantity"] - ln["quantity_cancelled"]) for ln in live)
    shipping = values.get("shipping_total", order["shipping_total"])
    tax = values.get("tax_total", order["tax_total"])
    discount = values.get("discount_total", order["discount_total"])
    # Prices that included the tax still do (an edit keeps the order's kind of pricing).
    total = order_total(subtotal, shipping, tax, discount, taxes_included=taxes_included_of(order))
    if not 0 <= total <= MAX_MINOR:
        raise ValidationFailed(
            "The edited order's total would be out of range.",
            code="invalid_money",
            details={"field": "discount_total"},
        )
    values.update(subtotal=subtotal, total=total)
    if data.shipping_address is not None:
        values["shipping_address"] = data.shipping_address.model_dump(exclude_none=True)
        values["destination_latitude"] = destination.latitude if destination else None
        values["destination_longitude"] = destination.longitude if destination else None
        values["address_key"] = address_key(values["shipping_address"])
    else:
        lat, lon = order["destination_latitude"], order["destination_longitude"]
        destination = Coordinates(lat, lon) if lat is not None and lon is not None else None
    for ln in lines.values():
        if ln.pop("new", False):
            store.insert_lines(conn, [ln])
        else:
            store.update_line(
                conn,
                order_id,
                ln["line_no"],
                {k: ln[k] for k in ("quantity", "quantity_cancelled", "unit_price")},
            )
    store.update_order(conn, order_id, values)
    channel = catalog.cached_channel(conn, order["channel"])
    if channel is None:
        raise RuntimeError(f"channel {order['channel']} of order {order_id} not found")
    demand: dict[str, int] = defaultdict(int)
    wants = []
    for ln in live:
        q = ln["quantity"] - ln["quantity_cancelled"]
        demand[ln["sku"]] += q
        wants.append(Want(ln["line_no"], ln["sku"], q))
    plan = allocator.plan(conn, channel, demand, destination)
    preorder = None  # an edit short of stock may become a pre-order within the cap
    if plan.shortages and allocator.preorders is not None:
        preorder = allocator.preorders.promise(conn, channel.code, plan.shortages)
    if preorder is not None:
        store.update_order(conn, order_id, {"promised_date": preorder})
        journal.add_entry(
            conn,
            order_id,
            "order.preordered",
            f"Pre-order: {sum(plan.shortages.values())} unit(s) sold ahead of incoming stock, "
            f"promised for {preorder.isoformat()}.",
            {"promised_date": preorder.isoformat(), "short": dict(plan.shortages)},
            actor,
        )
    if plan.shortages and data.on_shortage == "reject" and preorder is None:
        raise InsufficientStock(
            "Not enough stock for the edited order.",
            details={
                "lines": [
                    {"sku": sku, "requested": demand[sku], "available": demand[sku] - short}
                    for sku, short in sorted(plan.shortages.items())
                ]
            },
        )
    allocated = allocator.reserve_and_ship(conn, order_id, order["number"], wants, plan, actor)
    holds = open_holds(conn, [order_id])
    backorder = [h for h in holds if h.reason == HoldReason.BACKORDER]
    if plan.shortages and not backorder:
        # The edit's own entry and event say what changed (no separate order.held).
        put_on_hold(
            conn,
            order,
            HoldReason.BACKORDER.value,
            "waiting for stock",
            actor=actor,
            announce=False,
        )
    elif not plan.shortages and backorder:
        release_holds(conn, order_id, actor, backorder)
        if len(backorder) == len(holds):
            change_status(conn, order_id, order["status"], OrderStatus.READY)
    if data.shipping_address is not None:  # an address hold goes once the address is right
        recheck_address(
            conn,
            order_id,
            values["shipping_address"],
            allocator.screening,
            allocator.geocoder,
            actor=actor,
        )
    after_order = store.order(conn, order_id)
    if after_order is None:
        raise RuntimeError(f"order {order_id} not found after it was edited")
    after = _snapshot(after_order, [dict(ln) for ln in store.lines(conn, [order_id])])
    add_timeline(
        conn, order_id, [allocator.routing_entry(plan, allocated.shipment_ids, destination)], actor
    )
    journal.record(
        conn,
        after_order,
        actor,
        "order.edited",
        f"Order {order['number']} edited"
        + (f": {data.note}" if data.note else "")
        + f" (total {cur} {before['total']} → {after['total']}).",
        {"before": before, "after": after},
        event=OrderEdited(
            id=after_order["id"],
            number=after_order["number"],
            before=before,
            after=after,
            total=after["total"],
            currency=cur,
        ),
    )
