"""After placement: reading, cancelling, holding and releasing orders, notes, status sync."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import Connection

from podium import catalog, shipments
from podium.db.database import Database, as_utc
from podium.db.tables import orders
from podium.errors import Conflict, InvalidTransition, NotFound
from podium.orders import _store as store
from podium.orders import journal
from podium.orders.allocator import Allocator
from podium.orders.events import STATUS_EVENTS
from podium.orders.handover import handed_over_of
from podium.orders.holds import open_holds, put_on_hold, release_holds, risk_decision
from podium.orders.model import HoldIn, NoteIn, OrderView, TimelineEntry
from podium.orders.queue import QueueQuery, order_number, orders_page
from podium.orders.status import (
    HoldReason,
    OrderStatus,
    change_status,
    derive_fulfilment_status,
)
from podium.orders.timeline import TimelineRow, add_timeline, timeline_rows
from podium.orders.views import order_views
from podium.paging import Page
from podium.shipments import SHIPPED_STATUSES, ShipmentStatus

__all__ = [
    "add_note",
    "get_order",
    "hold_order",
    "list_orders",
    "locked_order",
    "release_in_transaction",
    "release_order",
    "sync_status",
    "timeline",
]


def locked_order(conn: Connection, order_id: str) -> sa.RowMapping:
    row = store.lock_order(conn, order_id)
    if row is None:
        raise NotFound(f"No order {order_id}.", code="order_not_found")
    return row


def _view(conn: Connection, order_id: str, *, by_number: bool = False) -> OrderView:
    row = store.order(conn, order_id)
    number = order_number(order_id) if by_number and row is None else None
    if number is not None:
        row = conn.execute(sa.select(orders).where(orders.c.number == number)).mappings().first()
    if row is None:
        raise NotFound(f"No order {order_id}.", code="order_not_found")
    return order_views(conn, [row])[0]


def get_order(db: Database, order_id: str) -> OrderView:
    """The order with this id or, failing that, this number (``PD-100001``, ``#100001``)."""
    with db.read() as conn:
        return _view(conn, order_id, by_number=True)


def list_orders(db: Database, query: QueueQuery) -> Page[OrderView]:
    """One page of orders for the API: the dashboard queue's filters, search and keyset pages
    (both ways), each order in full, and the page's (capped) total."""
    with db.read() as conn:
        page = orders_page(conn, query, (orders,))
        return page.map(order_views(conn, page.items))


def timeline(db: Database, order_id: str) -> list[TimelineEntry]:
    with db.read() as conn:
        if store.order(conn, order_id) is None:
            raise NotFound(f"No order {order_id}.", code="order_not_found")
        rows = timeline_rows(conn, order_id)
    return [
        TimelineEntry(at=as_utc(r.at), type=r.type, message=r.message, data=r.data, actor=r.actor)
        for r in rows
    ]


def hold_order(db: Database, order_id: str, data: HoldIn, actor: str) -> OrderView:
    with db.write() as conn:
        put_on_hold(conn, locked_order(conn, order_id), data.reason, data.note, actor=actor)
        return _view(conn, order_id)


def release_in_transaction(conn: Connection, order_id: str, reason: str, actor: str) -> bool:
    """Release this order's open holds for ``reason``; the order carries on when none remain."""
    order = locked_order(conn, order_id)
    targets = [h for h in open_holds(conn, [order_id]) if h.reason == reason]
    if not targets:
        return False
    release_holds(conn, order_id, actor, targets)
    add_timeline(
        conn,
        order_id,
        [TimelineRow("order.hold_released", f"Hold released ({reason}).", {"reasons": [reason]})],
        actor,
    )
    if order["status"] == OrderStatus.ON_HOLD and not open_holds(conn, [order_id]):
        sync_status(conn, order_id, actor, released=True)
    return True


def release_order(
    db: Database,
    order_id: str,
    actor: str,
    *,
    allocator: Allocator,
    hold_id: str | None = None,
) -> OrderView:
    """Release one hold (or all); when none remain the order carries on where it was.

    ``allocator`` allocates the units a backorder or unknown-SKU hold was waiting for."""
    with db.write() as conn:
        order = locked_order(conn, order_id)
        if order["status"] != OrderStatus.ON_HOLD:
            raise InvalidTransition("order", order["status"], "released")
        targets = [h for h in open_holds(conn, [order_id]) if hold_id is None or h.id == hold_id]
        if not targets:
            raise NotFound(f"No open hold {hold_id} on this order.", code="hold_not_found")
        if any(h.reason == HoldReason.LOCATION for h in targets):
            raise Conflict(
                f"Order {order['number']} was handed over at a store Podium could not place: "
                "hand it over at its store (POST /orders/{id}/hand-over) instead.",
                code="hand_over_required",
                details={"field": "hold_id", "reason": HoldReason.LOCATION.value},
            )
        # A backorder hold goes only once the missing units are allocated; other holds go now.
        entries: list[TimelineRow] = []
        releasing = [h for h in targets if h.reason not in _ALLOCATING]
        backorder = [h for h in targets if h.reason == HoldReason.BACKORDER]
        unknown = [h for h in targets if h.reason == HoldReason.UNKNOWN_SKU]
        if unknown:
            # Every line's SKU must exist now; then reservation runs again for what is missing.
            require_known_skus(conn, order_id)
            releasing += unknown
            short = allocator.allocate_backorder(conn, order, actor, entries)
            if short and not backorder and not _open_backorder(conn, order_id):
                # Still on hold: the release's own entries say what is missing.
                put_on_hold(
                    conn,
                    order,
                    HoldReason.BACKORDER.value,
                    "waiting for stock",
                    actor=actor,
                    announce=False,
                )
        if backorder and not allocator.allocate_backorder(conn, order, actor, entries):
            releasing += backorder
        if releasing:
            release_holds(conn, order_id, actor, releasing)
            reasons = sorted({h.reason for h in releasing})
            entries.insert(
                0,
                TimelineRow(
                    "order.hold_released",
                    f"Hold released ({', '.join(reasons)}).",
                    {"reasons": reasons},
                ),
            )
            if HoldReason.RISK in reasons:  # releasing it is the reviewer's approval
                score = (order["risk"] or {}).get("score")
                entries.insert(0, risk_decision("approved", "hold released", score))
        add_timeline(conn, order_id, entries, actor)
        if not open_holds(conn, [order_id]):
            sync_status(conn, order_id, actor, released=True)
        return _view(conn, order_id)


_ALLOCATING = frozenset({HoldReason.BACKORDER.value, HoldReason.UNKNOWN_SKU.value})


def _open_backorder(conn: Connection, order_id: str) -> bool:
    return any(h.reason == HoldReason.BACKORDER for h in open_holds(conn, [order_id]))


def require_known_skus(conn: Connection, order_id: str) -> None:
    """Refuse (409 ``unknown_sku``) while a line names a SKU the catalogue does not have."""
    # A line cancelled in full (an unknown SKU edited away) needs no product.
    lines = [
        ln for ln in store.lines(conn, [order_id]) if ln["quantity"] > ln["quantity_cancelled"]
    ]
    known = catalog.products_by_sku(conn, [ln["sku"] for ln in lines])
    missing = sorted({ln["sku"] for ln in lines if ln["sku"] not in known})
    if missing:
        raise Conflict(
            f"Unknown SKU(s) {', '.join(missing)}: create the product or map the channel's SKU "
            "first.",
            code="unknown_sku",
            details={"field": "lines", "skus": missing},
        )


def add_note(db: Database, order_id: str, data: NoteIn, actor: str) -> TimelineEntry:
    with db.write() as conn:
        locked_order(conn, order_id)
        add_timeline(conn, order_id, [TimelineRow("note.added", data.message, {})], actor)
        row = timeline_rows(conn, order_id)[-1]
    return TimelineEntry(
        at=as_utc(row.at), type=row.type, message=row.message, data=row.data, actor=row.actor
    )


_STATUS_FOR_FULFILMENT = {
    "delivered": OrderStatus.DELIVERED,
    "fulfilled": OrderStatus.SHIPPED,
    "partially_fulfilled": OrderStatus.PARTIALLY_SHIPPED,
    "unfulfilled": OrderStatus.READY,
}


def sync_status(conn: Connection, order_id: str, actor: str, *, released: bool = False) -> str:
    """Derive the order's status from its shipments (call with the order row locked)."""
    order = store.order(conn, order_id)
    if order is None:
        raise NotFound(f"No order {order_id}.", code="order_not_found")
    current = OrderStatus(order["status"])
    if current in (OrderStatus.CANCELLED, OrderStatus.DELIVERED):
        return current.value
    if current is OrderStatus.ON_HOLD and not released:
        return current.value
    if current is OrderStatus.SHIPPED and handed_over_of(order["tags"]) == "by_channel":
        return current.value  # the channel shipped it: no Podium shipment to follow
    ships = [
        s
        for s in shipments.shipments_for_orders(conn, [order_id])
        if s.status != ShipmentStatus.CANCELLED
    ]
    lines = store.lines(conn, [order_id])
    wanted = sum(ln["quantity"] - ln["quantity_cancelled"] for ln in lines)
    ship_lines = shipments.lines_for(conn, [s.id for s in ships])
    status_of = {s.id: ShipmentStatus(s.status) for s in ships}
    shipped = sum(sl.quantity for sl in ship_lines if status_of[sl.shipment_id] in SHIPPED_STATUSES)
    delivered = sum(
        sl.quantity for sl in ship_lines if status_of[sl.shipment_id] is ShipmentStatus.DELIVERED
    )
    target = _STATUS_FOR_FULFILMENT[derive_fulfilment_status(wanted, shipped, delivered)]
    if target is current:
        return current.value
    if target is OrderStatus.DELIVERED and current is not OrderStatus.SHIPPED:
        current = change_status(conn, order_id, current, OrderStatus.SHIPPED)
    change_status(conn, order_id, current, target)
    journal.record(
        conn,
        order,
        actor,
        "order.status_changed",
        f"Order is now {target.value.replace('_', ' ')}.",
        {"from": order["status"], "to": target.value},
        event=STATUS_EVENTS[target](id=order["id"], number=order["number"], status=target.value),
    )
    return target.value
