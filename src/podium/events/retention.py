"""Retention of delivered events (``podium db prune``, docs/operations.md "Data lifecycle").

A batch picks at most ``limit`` ids, oldest first along ``ix_outbox_status_next`` (status,
next_attempt_at), and deletes exactly those. The newest row is never deleted: SQLite (without
AUTOINCREMENT) would hand its id out again, and ``notifications`` / ``webhook_deliveries``
remember events by id. Pending, held and dead-lettered events are never touched.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from podium.db.tables import outbox

__all__ = ["count_delivered_events", "prune_delivered_events"]

# A literal, not a parameter: see events/_store.py on PostgreSQL's generic plans.
_DELIVERED: sa.ColumnClause[str] = sa.literal_column("'delivered'", sa.String)


def _ts(table: sa.Table, column: str, when: datetime) -> sa.BindParameter[datetime]:
    return sa.bindparam(None, when, type_=table.c[column].type)


def _delivered_events(before: datetime) -> sa.Select[Any]:
    """Delivered before ``before``. An event is delivered only once due, so its
    ``next_attempt_at`` is earlier still: that redundant bound lets ``ix_outbox_status_next``
    range-scan just the candidates instead of every event kept."""
    o = outbox.c
    newest = sa.select(sa.func.max(o.id)).scalar_subquery()
    settled = sa.func.coalesce(o.delivered_at, o.created_at)
    cutoff = _ts(outbox, "created_at", before)
    return sa.select(o.id).where(
        o.status == _DELIVERED, o.next_attempt_at < cutoff, settled < cutoff, o.id < newest
    )


def prune_delivered_events(conn: Connection, before: datetime, limit: int) -> int:
    oldest_first = _delivered_events(before).order_by(outbox.c.next_attempt_at).limit(limit)
    ids = list(conn.execute(oldest_first).scalars())
    if ids:
        conn.execute(outbox.delete().where(outbox.c.id.in_(ids)))
    return len(ids)


def count_delivered_events(conn: Connection, before: datetime) -> int:
    query = sa.select(sa.func.count()).select_from(_delivered_events(before).subquery())
    return int(conn.execute(query).scalar_one())
