"""Hot-path statements run straight on psycopg (PostgreSQL only).

SQLAlchemy's execution path costs about as much client CPU per statement as PostgreSQL spends
running a small one. The few statements every order runs are written here with PostgreSQL's own
``$1`` placeholders and executed on a ``psycopg.RawCursor`` of the same connection, inside the
same transaction: no SQL compilation, no placeholder conversion, and psycopg prepares them
after a few uses. Everything else goes through SQLAlchemy.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import psycopg
from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError

__all__ = ["array_literal", "fetch_raw", "run_raw"]


def run_raw(conn: Connection, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """Run ``sql`` ($n placeholders) in ``conn``'s transaction; returns its rows, if any.

    Errors come out as SQLAlchemy's (IntegrityError, OperationalError, …), like every other
    statement's, and a connection that died is taken out of the pool.
    """
    driver: psycopg.Connection[Any] = conn.connection.driver_connection  # type: ignore[assignment]
    try:
        with psycopg.RawCursor(driver) as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall() if cursor.description is not None else []
    except psycopg.Error as error:
        if driver.closed:
            conn.invalidate(error)
        raise DBAPIError.instance(sql, params, error, psycopg.Error) from error


def fetch_raw(conn: Connection, sql: str, params: Sequence[Any]) -> tuple[Any, ...] | None:
    rows = run_raw(conn, sql, params)
    return rows[0] if rows else None


def array_literal(values: Sequence[str | int]) -> str:
    """``values`` as a PostgreSQL array literal, for a ``$n::text[]`` / ``$n::int[]`` parameter.

    psycopg adapts a Python list by inspecting its elements in Python (a few per cent of an
    order's CPU for the seven lists placement sends); a string goes through its C dumper. Every
    element is quoted, so any text is safe.
    """
    return (
        "{"
        + ",".join(
            str(v)
            if isinstance(v, int)
            else '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
            for v in values
        )
        + "}"
    )
