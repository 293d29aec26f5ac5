"""SQL for sent e-mails (``notifications``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection, Table
from sqlalchemy.dialects import postgresql, sqlite

from podium.db.tables import notifications

__all__ = ["already_sent", "for_order", "insert_ignoring_duplicates", "record_sent"]


def insert_ignoring_duplicates(
    conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]], keys: list[str]
) -> int:
    """INSERT … ON CONFLICT (keys) DO NOTHING on either engine; returns rows inserted."""
    if not rows:
        return 0
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(table)
        .values(list(rows))
        .on_conflict_do_nothing(index_elements=keys)
        .returning(*table.primary_key.columns)
    )
    return len(conn.execute(statement).all())


def already_sent(conn: Connection, event_id: int, template: str) -> bool:
    query = sa.select(notifications.c.id).where(
        notifications.c.event_id == event_id, notifications.c.template == template
    )
    return conn.execute(query).first() is not None


def record_sent(conn: Connection, row: Mapping[str, Any]) -> bool:
    """Record a sent e-mail; False when this (event, template) was already recorded."""
    return insert_ignoring_duplicates(conn, notifications, [row], ["event_id", "template"]) == 1


def for_order(conn: Connection, order_id: str) -> list[sa.RowMapping]:
    query = (
        sa.select(notifications)
        .where(notifications.c.order_id == order_id)
        .order_by(notifications.c.sent_at, notifications.c.id)
    )
    return list(conn.execute(query).mappings())
