"""Claims under short leases, renewed while their holder lives: the one mechanism behind the
outbox relay and the webhook deliverer.

A worker claims queued rows by setting their ``locked_until`` to a moment a few seconds ahead
(``FOR UPDATE SKIP LOCKED`` on PostgreSQL lets many workers claim side by side; SQLite has one
writer at a time, so a plain claim is already exclusive). It then works outside any
transaction, and a heartbeat thread pushes the lease on while the work lasts, however long a
slow platform makes it. A process that dies (``kill -9``, a lost machine) stops renewing: its
claims come back to every other worker within one lease, seconds rather than minutes. A worker
that stops cleanly gives its claims back at once.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from podium.db.clock import utcnow
from podium.db.database import Database

__all__ = ["Leases", "due", "lease_update"]

log = logging.getLogger("podium.leases")

# The heartbeat renews this often, in leases: four chances to renew before a lease runs out.
_BEATS_PER_LEASE = 4


def due(locked_until: sa.ColumnElement[datetime], now: sa.ColumnElement[datetime]) -> Any:
    """A row nobody holds: never claimed, settled, or its holder's lease ran out."""
    return sa.or_(locked_until.is_(None), locked_until < now)


def lease_update(table: sa.Table, ids: sa.ScalarSelect[Any] | sa.BindParameter[Any]) -> sa.Update:
    """``UPDATE table SET locked_until = :lease_until WHERE id IN (ids) RETURNING *``."""
    return (
        table.update()
        .where(table.c.id.in_(ids))
        .values(locked_until=sa.bindparam("lease_until", type_=table.c.locked_until.type))
        .returning(table)
    )


class Leases:
    """The claims one worker holds on one table's rows, and the heartbeat that renews them.

    ``holding(ids)`` around the work: renewed every quarter lease while inside, forgotten
    after. ``release`` gives claims back untried.
    """

    def __init__(
        self,
        db: Database,
        table: sa.Table,
        seconds: float,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        if seconds <= 0:
            raise ValueError("a lease must last a positive number of seconds")
        self.db = db
        self.table = table
        self.seconds = seconds
        self.clock = clock
        self._held: dict[Any, int] = {}  # id -> how many holdings include it
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._beat: threading.Thread | None = None

    def until(self, now: datetime | None = None) -> datetime:
        """When a lease taken now runs out."""
        return (now or self.clock()) + timedelta(seconds=self.seconds)

    @contextmanager
    def holding(self, ids: Collection[Any]) -> Iterator[None]:
        """Keep these claims alive while the block runs."""
        with self._lock:
            for i in ids:
                self._held[i] = self._held.get(i, 0) + 1
            if self._beat is None and ids:
                self._stopping.clear()
                self._beat = threading.Thread(
                    target=self._run, name=f"podium-lease-{self.table.name}", daemon=True
                )
                self._beat.start()
        try:
            yield
        finally:
            with self._lock:
                for i in ids:
                    left = self._held.get(i, 1) - 1
                    if left:
                        self._held[i] = left
                    else:
                        self._held.pop(i, None)

    def held(self) -> list[Any]:
        with self._lock:
            return list(self._held)

    def renew(self) -> int:
        """Push every held claim's lease on; returns how many rows were renewed. A row settled
        meanwhile (``locked_until`` cleared) is left alone."""
        ids = self.held()
        if not ids:
            return 0
        c = self.table.c
        with self.db.write() as conn:
            result = conn.execute(
                self.table.update()
                .where(c.id.in_(ids), c.locked_until.is_not(None))
                .values(locked_until=self.until())
            )
        return int(result.rowcount or 0)

    def release(self, conn: Connection, ids: Collection[Any]) -> None:
        """Give claims back untried: due again at once for any worker."""
        if ids:
            conn.execute(
                self.table.update().where(self.table.c.id.in_(list(ids))).values(locked_until=None)
            )

    def _run(self) -> None:
        """Renew until nothing is held any more (the next holding starts a new beat)."""
        interval = self.seconds / _BEATS_PER_LEASE
        while not self._stopping.wait(interval):
            with self._lock:
                if not self._held:
                    self._beat = None
                    return
            try:
                self.renew()
            except Exception:  # a database hiccup: the next beat tries again
                log.exception("renewing leases on %s failed", self.table.name)

    def stop(self) -> None:
        """Stop the heartbeat (claims still held run out on their own)."""
        self._stopping.set()
        with self._lock:
            beat, self._beat = self._beat, None
        if beat is not None:
            beat.join(5)
