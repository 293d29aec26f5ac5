"""SQL for import runs (the ``import_runs`` table only)."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from podium.db.tables import import_runs
from podium.paging import Keyset, Page, Position, keyset_page

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
    conn: Connection, *, kind: str | None, position: Position | None, limit: int
) -> Page[sa.RowMapping]:
    """Import runs, newest first, keyset-paged both ways."""
    query = sa.select(import_runs)
    if kind is not None:
        query = query.where(_c.kind == kind)
    newest = Keyset((_c.id,), descending=True)
    return keyset_page(conn, query, newest, position, limit, lambda r: (r["id"],))
