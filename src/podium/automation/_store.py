"""SQL for automation runs (the rule sets are ``db.versioned`` documents)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import Connection

from podium.db.database import utcnow
from podium.db.tables import automation_runs

__all__ = ["insert_run", "ran"]

_RAN = sa.select(automation_runs.c.event_id).where(
    automation_runs.c.event_id == sa.bindparam("event_id")
)


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
