"""Old months of the timeline move to ``order_events_archive`` (``podium db archive``), as
they were, in id-ordered batches; ``timeline.py`` reads both tables, so an order's timeline
stays whole. The newest entry never moves (SQLite would hand its id out again).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from podium.db.tables import order_events, order_events_archive

__all__ = ["archive_timeline", "count_timeline_to_archive"]


def _before(table: sa.Table, when: datetime) -> sa.BindParameter[datetime]:
    return sa.bindparam(None, when, type_=table.c.at.type)


def _old_events(before: datetime) -> sa.Select[Any]:
    e = order_events.c
    newest = sa.select(sa.func.max(e.id)).scalar_subquery()  # SQLite would reuse its id
    return sa.select(e.id).where(e.at < _before(order_events, before), e.id < newest)


def count_timeline_to_archive(conn: Connection, before: datetime) -> int:
    query = sa.select(sa.func.count()).select_from(_old_events(before).subquery())
    return int(conn.execute(query).scalar_one())


def archive_timeline(conn: Connection, before: datetime, limit: int) -> int:
    ids = list(conn.execute(_old_events(before).order_by(order_events.c.id).limit(limit)).scalars())
    if not ids:
        return 0
    columns = [c.name for c in order_events_archive.c]
    conn.execute(
        order_events_archive.insert().from_select(
            columns,
            sa.select(*(order_events.c[n] for n in columns)).where(order_events.c.id.in_(ids)),
        )
    )
    conn.execute(order_events.delete().where(order_events.c.id.in_(ids)))
    return len(ids)
