"""SQL behind the health of every channel at once (the channels page and home).

Each read is one grouped query over an index, whatever the number of channels: the health row,
listings, failed webhook deliveries, and the stock changes a channel has not been told yet
(outbox events of its listed SKUs newer than what each listing was last told).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import Connection

from podium.db.database import as_utc
from podium.db.tables import channel_deliveries, channel_listings, channel_state, outbox

__all__ = [
    "failed_delivery_counts",
    "listing_counts",
    "retried_pushes",
    "states",
    "sync_backlog",
]

_l = channel_listings.c
_o = outbox.c


def states(conn: Connection) -> dict[str, sa.RowMapping]:
    return {r["channel"]: r for r in conn.execute(sa.select(channel_state)).mappings()}


def listing_counts(conn: Connection) -> dict[str, int]:
    query = sa.select(_l.channel, sa.func.count()).group_by(_l.channel)
    return {str(c): int(n) for c, n in conn.execute(query)}


def failed_delivery_counts(conn: Connection) -> dict[str, int]:
    d = channel_deliveries.c
    query = sa.select(d.channel, sa.func.count()).where(d.status == "failed").group_by(d.channel)
    return {str(c): int(n) for c, n in conn.execute(query)}


def _not_delivered_to(subscriber: str, dialect: str) -> sa.ColumnElement[bool]:
    if dialect == "postgresql":
        contains: sa.ColumnElement[bool] = _o.delivered_to.op("@>", return_type=sa.Boolean)(
            sa.func.jsonb_build_array(subscriber)
        )
        return sa.not_(contains)
    each = sa.func.json_each(_o.delivered_to).table_valued("value")
    return ~sa.exists(sa.select(1).select_from(each).where(each.c.value == subscriber))


def sync_backlog(
    conn: Connection, status: str, event_types: Iterable[str], subscriber: str
) -> dict[str, tuple[int, datetime]]:
    """Per channel: how many listed SKUs have stock changes in ``status`` ("pending": waiting,
    or being retried; "dead": given up) that ``subscriber`` has not handled and that are newer
    than what the listing was last told, and when the oldest such change was made. Pending
    ones count only listings not marked yet (a mark says the rest: it is at least as old)."""
    if status not in ("pending", "dead"):
        raise ValueError(status)
    query = (
        sa.select(_l.channel, sa.func.count(sa.distinct(_l.sku)), sa.func.min(_o.created_at))
        .select_from(outbox.join(channel_listings, _l.sku == _o.aggregate_id))
        .where(
            # a literal, so that SQLite uses the partial index on pending events
            _o.status == sa.literal_column(f"'{status}'"),
            _o.aggregate_type == "sku",
            _o.event_type.in_(sorted(event_types)),
            _o.id > _l.pushed_seq,
            _not_delivered_to(subscriber, conn.dialect.name),
        )
        .group_by(_l.channel)
    )
    if status == "pending":  # a marked listing is counted by its mark (_push_store.marked)
        query = query.where(_l.wanted_at.is_(None))
    return {str(c): (int(n), as_utc(at)) for c, n, at in conn.execute(query)}


def retried_pushes(
    conn: Connection, channel: str, event_types: Iterable[str], subscriber: str, limit: int = 100
) -> list[sa.RowMapping]:
    """The listed SKUs of ``channel`` whose newest untold stock change ``subscriber`` failed to
    deliver (being retried, or given up): sku, attempts, status, last_error, next_attempt_at;
    newest failure first."""
    query = (
        sa.select(
            _l.sku,
            _o.attempts,
            _o.status,
            _o.last_error,
            _o.next_attempt_at,
        )
        .select_from(outbox.join(channel_listings, _l.sku == _o.aggregate_id))
        .where(
            _l.channel == channel,
            _o.status.in_(("pending", "dead")),
            _o.attempts > 0,
            _o.aggregate_type == "sku",
            _o.event_type.in_(sorted(event_types)),
            _o.id > _l.pushed_seq,
            # told since (``podium channels sync``), the relay just has not caught up yet
            sa.or_(_l.pushed_at.is_(None), _l.pushed_at < _o.created_at),
            _not_delivered_to(subscriber, conn.dialect.name),
        )
        .order_by(_o.id.desc())
        .limit(limit * 5)
    )
    seen: set[str] = set()
    found = []
    for row in conn.execute(query).mappings():
        if row["sku"] not in seen:
            seen.add(row["sku"])
            found.append(row)
    return found[:limit]
