"""Is a database error a full disk? (issue 18 item 4)

SQLite answers ``SQLITE_FULL`` ("database or disk is full") when a write finds no room, in the
file or in its ``PRAGMA max_page_count``; the transaction is rolled back and the file stays
whole (``PRAGMA integrity_check``), and writes work again once room returns. PostgreSQL answers
SQLSTATE 53100 (``disk_full``). Either way nothing was written, so the API answers
507 ``storage_full`` rather than a generic 503.
"""

from __future__ import annotations

import sqlite3

__all__ = ["storage_full"]

_PG_DISK_FULL = "53100"


def storage_full(exc: BaseException) -> bool:
    """Whether ``exc`` (a SQLAlchemy error or a driver's) says the database's disk is full."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, sqlite3.Error):
            code = getattr(current, "sqlite_errorcode", None)
            if code is not None and code & 0xFF == sqlite3.SQLITE_FULL:
                return True
            if "database or disk is full" in str(current):
                return True
        if getattr(current, "sqlstate", None) == _PG_DISK_FULL:
            return True
        if isinstance(current, OSError) and current.errno == 28:  # ENOSPC
            return True
        current = getattr(current, "orig", None) or current.__cause__
    return False
