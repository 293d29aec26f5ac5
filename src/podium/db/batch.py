"""Inserts gathered during a transaction and sent to PostgreSQL as one statement.

Placing an order writes rows into eight tables. Sent one INSERT at a time, each costs a round
trip and, mostly, client CPU in SQLAlchemy and psycopg. Gathered instead, they go in one
statement of data-modifying CTEs just before the commit:

    WITH w0 AS (INSERT INTO orders (…) VALUES (…)),
         w1 AS (INSERT INTO order_lines (…) VALUES (…), (…))
    INSERT INTO outbox (…) VALUES (…)

PostgreSQL checks foreign keys at the end of the statement, so the order of the parts does not
matter; they follow the schema's dependency order anyway. The SQL text is cached per shape
(tables, columns and row counts), so the server can reuse a prepared plan.

SQLite has no data-modifying CTEs, but it defers the rows all the same and sends them at the
commit as one multi-row INSERT per table, parents first (it checks foreign keys as each INSERT
runs). Deferring on both engines means code that reads back what it batched fails on the
default engine too, not only on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from psycopg.types.json import Jsonb
from sqlalchemy import Connection, Table
from sqlalchemy.engine import Dialect

from podium.db.raw import run_raw

__all__ = ["BatchedInserts"]

Shape = tuple[tuple[str, tuple[str, ...], int], ...]
_SQL: dict[Shape, str] = {}
# Placement repeats a few shapes; relay passes (any number of rows) make new ones, so the cache
# is bounded: when full it starts again.
_MAX_SHAPES = 512
_ORDER: dict[str, int] = {}
_ADAPTERS: dict[tuple[str, str], Callable[[Any], Any] | None] = {}


def _identity(value: Any) -> Any:
    return value


def _jsonb(value: Any) -> Any:
    return None if value is None else Jsonb(value)


def _adapter(table: Table, column: str, dialect: Dialect) -> Callable[[Any], Any]:
    """How a value of this column becomes a raw parameter: JSON as Jsonb, and a column type
    with its own bind step (an encrypted secret, db/secrets.py) through that step first, as
    SQLAlchemy would do it."""
    key = (table.name, column)
    found = _ADAPTERS.get(key)
    if found is None:
        kind = table.c[column].type
        if isinstance(kind, sa.types.TypeDecorator):
            inner = _jsonb if isinstance(kind.impl_instance, sa.JSON) else _identity
            bind = kind.process_bind_param
            found = _ADAPTERS[key] = lambda value: inner(bind(value, dialect))
        else:
            found = _ADAPTERS[key] = _jsonb if isinstance(kind, sa.JSON) else _identity
    return found


def _rank(table: Table) -> int:
    if not _ORDER:
        _ORDER.update({t.name: i for i, t in enumerate(table.metadata.sorted_tables)})
    return _ORDER.get(table.name, len(_ORDER))


class BatchedInserts:
    """Rows per (table, columns), in the order they were added."""

    def __init__(self) -> None:
        self._rows: dict[tuple[Table, tuple[str, ...]], list[Mapping[str, Any]]] = {}

    def add(self, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
        if rows:
            self._rows.setdefault((table, tuple(rows[0])), []).extend(rows)

    def mark(self) -> dict[tuple[Table, tuple[str, ...]], int]:
        """Where each gathered list ends now, for :meth:`rewind` (a savepoint rolled back)."""
        return {key: len(rows) for key, rows in self._rows.items()}

    def rewind(self, mark: dict[tuple[Table, tuple[str, ...]], int]) -> None:
        """Drop the rows gathered since ``mark``."""
        for key in list(self._rows):
            kept = mark.get(key, 0)
            if kept:
                del self._rows[key][kept:]
            else:
                del self._rows[key]

    def flush(self, conn: Connection) -> None:
        if not self._rows:
            return
        parts = sorted(self._rows.items(), key=lambda item: _rank(item[0][0]))
        self._rows = {}
        if conn.dialect.name != "postgresql":
            for (table, _cols), rows in parts:
                conn.execute(table.insert(), rows)
            return
        shape: Shape = tuple((t.name, cols, len(rows)) for (t, cols), rows in parts)
        sql = _SQL.get(shape)
        if sql is None:
            if len(_SQL) >= _MAX_SHAPES:  # relay passes of any size make many shapes
                _SQL.clear()
            sql = _SQL[shape] = _statement(shape)
        params: list[Any] = []
        for (table, cols), rows in parts:
            adapters = [_adapter(table, c, conn.dialect) for c in cols]
            for row in rows:
                params.extend(adapt(row[c]) for adapt, c in zip(adapters, cols, strict=True))
        run_raw(conn, sql, params)


def _statement(shape: Shape) -> str:
    inserts = []
    n = 0
    for name, cols, count in shape:
        rows = []
        for _ in range(count):
            rows.append("(" + ", ".join(f"${n + i + 1}" for i in range(len(cols))) + ")")
            n += len(cols)
        columns = ", ".join(f'"{c}"' for c in cols)
        inserts.append(f'INSERT INTO "{name}" ({columns}) VALUES {", ".join(rows)}')
    *ctes, last = inserts
    if not ctes:
        return last
    return "WITH " + ", ".join(f"w{i} AS ({sql})" for i, sql in enumerate(ctes)) + " " + last
