"""SQL for risk at placement: earlier and recent orders per e-mail, address and IP (private).

Each query is an index range scan: ``(customer_email, placed_at)``, ``(address_key,
placed_at)``, ``(client_ip, placed_at)`` (migration 0019).
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import Connection

from podium.db.tables import orders

__all__ = ["has_earlier_order", "recent_orders"]

_COLUMNS = {
    "email": orders.c.customer_email,
    "address": orders.c.address_key,
    "ip": orders.c.client_ip,
}


def has_earlier_order(conn: Connection, email: str) -> bool:
    query = sa.select(orders.c.id).where(orders.c.customer_email == email).limit(1)
    return conn.execute(query).first() is not None


def recent_orders(conn: Connection, by: str, value: str, since: datetime, cap: int) -> int:
    """Orders with this e-mail / address key / IP placed since ``since``, counted up to
    ``cap`` (enough to know a threshold is reached, without counting a flood)."""
    column = _COLUMNS[by]
    inner = (
        sa.select(orders.c.id)
        .where(column == value, orders.c.placed_at >= since)
        .limit(cap)
        .subquery()
    )
    return int(conn.execute(sa.select(sa.func.count()).select_from(inner)).scalar_one())
