"""Building engines for SQLite (embedded, WAL) and PostgreSQL (psycopg 3).

SQLite write transactions start with ``BEGIN IMMEDIATE`` so that concurrent writers queue on the
busy timeout instead of failing with SQLITE_BUSY half-way through; read transactions use a
plain (deferred) ``BEGIN`` so readers never wait for writers under WAL.
"""

from __future__ import annotations

import math
import time
from typing import Any

import orjson
from sqlalchemy import Engine, create_engine, event, exc
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

__all__ = ["READ_ONLY", "build_engine", "is_postgres", "normalise_url"]

READ_ONLY = "podium_read_only"
SQLITE_BUSY_TIMEOUT_SECONDS = 30.0


def normalise_url(url: str) -> str:
    """Accept ``postgres://``, ``postgresql://`` and ``sqlite:///`` URLs; pick psycopg 3."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    parsed = make_url(url)
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise ValueError(
            f"PODIUM_DATABASE_URL must be sqlite:///… or postgresql://…, got {parsed.drivername}"
        )
    return url


def is_postgres(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"


def build_engine(
    url: str, *, pool_size: int = 10, busy_timeout_seconds: float = SQLITE_BUSY_TIMEOUT_SECONDS
) -> Engine:
    """``busy_timeout_seconds`` bounds every wait for the database: SQLite's write lock, a
    free pooled connection, and opening a PostgreSQL connection. Past it the caller gets an
    ``OperationalError`` (or the pool's ``TimeoutError``), which the API answers with 503."""
    url = normalise_url(url)
    if make_url(url).get_backend_name() == "sqlite":
        return _sqlite_engine(url, pool_size, busy_timeout_seconds)
    # The API serves at most pool_size requests at once (see api/app.py), so connections are
    # reused rather than opened and closed; the overflow covers the relay and start-up work.
    engine = create_engine(
        url,
        pool_size=pool_size,
        max_overflow=10,
        pool_recycle=1800,
        pool_timeout=busy_timeout_seconds,
        connect_args={"connect_timeout": max(1, math.ceil(busy_timeout_seconds))},
        json_serializer=_json_dumps,
        json_deserializer=orjson.loads,
    )
    _ping_when_idle(engine)
    return engine


def _json_dumps(value: Any) -> bytes:
    """JSONB parameters through orjson: every order writes addresses, payloads and timeline
    data, and the standard library's encoder was a few per cent of an order's CPU. Non-string
    keys become strings, as ``json.dumps`` makes them."""
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS)


PING_AFTER_IDLE_SECONDS = 2.0
_IDLE_SINCE = "podium.idle_since"


def _ping_when_idle(engine: Engine) -> None:
    """Check a pooled connection before use only if it sat idle for a while.

    ``pool_pre_ping`` pings on every checkout: a round trip per request on a busy server, whose
    connections are never idle long enough to have died unnoticed. A connection idle for more
    than PING_AFTER_IDLE_SECONDS is pinged, and a dead one is replaced before the caller sees it.
    """

    @event.listens_for(engine, "checkin")
    def _checkin(_dbapi_connection: Any, record: Any) -> None:
        record.info[_IDLE_SINCE] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        since = record.info.pop(_IDLE_SINCE, None)
        if since is None or time.monotonic() - since < PING_AFTER_IDLE_SECONDS:
            return
        try:
            alive = engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error:
            alive = False
        if not alive:
            raise exc.DisconnectionError("the pooled connection died while idle")


def _sqlite_engine(url: str, pool_size: int, busy_timeout_seconds: float) -> Engine:
    database = make_url(url).database
    in_memory = database in (None, "", ":memory:")
    kwargs: dict[str, Any] = {
        "connect_args": {"check_same_thread": False, "timeout": busy_timeout_seconds}
    }
    if in_memory:
        kwargs["poolclass"] = NullPool
    else:
        kwargs["pool_size"] = pool_size
        kwargs["max_overflow"] = 10
        kwargs["pool_timeout"] = busy_timeout_seconds
    busy_ms = max(1, round(busy_timeout_seconds * 1000))
    engine = create_engine(url, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from pysqlite; we emit BEGIN ourselves below.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if not in_memory:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={busy_ms}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        read_only = conn.get_execution_options().get(READ_ONLY, False)
        conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    return engine
