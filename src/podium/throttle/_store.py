"""SQL for throttle counters."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import Connection
from sqlalchemy.dialects import postgresql, sqlite

from podium.db.tables import throttle_counters as t

__all__ = ["clear", "counts", "expire", "hit"]


def counts(conn: Connection, key: str, previous: int, current: int) -> tuple[int, int]:
    """The counts of the previous and current windows (0 when there is no row)."""
    rows = conn.execute(
        sa.select(t.c.window_start, t.c.count).where(
            t.c.key == key, t.c.window_start.in_([previous, current])
        )
    ).all()
    found = {int(r[0]): int(r[1]) for r in rows}
    return found.get(previous, 0), found.get(current, 0)


def hit(conn: Connection, key: str, start: int) -> int:
    """Add one to the counter (made at 1 if new) and return the new count; concurrent hits
    from other processes add up (INSERT … ON CONFLICT DO UPDATE)."""
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    insert = dialect.insert(t).values(key=key, window_start=start, count=1)
    statement = insert.on_conflict_do_update(
        index_elements=[t.c.key, t.c.window_start], set_={"count": t.c.count + 1}
    ).returning(t.c.count)
    return int(conn.execute(statement).scalar_one())


def clear(conn: Connection, key: str) -> None:
    conn.execute(t.delete().where(t.c.key == key))


def expire(conn: Connection, before: int) -> int:
    return conn.execute(t.delete().where(t.c.window_start < before)).rowcount
