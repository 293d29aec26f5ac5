"""Shipments waiting to leave a warehouse, for the warehouse view."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from podium.db.database import Database, as_utc
from podium.db.tables import orders, shipment_lines, shipments
from podium.fulfillment.model import OPEN_STATUSES

__all__ = ["LATE_AFTER", "ToShip", "late_shipments", "to_ship"]

# An open shipment this old is late (the core has no promised date yet).
LATE_AFTER = timedelta(hours=48)


@dataclass(frozen=True, slots=True)
class ToShip:
    id: str
    order_id: str
    number: str
    order_status: str
    warehouse: str
    status: str
    created_at: datetime
    customer: str | None
    lines: list[tuple[str, int]]


def to_ship(db: Database, warehouse: str | None = None, *, limit: int = 100) -> list[ToShip]:
    """Open shipments (oldest first), optionally of one warehouse."""
    stmt = (
        sa.select(
            shipments.c.id,
            shipments.c.order_id,
            shipments.c.warehouse,
            shipments.c.status,
            shipments.c.created_at,
            orders.c.number,
            orders.c.status.label("order_status"),
            sa.func.coalesce(orders.c.customer_name, orders.c.customer_email).label("customer"),
        )
        .join(orders, orders.c.id == shipments.c.order_id)
        .where(shipments.c.status.in_(sorted(s.value for s in OPEN_STATUSES)))
        .order_by(shipments.c.created_at, shipments.c.id)
        .limit(limit)
    )
    if warehouse:
        stmt = stmt.where(shipments.c.warehouse == warehouse)
    with db.read() as conn:
        rows = list(conn.execute(stmt).mappings())
        lines: dict[str, list[tuple[str, int]]] = defaultdict(list)
        if rows:
            for ln in conn.execute(
                sa.select(shipment_lines)
                .where(shipment_lines.c.shipment_id.in_([r["id"] for r in rows]))
                .order_by(shipment_lines.c.shipment_id, shipment_lines.c.line_no)
            ).mappings():
                lines[ln["shipment_id"]].append((ln["sku"], ln["quantity"]))
    return [
        ToShip(
            r["id"],
            r["order_id"],
            r["number"],
            r["order_status"],
            r["warehouse"],
            r["status"],
            as_utc(r["created_at"]),
            r["customer"],
            lines[r["id"]],
        )
        for r in rows
    ]


def late_shipments(db: Database, now: datetime | None = None) -> int:
    """Open shipments waiting longer than ``LATE_AFTER``."""
    cutoff = (now or datetime.now(UTC)) - LATE_AFTER
    with db.read() as conn:
        return int(
            conn.execute(
                sa.select(sa.func.count())
                .select_from(shipments)
                .where(shipments.c.status.in_(sorted(s.value for s in OPEN_STATUSES)))
                .where(shipments.c.created_at < cutoff)
            ).scalar_one()
        )
