"""Units sold but not yet allocated: the lines of orders held for stock (a backorder hold)
less what their live shipments carry, per SKU and channel. Planning's pre-order cap counts
them against a channel's cap and against the stock on its way."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy import Connection

from podium import shipments
from podium.db.tables import order_holds, order_lines, orders
from podium.shipments import ShipmentStatus

__all__ = ["Waiting", "backordered_units", "waiting_lines"]


@dataclass(frozen=True, slots=True)
class Waiting:
    """Units of a SKU an order waits for (on an open backorder hold, not yet allocated)."""

    order_id: str
    channel: str
    sku: str
    units: int
    created_at: datetime
    promised_date: date | None


def waiting_lines(conn: Connection, skus: Sequence[str] | None) -> list[Waiting]:
    """Every order line waiting for stock (of these SKUs, or all), the oldest order first (the
    order the backorder fill serves them in)."""
    if skus is not None and not skus:
        return []
    held = (
        sa.select(order_holds.c.order_id)
        .where(order_holds.c.released_at.is_(None), order_holds.c.reason == "backorder")
        .scalar_subquery()
    )
    ln, o = order_lines.c, orders.c
    query = (
        sa.select(
            ln.order_id,
            ln.line_no,
            ln.sku,
            ln.quantity - ln.quantity_cancelled,
            o.channel,
            o.created_at,
            o.promised_date,
        )
        .join(orders, o.id == ln.order_id)
        .where(ln.order_id.in_(held))
        .order_by(o.created_at, o.id, ln.line_no)
    )
    if skus is not None:
        query = query.where(ln.sku.in_(sorted(set(skus))))
    rows = list(conn.execute(query))
    if not rows:
        return []
    ids = sorted({r[0] for r in rows})
    by_shipment = {
        s.id: s.order_id
        for s in shipments.shipments_for_orders(conn, ids)
        if s.status != ShipmentStatus.CANCELLED
    }
    allocated: dict[tuple[str, int], int] = defaultdict(int)
    for sl in shipments.lines_for(conn, list(by_shipment)):
        allocated[(by_shipment[sl.shipment_id], sl.line_no)] += sl.quantity
    out = []
    for order_id, line_no, sku, units, channel, created_at, promised in rows:
        left = int(units) - allocated[(order_id, line_no)]
        if left > 0:
            out.append(Waiting(order_id, channel, sku, left, created_at, promised))
    return out


def backordered_units(conn: Connection, skus: Sequence[str]) -> dict[tuple[str, str], int]:
    """(sku, channel) → units waiting on orders with an open backorder hold."""
    out: dict[tuple[str, str], int] = defaultdict(int)
    for w in waiting_lines(conn, sorted(set(skus))):
        out[(w.sku, w.channel)] += w.units
    return dict(out)
