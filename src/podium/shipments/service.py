"""What other packages may do with shipments: create them, read them (as ``Shipment`` and
``ShipmentLine`` records), lock them, change them, and the reads routing, orders and stock
checks need. Status changes are checked by the caller with ``check_shipment_transition`` (the
caller owns the timeline and the event that go with them)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from podium.shipments import _queries, _store
from podium.shipments.model import Shipment, ShipmentLine, ShipmentView, shipment_view

__all__ = [
    "count_late",
    "create_shipments",
    "delete_line",
    "get_shipment",
    "in_flight",
    "late_order_ids",
    "lines_for",
    "lock_pending",
    "lock_shipment",
    "open_allocations",
    "open_counts",
    "open_page",
    "open_shipments_at",
    "order_ids_at",
    "overdue",
    "set_line_quantity",
    "shipments_for_orders",
    "shipments_in",
    "shipments_since",
    "shipped_between",
    "update_shipment",
    "update_shipments",
    "view_of",
]


def create_shipments(
    conn: Connection, rows: Sequence[dict[str, Any]], lines: Sequence[dict[str, Any]]
) -> list[Shipment]:
    """Insert shipments (id, order_id, warehouse, status) and their lines (shipment_id,
    line_no, sku, quantity); returns the new shipments."""
    return [Shipment.of(r) for r in _store.insert_shipments(conn, rows, lines)]


def get_shipment(conn: Connection, shipment_id: str) -> Shipment | None:
    row = _store.shipment(conn, shipment_id)
    return Shipment.of(row) if row is not None else None


def lock_shipment(conn: Connection, shipment_id: str) -> Shipment | None:
    """The shipment, locked FOR UPDATE (until the transaction ends)."""
    row = _store.lock_shipment(conn, shipment_id)
    return Shipment.of(row) if row is not None else None


def lock_pending(conn: Connection, order_ids: Sequence[str]) -> list[Shipment]:
    """The orders' pending shipments, locked, in (order, creation) order."""
    return [Shipment.of(r) for r in _store.lock_pending(conn, order_ids)]


def shipments_for_orders(conn: Connection, order_ids: Sequence[str]) -> list[Shipment]:
    """The orders' shipments in (order, creation) order."""
    return [Shipment.of(r) for r in _store.shipments_for_orders(conn, order_ids)]


def lines_for(conn: Connection, shipment_ids: Sequence[str]) -> list[ShipmentLine]:
    """The shipments' lines in (shipment, line number) order."""
    return [ShipmentLine.of(r) for r in _store.shipment_lines_for(conn, shipment_ids)]


def view_of(conn: Connection, shipment_id: str) -> ShipmentView | None:
    found = get_shipment(conn, shipment_id)
    return shipment_view(found, lines_for(conn, [shipment_id])) if found else None


def update_shipment(conn: Connection, shipment_id: str, values: dict[str, Any]) -> None:
    _store.update_shipment(conn, shipment_id, values)


def update_shipments(conn: Connection, shipment_ids: Sequence[str], values: dict[str, Any]) -> None:
    """The same change to many shipments, in one statement."""
    _store.update_shipments(conn, shipment_ids, values)


def open_allocations(conn: Connection) -> dict[tuple[str, str], int]:
    """Units held by open shipments per (sku, warehouse): what stock should show as reserved."""
    return _store.open_allocations(conn)


def shipments_since(conn: Connection, since: dict[str, datetime]) -> dict[str, int]:
    """Live shipments created per warehouse since its own moment (daily capacity)."""
    return _store.shipments_since(conn, since)


def open_shipments_at(
    conn: Connection, warehouse: str, statuses: Iterable[str]
) -> list[tuple[str, str]]:
    """(order id, shipment id) of the warehouse's shipments in ``statuses``, oldest first."""
    return _store.open_shipments_at(conn, warehouse, statuses)


def order_ids_at(warehouse: str) -> sa.Select[Any]:
    """A SELECT of the ids of orders with a shipment from ``warehouse``."""
    return _queries.order_ids_at(warehouse)


def late_order_ids(today: date, past_promise: sa.Select[Any]) -> sa.Select[Any]:
    """A SELECT of the ids of orders with an open shipment past its promise (see ``_store``)."""
    return _queries.late_order_ids(today, past_promise)


def shipments_in(
    conn: Connection,
    warehouse: str,
    status: str,
    *,
    limit: int,
    lock: bool = False,
    skip_orders: sa.Select[Any] | None = None,
) -> list[Shipment]:
    """Shipments of a warehouse in one status, oldest first, optionally locked, optionally
    skipping the orders of ``skip_orders`` (a SELECT of order ids, e.g. the held ones)."""
    rows = _store.shipments_in(
        conn, warehouse, status, limit=limit, lock=lock, skip_orders=skip_orders
    )
    return [Shipment.of(r) for r in rows]


def shipped_between(
    conn: Connection, warehouse: str, start: datetime, end: datetime
) -> list[Shipment]:
    """A warehouse's shipments shipped in [start, end), in shipping order."""
    return [Shipment.of(r) for r in _store.shipped_between(conn, warehouse, start, end)]


def in_flight(conn: Connection, statuses: Sequence[str], *, limit: int) -> list[Shipment]:
    """Shipments on their way with a tracking number (for tracking polls), oldest first."""
    return [Shipment.of(r) for r in _store.in_flight(conn, statuses, limit=limit)]


def overdue(
    conn: Connection,
    statuses: Sequence[str],
    since: date,
    before: date,
    *,
    after_id: str = "",
    limit: int,
) -> list[Shipment]:
    """Shipments in ``statuses`` promised from ``since`` to before ``before`` (id order)."""
    rows = _store.overdue(conn, statuses, since, before, after_id=after_id, limit=limit)
    return [Shipment.of(r) for r in rows]


def set_line_quantity(conn: Connection, shipment_id: str, line_no: int, quantity: int) -> None:
    _store.set_line_quantity(conn, shipment_id, line_no, quantity)


def delete_line(conn: Connection, shipment_id: str, line_no: int) -> None:
    _store.delete_shipment_line(conn, shipment_id, line_no)


def open_counts(conn: Connection, warehouse: str | None = None) -> dict[str, int]:
    """Open shipments per status (of one warehouse, or all); absent statuses left out."""
    return _queries.open_counts(conn, warehouse)


def count_late(conn: Connection, today: date, past_promise: sa.Select[Any]) -> int:
    """Open shipments past their promise: their own ``promised_by`` before ``today``, or none
    of their own and their order in ``past_promise`` (a SELECT of order ids)."""
    return _queries.count_late(conn, today, past_promise)


def open_page(
    conn: Connection,
    statuses: Sequence[str],
    warehouse: str | None = None,
    *,
    limit: int,
    after: tuple[datetime, str] | None = None,
    before: tuple[datetime, str] | None = None,
) -> list[Shipment]:
    """Shipments in ``statuses`` (optionally of one warehouse), oldest first, keyset-paged on
    (created_at, id): ``after`` the last of a page, ``before`` the first of one."""
    rows = _queries.open_page(conn, statuses, warehouse, limit=limit, after=after, before=before)
    return [Shipment.of(r) for r in rows]
