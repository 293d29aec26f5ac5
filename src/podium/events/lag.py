"""How far behind the outbox is: the age of the oldest event still waiting (dashboard), and
the backlog by event type with the dead letters (metrics, read at scrape time)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from podium.db.database import Database, as_utc
from podium.db.tables import outbox
from podium.events._store import DEAD, PENDING_SQL

__all__ = ["Backlog", "outbox_backlog", "outbox_lag"]


def outbox_lag(db: Database, now: datetime | None = None) -> timedelta | None:
    """How long the oldest pending event has waited (None when nothing waits).

    Stock pushes to channels, e-mails and webhooks all wait here, so this is how stale a
    channel's stock figure can be. Ids grow with time: the partial index on pending ids finds
    the oldest at once.
    """
    with db.read() as conn:
        oldest = conn.execute(
            sa.select(outbox.c.created_at)
            .where(outbox.c.status == PENDING_SQL)  # a literal: see events/_store.py
            .order_by(outbox.c.id)
            .limit(1)
        ).scalar_one_or_none()
    if oldest is None:
        return None
    return max(timedelta(0), (now or datetime.now(UTC)) - as_utc(oldest))


@dataclass(frozen=True, slots=True)
class Backlog:
    """Pending events per event type (how many, the oldest one's commit) and the dead letters."""

    pending: dict[str, tuple[int, datetime]]
    dead: int


def outbox_backlog(db: Database) -> Backlog:
    """Two statements on the pending and dead rows only (the partial index and the status
    index): cheap however many delivered events the outbox keeps."""
    with db.read() as conn:
        rows = conn.execute(
            sa.select(outbox.c.event_type, sa.func.count(), sa.func.min(outbox.c.created_at))
            .where(outbox.c.status == PENDING_SQL)
            .group_by(outbox.c.event_type)
        ).all()
        dead = conn.execute(
            sa.select(sa.func.count()).select_from(outbox).where(outbox.c.status == DEAD)
        ).scalar_one()
    return Backlog({str(t): (int(n), as_utc(oldest)) for t, n, oldest in rows}, int(dead))
