"""Transactions: the unit of work every service runs in.

``db.write()`` opens a write transaction (``BEGIN IMMEDIATE`` on SQLite) and commits on success;
``db.read()`` opens a read-only one. After a write commits, the registered listeners are told
(the in-process outbox relay uses this to deliver events at once instead of on its next poll).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, Insert, Table

from podium.db.batch import BatchedInserts
from podium.db.clock import utcnow
from podium.db.engine import READ_ONLY, is_postgres

__all__ = [
    "Database",
    "after_commit",
    "as_utc",
    "before_commit",
    "insert_many",
    "notify_after_commit",
    "savepoint",
    "transaction_scratch",
    "utcnow",
]

_HOOKS = "podium.before_commit"
_AFTER = "podium.after_commit"
_BATCH = "podium.batch_inserts"
_SCRATCH = "podium.scratch"


def as_utc(value: datetime) -> datetime:
    """SQLite hands timestamps back without a zone; they were written in UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


_MANY: dict[str, Insert] = {}


def insert_many(conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert rows with one multi-row INSERT statement.

    A plain executemany makes psycopg run one statement per row in a pipeline, which costs
    more client CPU than the database spends; asking for RETURNING of the primary key makes
    SQLAlchemy batch the rows into one ``INSERT … VALUES (…), (…)`` on both engines.

    In a ``Database.write(batch_inserts=True)`` transaction the rows are only gathered, and
    every table's rows go to the database just before the commit (on PostgreSQL in one
    statement; see ``db/batch.py``): the caller must not read them back in the same transaction.
    """
    if not rows:
        return
    gathered = conn.info.get(_BATCH)
    if gathered is not None:
        gathered.add(table, rows)
        return
    statement = _MANY.get(table.name)
    if statement is None:
        statement = _MANY[table.name] = table.insert().returning(*table.primary_key.columns)
    conn.execute(statement, list(rows))


def before_commit(conn: Connection, hook: Callable[[], None]) -> bool:
    """Run ``hook`` just before this write transaction commits (not if it rolls back).

    Returns False when the connection is not in a ``Database.write()`` transaction.
    """
    hooks: list[Callable[[], None]] | None = conn.info.get(_HOOKS)
    if hooks is None:
        return False
    hooks.append(hook)
    return True


def after_commit(conn: Connection, hook: Callable[[], None]) -> bool:
    """Run ``hook`` once this write transaction has committed (not if it rolls back).

    Returns False when the connection is not in a ``Database.write()`` transaction."""
    hooks: list[Callable[[], None]] | None = conn.info.get(_AFTER)
    if hooks is None:
        return False
    hooks.append(hook)
    return True


_NOTIFY = "podium.notify"


def notify_after_commit(conn: Connection) -> None:
    """Tell the ``on_commit`` listeners once this transaction commits (the relay uses it)."""
    scratch = transaction_scratch(conn)
    if scratch is not None:
        scratch[_NOTIFY] = True


def transaction_scratch(conn: Connection) -> dict[str, object] | None:
    """A dict that lives as long as the current ``Database.write()`` transaction."""
    scratch: dict[str, object] | None = conn.info.get(_SCRATCH)
    return scratch


@contextmanager
def savepoint(conn: Connection) -> Iterator[None]:
    """A savepoint inside a ``Database.write()`` transaction that also forgets, when its block
    raises, what the block gathered for the commit: batched rows, before-commit hooks and
    outbox events. Group commit (``orders.hot``) runs several placements in one transaction
    this way, each undone alone if it fails."""
    batch: BatchedInserts | None = conn.info.get(_BATCH)
    marked = batch.mark() if batch is not None else None
    hooks: list[Callable[[], None]] | None = conn.info.get(_HOOKS)
    hooks_len = len(hooks) if hooks is not None else 0
    scratch: dict[str, object] | None = conn.info.get(_SCRATCH)
    kept = dict(scratch) if scratch is not None else {}
    lengths = {k: len(v) for k, v in kept.items() if isinstance(v, list)}
    try:
        with conn.begin_nested():
            yield
    except BaseException:
        if batch is not None and marked is not None:
            batch.rewind(marked)
        if hooks is not None:
            del hooks[hooks_len:]
        if scratch is not None:
            scratch.clear()
            scratch.update(kept)
            for key, n in lengths.items():
                value = scratch[key]
                if isinstance(value, list):
                    del value[n:]
        raise


class Database:
    def __init__(self, engine: Engine, replica: Engine | None = None) -> None:
        self.engine = engine
        # A read-only replica (PODIUM_DATABASE_READ_URL) for ``report()``; None: the primary.
        self.replica = replica
        self.is_postgres = is_postgres(engine)
        self._after_commit: list[Callable[[], None]] = []
        self._lock = threading.Lock()
        # SQLite has one writer at a time. Its busy handler sleeps in growing steps and serves
        # waiters in no order, which gives multi-second tails under load; within a process,
        # writers queue on a lock instead (other processes still wait on busy_timeout).
        self._writer: threading.Lock | None = None if self.is_postgres else threading.Lock()

    def on_commit(self, listener: Callable[[], None]) -> None:
        with self._lock:
            self._after_commit.append(listener)

    @contextmanager
    def write(self, *, batch_inserts: bool = False) -> Iterator[Connection]:
        """A write transaction, committed when the block ends without an exception.

        ``batch_inserts``: the block only inserts what it will not read back, so
        ``insert_many`` rows wait and go to the database just before the commit (on PostgreSQL
        in one statement). SQLite defers them too, so a read-after-batch bug fails on both.
        """
        if self._writer is None:
            with self._write(batch_inserts) as conn:
                yield conn
        else:
            with self._writer, self._write(batch_inserts) as conn:
                yield conn

    @contextmanager
    def _write(self, batch_inserts: bool = False) -> Iterator[Connection]:
        notify = False
        with self.engine.connect() as conn:
            hooks: list[Callable[[], None]] = []
            after: list[Callable[[], None]] = []
            conn.info[_HOOKS] = hooks
            conn.info[_AFTER] = after
            conn.info[_SCRATCH] = {}
            batch = conn.info[_BATCH] = BatchedInserts() if batch_inserts else None
            try:
                with conn.begin():
                    yield conn
                    for hook in hooks:
                        hook()
                    if batch is not None:
                        batch.flush(conn)
                notify = bool(conn.info[_SCRATCH].get(_NOTIFY))
            finally:
                # info belongs to the pooled DBAPI connection: leave nothing behind.
                conn.info.pop(_HOOKS, None)
                conn.info.pop(_AFTER, None)
                conn.info.pop(_SCRATCH, None)
                conn.info.pop(_BATCH, None)
        for hook in after:
            hook()
        if notify:
            for listener in tuple(self._after_commit):
                listener()

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            conn = conn.execution_options(**{READ_ONLY: True})
            with conn.begin():
                yield conn

    @contextmanager
    def report(self) -> Iterator[Connection]:
        """A read for figures that may lag the primary by the replica's delay (the dashboard's
        home figures, exports): on the read replica when one is configured. Never use it for
        a read that must see a write just made (a page shown after its form was posted)."""
        if self.replica is None:
            with self.read() as conn:
                yield conn
            return
        with self.replica.connect() as conn:
            conn = conn.execution_options(**{READ_ONLY: True})
            with conn.begin():
                yield conn

    def dispose(self) -> None:
        self.engine.dispose()
        if self.replica is not None:
            self.replica.dispose()
