"""Transactions: the unit of work every service runs in.

``db.write()`` opens a write transaction (``BEGIN IMMEDIATE`` on SQLite) and commits on success;
``db.read()`` opens a read-only one. After a write commits, the registered listeners are told
(the in-process outbox relay uses this to deliver events at once instead of on its next poll).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine

from podium.db.engine import READ_ONLY, is_postgres

__all__ = ["Database", "as_utc", "utcnow"]


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """SQLite hands timestamps back without a zone; they were written in UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Database:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.is_postgres = is_postgres(engine)
        self._after_commit: list[Callable[[], None]] = []
        self._lock = threading.Lock()

    def on_commit(self, listener: Callable[[], None]) -> None:
        with self._lock:
            self._after_commit.append(listener)

    @contextmanager
    def write(self) -> Iterator[Connection]:
        with self.engine.connect() as conn, conn.begin():
            yield conn
        for listener in tuple(self._after_commit):
            listener()

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            conn = conn.execution_options(**{READ_ONLY: True})
            with conn.begin():
                yield conn

    def dispose(self) -> None:
        self.engine.dispose()
