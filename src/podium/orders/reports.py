"""Read-only figures about orders for reports (the accounting export)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import Connection

from podium.db.tables import orders

__all__ = ["order_channels", "orders_placed"]


def orders_placed(conn: Connection, start: datetime, end: datetime) -> list[sa.RowMapping]:
    """Orders placed in [start, end) that were not cancelled: their money by column."""
    query = (
        sa.select(
            orders.c.id,
            orders.c.channel,
            orders.c.currency,
            orders.c.placed_at,
            orders.c.subtotal,
            orders.c.discount_total,
            orders.c.shipping_total,
            orders.c.tax_total,
            orders.c.total,
        )
        .where(
            orders.c.placed_at >= start,
            orders.c.placed_at < end,
            orders.c.status != "cancelled",
        )
        .order_by(orders.c.placed_at, orders.c.id)
    )
    return list(conn.execute(query).mappings())


def order_channels(conn: Connection, order_ids: Sequence[str]) -> dict[str, str]:
    if not order_ids:
        return {}
    query = sa.select(orders.c.id, orders.c.channel).where(orders.c.id.in_(sorted(set(order_ids))))
    return {r[0]: r[1] for r in conn.execute(query)}
