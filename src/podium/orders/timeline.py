"""An order's timeline: what happened to it, in order (the ``order_events`` table).

Other capabilities add their own entries about an order (a label bought, a channel told) with
``add_timeline``, in their own transaction; orders reads them back for the order's page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from podium.db.database import insert_many, utcnow
from podium.db.tables import order_events, order_events_archive

__all__ = ["TimelineRecord", "TimelineRow", "add_timeline", "has_entry", "timeline_rows"]


@dataclass(frozen=True, slots=True)
class TimelineRow:
    """An entry to add: its type (``order.held``, ``note.added``…), text and data."""

    type: str
    message: str
    data: dict[str, Any]


@dataclass(frozen=True, slots=True)
class TimelineRecord:
    """An entry as stored."""

    at: datetime
    type: str
    message: str
    data: dict[str, Any]
    actor: str


def add_timeline(
    conn: Connection,
    order_id: str,
    entries: Sequence[TimelineRow],
    actor: str,
    at: datetime | None = None,
) -> None:
    when = at or utcnow()
    insert_many(
        conn,
        order_events,
        [
            {
                "order_id": order_id,
                "at": when,
                "type": e.type,
                "message": e.message,
                "data": e.data,
                "actor": actor,
            }
            for e in entries
        ],
    )


def _entries(order_id: str) -> sa.CompoundSelect[Any]:
    """The order's live entries and those ``podium db archive`` moved (same ids, same order)."""
    return sa.union_all(
        *(
            sa.select(t).where(t.c.order_id == order_id)
            for t in (order_events, order_events_archive)
        )
    )


def timeline_rows(conn: Connection, order_id: str) -> list[TimelineRecord]:
    """The order's entries, oldest first (archived months included)."""
    entries = _entries(order_id).subquery()
    query = sa.select(entries).order_by(entries.c.id)
    return [
        TimelineRecord(r["at"], r["type"], r["message"], r["data"], r["actor"])
        for r in conn.execute(query).mappings()
    ]


def has_entry(conn: Connection, order_id: str, kind: str, key: str, value: Any) -> bool:
    """Whether the order's timeline has a ``kind`` entry whose data has ``key`` = ``value``
    (a mark another capability left once, such as a late shipment's)."""
    entries = _entries(order_id).subquery()
    query = sa.select(entries.c.data).where(entries.c.type == kind)
    return any((d or {}).get(key) == value for d in conn.execute(query).scalars())
