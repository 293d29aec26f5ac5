"""Units sold but not yet allocated: the lines of orders held for stock (a backorder hold)
less what their live shipments carry, per SKU and channel. Planning's pre-order cap counts
them against a channel's cap and against the stock on its way."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy import Connection

from podium import shipments
from podium.db.tables import order_holds, order_lines, orders
from podium.shipments import ShipmentStatus

__all__ = ["backordered_units"]


def backordered_units(conn: Connection, skus: Sequence[str]) -> dict[tuple[str, str], int]:
    """(sku, channel) → units waiting on orders with an open backorder hold."""
    wanted = sorted(set(skus))
    if not wanted:
        return {}
    held = (
        sa.select(order_holds.c.order_id)
        .where(order_holds.c.released_at.is_(None), order_holds.c.reason == "backorder")
        .scalar_subquery()
    )
    ln = order_lines.c
    query = (
        sa.select(
            ln.order_id, ln.line_no, ln.sku, ln.quantity - ln.quantity_cancelled, orders.c.channel
        )
        .join(orders, orders.c.id == ln.order_id)
        .where(ln.order_id.in_(held), ln.sku.in_(wanted))
    )
    rows = list(conn.execute(query))
    if not rows:
        return {}
    ids = sorted({r[0] for r in rows})
    by_shipment = {
        s.id: s.order_id
        for s in shipments.shipments_for_orders(conn, ids)
        if s.status != ShipmentStatus.CANCELLED
    }
    allocated: dict[tuple[str, int], int] = defaultdict(int)
    for sl in shipments.lines_for(conn, list(by_shipment)):
        allocated[(by_shipment[sl.shipment_id], sl.line_no)] += sl.quantity
    out: dict[tuple[str, str], int] = defaultdict(int)
    for order_id, line_no, sku, units, channel in rows:
        left = int(units) - allocated[(order_id, line_no)]
        if left > 0:
            out[(sku, channel)] += left
    return dict(out)
