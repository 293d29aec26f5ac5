"""Read-only figures about orders for reports (the accounting export, podium.reports)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy import Connection

from podium.db.tables import order_lines, orders

__all__ = ["SalesLine", "demand_lines", "order_channels", "orders_placed", "sales_lines"]


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


def demand_lines(
    conn: Connection, since: datetime | None = None
) -> Iterator[tuple[str, datetime, str, str, int]]:
    """(order id, placed at, channel, SKU, units) per line of every order not cancelled,
    net of the line's cancelled units, placed at or after ``since``; oldest first, streamed."""
    units = order_lines.c.quantity - order_lines.c.quantity_cancelled
    query = (
        sa.select(orders.c.id, orders.c.placed_at, orders.c.channel, order_lines.c.sku, units)
        .join(order_lines, order_lines.c.order_id == orders.c.id)
        .where(orders.c.status != "cancelled", units > 0)
        .order_by(orders.c.placed_at, orders.c.id, order_lines.c.line_no)
    )
    if since is not None:
        query = query.where(orders.c.placed_at >= since)
    for row in conn.execute(query.execution_options(yield_per=5000)):
        yield row[0], row[1], row[2], row[3], int(row[4])


@dataclass(frozen=True, slots=True)
class SalesLine:
    """One order line as sold: units net of cancelled units, at its unit price."""

    order_id: str
    placed_at: datetime
    channel: str
    currency: str
    line_no: int
    sku: str
    quantity: int
    unit_price: int
    promised_date: date | None


def sales_lines(
    conn: Connection, start: datetime, end: datetime, channel: str | None = None
) -> list[SalesLine]:
    """Lines of the orders placed in [start, end) that were not cancelled (of ``channel``
    when given) with units left after cancellations; oldest order first."""
    units = order_lines.c.quantity - order_lines.c.quantity_cancelled
    query = (
        sa.select(
            orders.c.id,
            orders.c.placed_at,
            orders.c.channel,
            orders.c.currency,
            order_lines.c.line_no,
            order_lines.c.sku,
            units,
            order_lines.c.unit_price,
            orders.c.promised_date,
        )
        .join(order_lines, order_lines.c.order_id == orders.c.id)
        .where(
            orders.c.placed_at >= start,
            orders.c.placed_at < end,
            orders.c.status != "cancelled",
            units > 0,
        )
        .order_by(orders.c.placed_at, orders.c.id, order_lines.c.line_no)
    )
    if channel is not None:
        query = query.where(orders.c.channel == channel)
    return [
        SalesLine(r[0], r[1], r[2], r[3], int(r[4]), r[5], int(r[6]), int(r[7]), r[8])
        for r in conn.execute(query)
    ]
