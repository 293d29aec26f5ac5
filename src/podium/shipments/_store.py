"""SQL for shipments and their lines (private: other packages go through ``service``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from podium.db.database import insert_many, utcnow
from podium.db.tables.shipments import shipment_lines, shipments
from podium.shipments.model import OPEN_STATUSES

__all__ = [
    "delete_shipment_line",
    "in_flight",
    "insert_shipments",
    "lock_pending",
    "lock_shipment",
    "open_allocations",
    "open_shipments_at",
    "overdue",
    "set_line_quantity",
    "shipment",
    "shipment_lines_for",
    "shipments_for_orders",
    "shipments_in",
    "shipments_since",
    "shipped_between",
    "update_shipment",
    "update_shipments",
]


def insert_shipments(
    conn: Connection, rows: Sequence[dict[str, Any]], lines: Sequence[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Insert shipments (id, order_id, warehouse, status) and lines; returns the full rows."""
    if not rows:
        return []
    now = utcnow()
    blank = {
        "carrier": None,
        "service": None,
        "tracking_number": None,
        "tracking_url": None,
        "shipped_at": None,
        "promised_by": None,
        "released_at": None,
        "delivered_at": None,
        "created_at": now,
        "updated_at": now,
    }
    full = [{**blank, **r} for r in rows]
    insert_many(conn, shipments, full)
    insert_many(conn, shipment_lines, lines)
    return full


def shipments_for_orders(conn: Connection, order_ids: Sequence[str]) -> list[sa.RowMapping]:
    query = (
        sa.select(shipments)
        .where(shipments.c.order_id.in_(order_ids))
        .order_by(shipments.c.order_id, shipments.c.created_at, shipments.c.id)
    )
    return list(conn.execute(query).mappings())


def shipment_lines_for(conn: Connection, shipment_ids: Sequence[str]) -> list[sa.RowMapping]:
    if not shipment_ids:
        return []
    query = (
        sa.select(shipment_lines)
        .where(shipment_lines.c.shipment_id.in_(shipment_ids))
        .order_by(shipment_lines.c.shipment_id, shipment_lines.c.line_no)
    )
    return list(conn.execute(query).mappings())


def shipment(conn: Connection, shipment_id: str) -> sa.RowMapping | None:
    return (
        conn.execute(sa.select(shipments).where(shipments.c.id == shipment_id)).mappings().first()
    )


def lock_shipment(conn: Connection, shipment_id: str) -> sa.RowMapping | None:
    query = sa.select(shipments).where(shipments.c.id == shipment_id).with_for_update()
    return conn.execute(query).mappings().first()


def lock_pending(conn: Connection, order_ids: Sequence[str]) -> list[sa.RowMapping]:
    """The orders' pending shipments, locked, in (order, creation) order."""
    if not order_ids:
        return []
    query = (
        sa.select(shipments)
        .where(shipments.c.order_id.in_(order_ids))
        .where(shipments.c.status == "pending")
        .order_by(shipments.c.order_id, shipments.c.created_at, shipments.c.id)
        .with_for_update()
    )
    return list(conn.execute(query).mappings())


def update_shipments(conn: Connection, shipment_ids: Sequence[str], values: dict[str, Any]) -> None:
    """The same change to many shipments, in one statement."""
    if shipment_ids:
        conn.execute(
            shipments.update()
            .where(shipments.c.id.in_(sorted(shipment_ids)))
            .values(**values, updated_at=utcnow())
        )


def update_shipment(conn: Connection, shipment_id: str, values: dict[str, Any]) -> None:
    conn.execute(
        shipments.update()
        .where(shipments.c.id == shipment_id)
        .values(**values, updated_at=utcnow())
    )


def open_allocations(conn: Connection) -> dict[tuple[str, str], int]:
    """Units held by open shipments per (sku, warehouse): what stock should show as reserved."""
    query = (
        sa.select(
            shipment_lines.c.sku, shipments.c.warehouse, sa.func.sum(shipment_lines.c.quantity)
        )
        .join(shipments, shipments.c.id == shipment_lines.c.shipment_id)
        .where(shipments.c.status.in_([s.value for s in OPEN_STATUSES]))
        .group_by(shipment_lines.c.sku, shipments.c.warehouse)
    )
    return {(r[0], r[1]): int(r[2]) for r in conn.execute(query)}


