"""Cancelling an order: every unit not yet shipped, and only those.

An order with nothing shipped is cancelled outright (``order.cancelled``). An order some of
whose units have shipped (a backorder that shipped what it had, a split order with one shipment
out) cannot be: its unshipped units are cancelled instead (``order.partially_cancelled``), the
line keeps its shipped units, the order's money shrinks by exactly what the cancelled units were
worth (their share of discount and tax, as a refund of them would be priced), and its status is
derived again from what shipped. Shipped units are never cancelled; when nothing is left to
cancel the answer is 409 ``nothing_to_cancel``.

Money moves in ``returns.cancellation`` (it owns the refund machinery); this module only
changes the order, its shipments and the stock ledger.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import Connection

from podium import inventory, shipments
from podium.db.database import Database
from podium.errors import Conflict, InvalidTransition
from podium.inventory import Movement, MovementKind
from podium.money import format_amount
from podium.orders import _store as store
from podium.orders import journal
from podium.orders.events import OrderCancelled, OrderPartiallyCancelled
from podium.orders.holds import release_holds
from podium.orders.lifecycle import get_order, locked_order, sync_status
from podium.orders.model import OrderView, taxes_included_of
from podium.orders.money import OrderMoney, PricedLine, quote_refund
from podium.orders.status import OrderStatus, change_status, check_transition
from podium.shipments import (
    OPEN_STATUSES,
    SHIPPED_STATUSES,
    ShipmentStatus,
    check_shipment_transition,
)

__all__ = ["Cancellation", "cancel_in_transaction", "cancel_order", "shipped_units"]

# Statuses with nothing left to cancel: the contract answers 409 ``invalid_transition``.
_FINAL = frozenset({OrderStatus.SHIPPED, OrderStatus.DELIVERED, OrderStatus.CANCELLED})


@dataclass(frozen=True, slots=True)
class Cancellation:
    order_id: str
    partial: bool
    units: dict[int, int]  # order line -> units cancelled now
    value: int  # what the cancelled units were worth (0 for a full cancellation: all of it)


def shipped_units(conn: Connection, order_id: str) -> dict[int, int]:
    """Units per order line on shipments that have left the building."""
    ships = [
        s
        for s in shipments.shipments_for_orders(conn, [order_id])
        if ShipmentStatus(s.status) in SHIPPED_STATUSES
    ]
    shipped: dict[int, int] = defaultdict(int)
    for sl in shipments.lines_for(conn, [s.id for s in ships]):
        shipped[sl.line_no] += sl.quantity
    return dict(shipped)


def _release_open_shipments(conn: Connection, order: sa.RowMapping, actor: str) -> None:
    """Cancel every open shipment of the order and release its reservations in the ledger."""
    ships = [
        s
        for s in shipments.shipments_for_orders(conn, [order["id"]])
        if ShipmentStatus(s.status) in OPEN_STATUSES
    ]
    lines = shipments.lines_for(conn, [s.id for s in ships])
    warehouse = {s.id: s.warehouse for s in ships}
    moves = [
        Movement(
            ln.sku,
            warehouse[ln.shipment_id],
            MovementKind.RELEASE,
            0,
            -ln.quantity,
            "order_cancelled",
            order["number"],
        )
        for ln in lines
    ]
    inventory.apply(conn, moves, actor)
    for s in ships:
        check_shipment_transition(s.status, ShipmentStatus.CANCELLED)
        shipments.update_shipment(conn, s.id, {"status": ShipmentStatus.CANCELLED.value})


def cancel_in_transaction(
    conn: Connection, order_id: str, actor: str, reason: str | None = None
) -> Cancellation:
    """Cancel what is not shipped, inside the caller's write transaction."""
    order = locked_order(conn, order_id)
    status = OrderStatus(order["status"])
    if status in _FINAL:
        raise InvalidTransition("order", status.value, OrderStatus.CANCELLED.value)
    lines = store.lines(conn, [order_id])
    shipped = shipped_units(conn, order_id)
    todo = {
        ln["line_no"]: left
        for ln in lines
        if (left := ln["quantity"] - ln["quantity_cancelled"] - shipped.get(ln["line_no"], 0)) > 0
    }
    if not any(shipped.values()):
        return _cancel_whole(conn, order, lines, actor, reason)
    if not todo:
        raise Conflict(
            f"Every unit of order {order['number']} has shipped; nothing is left to cancel.",
            code="nothing_to_cancel",
            details={"status": status.value},
        )
    return _cancel_unshipped(conn, order, lines, todo, actor, reason)


