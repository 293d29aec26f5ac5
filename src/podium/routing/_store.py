"""SQL for routing rule sets: numbered versions, the highest one active."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from podium.db.database import as_utc, utcnow
from podium.db.tables import routing_rule_sets

__all__ = ["insert_version", "latest", "version", "versions"]

_LATEST = sa.select(routing_rule_sets).order_by(routing_rule_sets.c.version.desc()).limit(1)


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
    query = sa.select(routing_rule_sets).where(routing_rule_sets.c.version == number)
    row = conn.execute(query).mappings().first()
    return _row(row) if row else None


def versions(conn: Connection, *, limit: int = 100) -> list[dict[str, Any]]:
    query = sa.select(routing_rule_sets).order_by(routing_rule_sets.c.version.desc()).limit(limit)
    return [_row(r) for r in conn.execute(query).mappings()]


def insert_version(conn: Connection, rules: dict[str, Any], note: str | None, actor: str) -> int:
    """Save ``rules`` as the next version (a concurrent save loses on the primary key)."""
    top = conn.execute(sa.select(sa.func.max(routing_rule_sets.c.version))).scalar()
    number = int(top or 0) + 1
    conn.execute(
        routing_rule_sets.insert().values(
            version=number, rules=rules, note=note, created_at=utcnow(), created_by=actor
        )
    )
    return number
