"""A document kept in numbered versions, the highest one active: routing rules and automation
rules both. Saving adds a version; rollback saves an old one again as the newest, so history is
never rewritten. The active version is cached per process for ``ttl`` seconds and dropped at
once when this process saves, so hot paths (online routing, the automation subscriber) read no
rules row per order.

The table has ``version`` (primary key), ``rules`` (JSON), ``note``, ``created_at`` and
``created_by``.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import sqlalchemy as sa
from sqlalchemy import Connection, Engine
from sqlalchemy.exc import IntegrityError

from podium.db.database import Database, as_utc, utcnow
from podium.errors import Conflict, NotFound
from podium.numbers import INT_MAX

__all__ = ["Versions"]

T = TypeVar("T")
Row = dict[str, Any]


class Versions(Generic[T]):
    """``what`` names the document in messages ("routing rules"); ``parse`` reads a stored
    body; ``default`` is version 0, what is active before anything is saved."""

    def __init__(
        self,
        table: sa.Table,
        what: str,
        parse: Callable[[dict[str, Any]], T],
        default: T,
        ttl: float = 2.0,
    ) -> None:
        self.table = table
        self.what = what
        self.parse = parse
        self.default = default
        self.ttl = ttl
        self._cache: weakref.WeakKeyDictionary[Engine, tuple[float, int, T]] = (
            weakref.WeakKeyDictionary()
        )
        self._lock = threading.Lock()
        c = table.c
        self._latest = sa.select(table).order_by(c.version.desc()).limit(1)

    # --- SQL ---------------------------------------------------------------------------------

    def latest(self, conn: Connection) -> Row | None:
        row = conn.execute(self._latest).mappings().first()
        return _row(row) if row else None

    def version(self, conn: Connection, number: int) -> Row | None:
        query = sa.select(self.table).where(self.table.c.version == number)
        row = conn.execute(query).mappings().first()
        return _row(row) if row else None

    def versions(self, conn: Connection, *, limit: int = 100) -> list[Row]:
        query = sa.select(self.table).order_by(self.table.c.version.desc()).limit(limit)
        return [_row(r) for r in conn.execute(query).mappings()]

    def insert(self, conn: Connection, body: dict[str, Any], note: str | None, actor: str) -> int:
        """Save ``body`` as the next version (a concurrent save loses on the primary key)."""
        top = conn.execute(sa.select(sa.func.max(self.table.c.version))).scalar()
        number = int(top or 0) + 1
        conn.execute(
            self.table.insert().values(
                version=number, rules=body, note=note, created_at=utcnow(), created_by=actor
            )
        )
        return number

    # --- the active version, cached ----------------------------------------------------------

    def active(self, conn: Connection) -> tuple[int, T]:
        """The active document and its version (cached briefly per process)."""
        now = time.monotonic()
        hit = self._cache.get(conn.engine)
        if hit is not None and hit[0] > now:
            return hit[1], hit[2]
        row = self.latest(conn)
        found = (0, self.default) if row is None else (row["version"], self.parse(row["rules"]))
        with self._lock:
            self._cache[conn.engine] = (now + self.ttl, *found)
        return found

    def cached(self, engine: Engine) -> tuple[int, T] | None:
        """The active document while its cache entry is fresh, without a connection (a
        subscriber that hears every event asks this first); None when it must be read."""
        hit = self._cache.get(engine)
        if hit is not None and hit[0] > time.monotonic():
            return hit[1], hit[2]
        return None

    def forget(self, engine: Engine) -> None:
        with self._lock:
            self._cache.pop(engine, None)

    # --- use cases ---------------------------------------------------------------------------

    def newest(self, db: Database) -> Row | None:
        with db.read() as conn:
            return self.latest(conn)

    def read(self, db: Database, number: int) -> tuple[Row | None, int]:
        """Version ``number`` (None for version 0) and the active version's number; 404
        ``rules_version_not_found`` when there is no such version."""
        missing = NotFound(f"No {self.what} version {number}.", code="rules_version_not_found")
        if not 0 <= number <= INT_MAX:  # an INTEGER column: beyond it, none exists
            raise missing
        with db.read() as conn:
            row = self.latest(conn)
            latest = row["version"] if row else 0
            found = None if number == 0 else self.version(conn, number)
        if number != 0 and found is None:
            raise missing
        return found, latest

    def history(self, db: Database) -> tuple[list[Row], int]:
        """Saved versions, newest first, and the active version's number."""
        with db.read() as conn:
            rows = self.versions(conn)
        return rows, rows[0]["version"] if rows else 0

    def save(self, db: Database, body: dict[str, Any], note: str | None, actor: str) -> Row:
        """Save ``body`` as a new version, which becomes the active one (409
        ``concurrent_change`` when another process saved one at the same moment)."""
        try:
            with db.write() as conn:
                number = self.insert(conn, body, note, actor)
                row = self.version(conn, number)
        except IntegrityError:
            raise Conflict(
                f"Another change to the {self.what} was saved at the same moment; try again.",
                code="concurrent_change",
            ) from None
        self.forget(db.engine)
        if row is None:
            raise RuntimeError(f"{self.what} version {number} vanished")
        return row


def _row(row: sa.RowMapping) -> Row:
    return {
        "version": row["version"],
        "rules": row["rules"],
        "note": row["note"],
        "created_at": as_utc(row["created_at"]),
        "created_by": row["created_by"],
    }