def _cancel_whole(
    conn: Connection,
    order: sa.RowMapping,
    lines: list[sa.RowMapping],
    actor: str,
    reason: str | None,
) -> Cancellation:
    check_transition(order["status"], OrderStatus.CANCELLED)
    _release_open_shipments(conn, order, actor)
    units = {
        ln["line_no"]: ln["quantity"] - ln["quantity_cancelled"]
        for ln in lines
        if ln["quantity"] > ln["quantity_cancelled"]
    }
    store.set_lines_cancelled(conn, order["id"], {ln["line_no"]: ln["quantity"] for ln in lines})
    release_holds(conn, order["id"], actor)
    change_status(conn, order["id"], order["status"], OrderStatus.CANCELLED)
    journal.record(
        conn,
        order,
        actor,
        "order.cancelled",
        f"Order {order['number']} cancelled" + (f": {reason}." if reason else "."),
        {"reason": reason, "from": order["status"]},
        event=OrderCancelled(
            id=order["id"],
            number=order["number"],
            reason=reason,
            partial=False,
            lines=_lines_payload(lines, units),
        ),
    )
    return Cancellation(order["id"], False, units, 0)


def _cancel_unshipped(
    conn: Connection,
    order: sa.RowMapping,
    lines: list[sa.RowMapping],
    todo: dict[int, int],
    actor: str,
    reason: str | None,
) -> Cancellation:
    cur = order["currency"]
    kept = {ln["line_no"]: ln["quantity"] - ln["quantity_cancelled"] for ln in lines}
    money = OrderMoney(
        cur,
        tuple(
            PricedLine(ln["line_no"], ln["sku"], kept[ln["line_no"]], ln["unit_price"])
            for ln in lines
            if kept[ln["line_no"]] > 0
        ),
        order["discount_total"],
        order["tax_total"],
        order["shipping_total"],
        taxes_included_of(order),
    )
    # The cancelled units are the last ones of each line: the shipped ones keep their price.
    quote = quote_refund(money, todo, {n: kept[n] - q for n, q in todo.items()})
    _release_open_shipments(conn, order, actor)
    by_no = {ln["line_no"]: ln for ln in lines}
    store.set_lines_cancelled(
        conn, order["id"], {n: by_no[n]["quantity_cancelled"] + q for n, q in todo.items()}
    )
    store.update_order(
        conn,
        order["id"],
        {
            "subtotal": order["subtotal"] - quote.gross,
            "discount_total": order["discount_total"] - quote.discount,
            "tax_total": order["tax_total"] - quote.tax,
            "total": order["total"] - quote.total,
        },
    )
    release_holds(conn, order["id"], actor)
    count = sum(todo.values())
    journal.record(
        conn,
        order,
        actor,
        "order.partially_cancelled",
        f"{count} unshipped unit(s) of order {order['number']} cancelled "
        f"({cur} {format_amount(quote.total, cur)}); shipped units stay"
        + (f": {reason}." if reason else "."),
        {"reason": reason, "from": order["status"], "lines": _lines_payload(lines, todo)},
        event=OrderPartiallyCancelled(
            id=order["id"],
            number=order["number"],
            reason=reason,
            partial=True,
            lines=_lines_payload(lines, todo),
            amount=format_amount(quote.total, cur),
            currency=cur,
        ),
    )
    sync_status(conn, order["id"], actor, released=True)
    return Cancellation(order["id"], True, dict(todo), quote.total)


def _lines_payload(lines: list[sa.RowMapping], units: dict[int, int]) -> list[dict[str, object]]:
    return [
        {"line_no": ln["line_no"], "sku": ln["sku"], "quantity": units[ln["line_no"]]}
        for ln in lines
        if units.get(ln["line_no"], 0) > 0
    ]


def cancel_order(db: Database, order_id: str, actor: str, reason: str | None = None) -> OrderView:
    """Cancel without moving money: for orders whose money the sales channel handles."""
    with db.write() as conn:
        cancel_in_transaction(conn, order_id, actor, reason)
    return get_order(db, order_id)
