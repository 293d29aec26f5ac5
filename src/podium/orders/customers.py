"""What Podium knows of a customer across orders (by the e-mail the orders carry)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import Connection

from podium.db.tables import orders

__all__ = ["customer_order_count"]


def customer_order_count(
    conn: Connection, email: str | None, *, placed_by: datetime | None = None
) -> int | None:
    """How many orders carry this e-mail (None without one); ``placed_by``: only those
    placed then or before (an order's own count, this one included, however late it is read)."""
    if not email:
        return None
    query = sa.select(sa.func.count()).where(orders.c.customer_email == email)
    if placed_by is not None:
        query = query.where(orders.c.placed_at <= placed_by)
    return int(conn.execute(query).scalar_one())
