"""How far behind the outbox is: the age of the oldest event still waiting (dashboard)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from podium.db.database import Database, as_utc
from podium.db.tables import outbox
from podium.events._store import PENDING_SQL

__all__ = ["outbox_lag"]


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
