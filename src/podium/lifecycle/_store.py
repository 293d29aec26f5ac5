"""SQL for the maintenance lease (one node prunes at a time) and the last pass's record."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from podium.db.leases import due
from podium.db.tables import maintenance

__all__ = ["claim", "last_run", "record_run", "release"]


def _ts(table: sa.Table, column: str, when: datetime) -> sa.BindParameter[datetime]:
    return sa.bindparam(None, when, type_=table.c[column].type)


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
