"""SQL for pruning settled rows in bounded batches, and the maintenance lease.

Every batch picks at most ``limit`` ids in id order (old rows have low ids, so the scan stops
early) and deletes exactly those, in its own short transaction. The outbox's newest row is never
deleted: SQLite (without AUTOINCREMENT) would hand its id out again, and ``notifications`` /
``webhook_deliveries`` remember events by id.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from podium.db.leases import due
from podium.db.tables import (
    maintenance,
    outbox,
    user_sessions,
    webhook_attempts,
    webhook_deliveries,
)

__all__ = [
    "claim",
    "count_delivered_events",
    "count_expired_sessions",
    "count_settled_webhooks",
    "delete_delivered_events",
    "delete_expired_sessions",
    "delete_settled_webhooks",
    "last_run",
    "record_run",
    "release",
]

# Literals, not parameters: PostgreSQL's generic plans cannot use a partial index on a bound
# status (see events/_store.py), and these are the settled states only.
_DELIVERED: sa.ColumnClause[str] = sa.literal_column("'delivered'", sa.String)
_SUCCEEDED: sa.ColumnClause[str] = sa.literal_column("'succeeded'", sa.String)


def _ts(table: sa.Table, column: str, when: datetime) -> sa.BindParameter[datetime]:
    return sa.bindparam(None, when, type_=table.c[column].type)


def _delivered_events(before: datetime) -> sa.Select[Any]:
    o = outbox.c
    newest = sa.select(sa.func.max(o.id)).scalar_subquery()
    settled = sa.func.coalesce(o.delivered_at, o.created_at)
    return sa.select(o.id).where(
        o.status == _DELIVERED, settled < _ts(outbox, "created_at", before), o.id < newest
    )


def delete_delivered_events(conn: Connection, before: datetime, limit: int) -> int:
    ids = list(conn.execute(_delivered_events(before).order_by(outbox.c.id).limit(limit)).scalars())
    if ids:
        conn.execute(outbox.delete().where(outbox.c.id.in_(ids)))
    return len(ids)


def count_delivered_events(conn: Connection, before: datetime) -> int:
    query = sa.select(sa.func.count()).select_from(_delivered_events(before).subquery())
    return int(conn.execute(query).scalar_one())


def _settled_webhooks(before: datetime) -> sa.Select[Any]:
    d = webhook_deliveries.c
    settled = sa.func.coalesce(d.delivered_at, d.created_at)
    return sa.select(d.id).where(
        d.status == _SUCCEEDED, settled < _ts(webhook_deliveries, "created_at", before)
    )


def delete_settled_webhooks(conn: Connection, before: datetime, limit: int) -> tuple[int, int]:
    """(attempts, deliveries) deleted: deliveries that succeeded before ``before``, with
    their attempts."""
    ids = list(conn.execute(_settled_webhooks(before).limit(limit)).scalars())
    if not ids:
        return 0, 0
    attempts = conn.execute(
        webhook_attempts.delete().where(webhook_attempts.c.delivery_id.in_(ids))
    ).rowcount
    conn.execute(webhook_deliveries.delete().where(webhook_deliveries.c.id.in_(ids)))
    return int(attempts or 0), len(ids)


def count_settled_webhooks(conn: Connection, before: datetime) -> tuple[int, int]:
    settled = _settled_webhooks(before).subquery()
    deliveries = conn.execute(sa.select(sa.func.count()).select_from(settled)).scalar_one()
    attempts = conn.execute(
        sa.select(sa.func.count())
        .select_from(webhook_attempts)
        .where(webhook_attempts.c.delivery_id.in_(sa.select(settled.c.id)))
    ).scalar_one()
    return int(attempts), int(deliveries)


def _expired_sessions(now: datetime) -> sa.Select[Any]:
    s = user_sessions.c
    return sa.select(s.id).where(s.expires_at <= _ts(user_sessions, "expires_at", now))


def delete_expired_sessions(conn: Connection, now: datetime, limit: int) -> int:
    ids = list(conn.execute(_expired_sessions(now).limit(limit)).scalars())
    if ids:
        conn.execute(user_sessions.delete().where(user_sessions.c.id.in_(ids)))
    return len(ids)


def count_expired_sessions(conn: Connection, now: datetime) -> int:
    query = sa.select(sa.func.count()).select_from(_expired_sessions(now).subquery())
    return int(conn.execute(query).scalar_one())


# --- the maintenance lease ----------------------------------------------------------------


def claim(conn: Connection, name: str, holder: str, now: datetime, until: datetime) -> bool:
    """Take (or keep) job ``name`` until ``until``: granted when nobody holds it, its
    holder's lease ran out, or ``holder`` holds it already."""
    m = maintenance.c
    if conn.execute(sa.select(m.name).where(m.name == name)).first() is None:
        try:
            with conn.begin_nested():
                conn.execute(maintenance.insert().values(name=name))
        except sa.exc.IntegrityError:
            pass  # another process made the row first
    result = conn.execute(
        maintenance.update()
        .where(
            m.name == name,
            sa.or_(due(m.locked_until, _ts(maintenance, "locked_until", now)), m.holder == holder),
        )
        .values(holder=holder, locked_until=until)
    )
    return bool(result.rowcount)


def release(conn: Connection, name: str, holder: str) -> None:
    m = maintenance.c
    conn.execute(
        maintenance.update().where(m.name == name, m.holder == holder).values(locked_until=None)
    )


def record_run(conn: Connection, name: str, at: datetime, result: dict[str, object]) -> None:
    m = maintenance.c
    updated = conn.execute(
        maintenance.update().where(m.name == name).values(last_run_at=at, last_result=result)
    ).rowcount
    if not updated:
        conn.execute(maintenance.insert().values(name=name, last_run_at=at, last_result=result))


def last_run(conn: Connection, name: str) -> tuple[datetime, dict[str, Any]] | None:
    m = maintenance.c
    row = conn.execute(
        sa.select(m.last_run_at, m.last_result).where(m.name == name, m.last_run_at.is_not(None))
    ).first()
    return (row[0], dict(row[1] or {})) if row is not None else None
