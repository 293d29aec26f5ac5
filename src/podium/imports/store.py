"""SQL for import runs (the ``import_runs`` table only)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from podium.db.tables import import_runs

__all__ = ["find_run", "insert_run", "list_runs"]

_c = import_runs.c


def insert_run(conn: Connection, values: dict[str, Any]) -> None:
    conn.execute(import_runs.insert(), values)


def find_run(conn: Connection, kind: str, digest: str) -> sa.RowMapping | None:
    query = (
        sa.select(import_runs)
        .where(_c.kind == kind, _c.digest == digest)
        .order_by(_c.created_at.desc(), _c.id.desc())
        .limit(1)
    )
    return conn.execute(query).mappings().first()


def list_runs(
    conn: Connection, *, kind: str | None, before: str | None, limit: int
) -> list[sa.RowMapping]:
    query = sa.select(import_runs).order_by(_c.id.desc()).limit(limit)
    if kind is not None:
        query = query.where(_c.kind == kind)
    if before is not None:
        query = query.where(_c.id < before)
    return list(conn.execute(query).mappings())