def shipments_since(conn: Connection, since: dict[str, datetime]) -> dict[str, int]:
    """Live shipments created per warehouse since its own moment (``{warehouse: datetime}``).

    Routing uses it for daily capacity: what each location was given since its local midnight.
    """
    if not since:
        return {}
    query = (
        sa.select(shipments.c.warehouse, sa.func.count())
        .where(
            sa.or_(
                *(
                    sa.and_(shipments.c.warehouse == w, shipments.c.created_at >= t)
                    for w, t in sorted(since.items())
                )
            ),
            shipments.c.status != "cancelled",
        )
        .group_by(shipments.c.warehouse)
    )
    return {r[0]: int(r[1]) for r in conn.execute(query)}


def open_shipments_at(
    conn: Connection, warehouse: str, statuses: Iterable[str]
) -> list[tuple[str, str]]:
    """(order id, shipment id) of the warehouse's shipments in ``statuses``, oldest first."""
    query = (
        sa.select(shipments.c.order_id, shipments.c.id)
        .where(shipments.c.warehouse == warehouse, shipments.c.status.in_(sorted(statuses)))
        .order_by(shipments.c.created_at, shipments.c.id)
    )
    return [(r[0], r[1]) for r in conn.execute(query)]


def shipments_in(
    conn: Connection,
    warehouse: str,
    status: str,
    *,
    limit: int,
    lock: bool = False,
    skip_orders: sa.Select[Any] | None = None,
) -> list[sa.RowMapping]:
    """Shipments of a warehouse in one status, oldest first (optionally skipping the orders of
    ``skip_orders``, a SELECT of order ids)."""
    query = (
        sa.select(shipments)
        .where(shipments.c.warehouse == warehouse, shipments.c.status == status)
        .order_by(shipments.c.created_at, shipments.c.id)
        .limit(limit)
    )
    if skip_orders is not None:
        query = query.where(shipments.c.order_id.not_in(skip_orders))
    if lock:
        query = query.with_for_update()
    return list(conn.execute(query).mappings())


def shipped_between(
    conn: Connection, warehouse: str, start: datetime, end: datetime
) -> list[sa.RowMapping]:
    query = (
        sa.select(shipments)
        .where(
            shipments.c.warehouse == warehouse,
            shipments.c.shipped_at >= start,
            shipments.c.shipped_at < end,
        )
        .order_by(shipments.c.shipped_at, shipments.c.id)
    )
    return list(conn.execute(query).mappings())


def set_line_quantity(conn: Connection, shipment_id: str, line_no: int, quantity: int) -> None:
    conn.execute(
        shipment_lines.update()
        .where(shipment_lines.c.shipment_id == shipment_id, shipment_lines.c.line_no == line_no)
        .values(quantity=quantity)
    )


def delete_shipment_line(conn: Connection, shipment_id: str, line_no: int) -> None:
    conn.execute(
        shipment_lines.delete().where(
            shipment_lines.c.shipment_id == shipment_id, shipment_lines.c.line_no == line_no
        )
    )


def in_flight(conn: Connection, statuses: Sequence[str], *, limit: int) -> list[sa.RowMapping]:
    """Shipments on their way (for tracking polls), oldest first."""
    query = (
        sa.select(shipments)
        .where(shipments.c.status.in_(statuses), shipments.c.tracking_number.is_not(None))
        .order_by(shipments.c.shipped_at, shipments.c.id)
        .limit(limit)
    )
    return list(conn.execute(query).mappings())


def overdue(
    conn: Connection,
    statuses: Sequence[str],
    since: date,
    before: date,
    *,
    after_id: str = "",
    limit: int,
) -> list[sa.RowMapping]:
    """Shipments in ``statuses`` promised from ``since`` up to (not including) ``before``,
    in id order after ``after_id`` (the late-shipment check's pages)."""
    query = (
        sa.select(shipments)
        .where(
            shipments.c.status.in_(statuses),
            shipments.c.promised_by >= since,
            shipments.c.promised_by < before,
            shipments.c.id > after_id,
        )
        .order_by(shipments.c.id)
        .limit(limit)
    )
    return list(conn.execute(query).mappings())
