"""SQL for automation rule sets (numbered versions, the highest active) and runs."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from podium.db.database import as_utc, utcnow
from podium.db.tables import automation_rule_sets, automation_runs

__all__ = ["insert_run", "insert_version", "latest", "ran", "version", "versions"]

_SETS = automation_rule_sets
_LATEST = sa.select(_SETS).order_by(_SETS.c.version.desc()).limit(1)
_RAN = sa.select(automation_runs.c.event_id).where(
    automation_runs.c.event_id == sa.bindparam("event_id")
)


def _row(row: sa.RowMapping) -> dict[str, Any]:
    return {
        "version": row["version"],
        "rules": row["rules"],
        "note": row["note"],
        "created_at": as_utc(row["created_at"]),
        "created_by": row["created_by"],
    }


def latest(conn: Connection) -> dict[str, Any] | None:
    row = conn.execute(_LATEST).mappings().first()
    return _row(row) if row else None


def version(conn: Connection, number: int) -> dict[str, Any] | None:
    row = conn.execute(sa.select(_SETS).where(_SETS.c.version == number)).mappings().first()
    return _row(row) if row else None


def versions(conn: Connection, *, limit: int = 100) -> list[dict[str, Any]]:
    query = sa.select(_SETS).order_by(_SETS.c.version.desc()).limit(limit)
    return [_row(r) for r in conn.execute(query).mappings()]


def insert_version(conn: Connection, rules: dict[str, Any], note: str | None, actor: str) -> int:
    """Save ``rules`` as the next version (a concurrent save loses on the primary key)."""
    top = conn.execute(sa.select(sa.func.max(_SETS.c.version))).scalar()
    number = int(top or 0) + 1
    conn.execute(
        _SETS.insert().values(
            version=number, rules=rules, note=note, created_at=utcnow(), created_by=actor
        )
    )
    return number


def ran(conn: Connection, event_id: int) -> bool:
    """Whether the rules were already applied to this outbox event."""
    return conn.execute(_RAN, {"event_id": event_id}).first() is not None


def insert_run(
    conn: Connection, event_id: int, order_id: str, trigger: str, number: int, fired: list[str]
) -> None:
    conn.execute(
        automation_runs.insert().values(
            event_id=event_id,
            order_id=order_id,
            trigger=trigger,
            version=number,
            fired=fired,
            at=utcnow(),
        )
    )
