"""What Podium knows of a customer across orders (by the e-mail the orders carry)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import Connection

from podium.db.tables import orders

__all__ = ["customer_order_count"]


def customer_order_count(conn: Connection, email: str | None) -> int | None:
    """How many orders carry this e-mail (None without one)."""
    if not email:
        return None
    query = sa.select(sa.func.count()).where(orders.c.customer_email == email)
    return int(conn.execute(query).scalar_one())
