"""Checking and counting hits against limits, shared through the database."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence

from sqlalchemy import Connection

from podium.db.database import Database
from podium.throttle import _store as store
from podium.throttle.model import Limit, counter_key, retry_after, window_start

__all__ = ["Throttle"]

# Counters of windows that ended this long ago are deleted (no limit has a longer window).
KEEP_SECONDS = 3600
EXPIRE_EVERY_SECONDS = 60.0

Checks = Sequence[tuple[Limit, str]]


class Throttle:
    """Per-subject limits in the database, so every process counts the same hits and nothing
    is forgotten under a flood of distinct subjects (old windows are deleted instead)."""

    def __init__(self, db: Database, clock: Callable[[], float] = time.time) -> None:
        self.db = db
        self.clock = clock
        self._expired_at = 0.0
        self._lock = threading.Lock()

    def wait(self, checks: Checks) -> int:
        """Seconds until every check may pass again (0 when all may pass now)."""
        now = self.clock()
        with self.db.read() as conn:
            return max(
                (self._wait(conn, limit, subject, now) for limit, subject in checks), default=0
            )

    def hit(self, checks: Checks) -> int:
        """Count a hit against each check; seconds to wait if any is now over its limit (the
        hit counts either way, so hammering on keeps the caller out)."""
        now = self.clock()
        with self.db.write() as conn:
            for limit, subject in checks:
                store.hit(conn, counter_key(limit, subject), window_start(now, limit.window))
            waits = [self._wait(conn, limit, subject, now, over=True) for limit, subject in checks]
            if self._expiry_due(now):
                store.expire(conn, int(now) - KEEP_SECONDS)
        return max(waits, default=0)

    def clear(self, limit: Limit, subject: str) -> None:
        with self.db.write() as conn:
            store.clear(conn, counter_key(limit, subject))

    @staticmethod
    def _wait(
        conn: Connection, limit: Limit, subject: str, now: float, *, over: bool = False
    ) -> int:
        current = window_start(now, limit.window)
        key = counter_key(limit, subject)
        previous, count = store.counts(conn, key, current - limit.window, current)
        if over:  # after counting this hit: only more than the limit is refused
            count -= 1
        return retry_after(previous, count, now, limit)

    def _expiry_due(self, now: float) -> bool:
        with self._lock:
            if now - self._expired_at < EXPIRE_EVERY_SECONDS:
                return False
            self._expired_at = now
            return True
