"""SQL behind paced pushes: the marks on listings, and the per-channel pusher leases.

A mark is ``wanted_seq`` (the newest stock change, an outbox id, the platform has not been
told) and ``wanted_at`` (when the oldest untold change was made). Marking is one UPDATE per
batch of SKUs and idempotent: a mark only moves forward. Clearing names the ``wanted_seq`` the
pusher read: a newer mark made meanwhile stays (its ``wanted_at`` moves up to when the pusher
read the stock, the oldest change the push may not have included).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import Connection

from podium.db.leases import due
from podium.db.tables import channel_listings, channel_pushers

__all__ = [
    "claim_pusher",
    "clear_marks",
    "failed_marks",
    "failing",
    "mark",
    "release_pusher",
    "wanted",
]

_l = channel_listings.c
_p = channel_pushers.c


def mark(conn: Connection, changes: Mapping[str, tuple[int, datetime]]) -> int:
    """Mark every listing of these SKUs (sku -> (newest outbox id, oldest change's time)) as
    wanting a push, unless it already wants this version or was told a newer one."""
    if not changes:
        return 0
    query = (
        channel_listings.update()
        .where(
            _l.sku == sa.bindparam("b_sku"),
            _l.pushed_seq < sa.bindparam("b_seq"),
            sa.or_(_l.wanted_seq.is_(None), _l.wanted_seq < sa.bindparam("b_seq")),
        )
        .values(
            wanted_seq=sa.bindparam("b_seq"),
            wanted_at=sa.func.coalesce(_l.wanted_at, sa.bindparam("b_at", type_=_l.wanted_at.type)),
        )
    )
    rows = [{"b_sku": sku, "b_seq": seq, "b_at": at} for sku, (seq, at) in sorted(changes.items())]
    return int(conn.execute(query, rows).rowcount or 0)


def wanted(conn: Connection, channel: str, limit: int) -> list[sa.RowMapping]:
    """A channel's marked listings, the longest waiting first."""
    query = (
        sa.select(channel_listings)
        .where(_l.channel == channel, _l.wanted_at.is_not(None))
        .order_by(_l.wanted_at, _l.sku)
        .limit(limit)
    )
    return list(conn.execute(query).mappings())


def clear_marks(conn: Connection, channel: str, seqs: Mapping[str, int], read_at: datetime) -> None:
    """The platform was told these listings' figures as of ``seqs``: clear their marks, unless
    a newer change marked them meanwhile (that mark stays, dated no earlier than ``read_at``)."""
    if not seqs:
        return
    rows = [{"b_sku": sku, "b_seq": seq} for sku, seq in sorted(seqs.items())]
    where = (_l.channel == channel) & (_l.sku == sa.bindparam("b_sku"))
    conn.execute(
        channel_listings.update()
        .where(where, _l.wanted_seq <= sa.bindparam("b_seq"))
        .values(wanted_seq=None, wanted_at=None, push_attempts=0, push_error=None),
        rows,
    )
    conn.execute(
        channel_listings.update()
        .where(where, _l.wanted_seq > sa.bindparam("b_seq"), _l.wanted_at < read_at)
        .values(wanted_at=read_at, push_attempts=0, push_error=None),
        rows,
    )


def failed_marks(conn: Connection, channel: str, errors: Mapping[str, str]) -> None:
    """These listings' push failed: count the attempt and keep the reason (marks stay)."""
    if not errors:
        return
    conn.execute(
        channel_listings.update()
        .where(_l.channel == channel, _l.sku == sa.bindparam("b_sku"))
        .values(push_attempts=_l.push_attempts + 1, push_error=sa.bindparam("b_error")),
        [{"b_sku": s, "b_error": e[:2000]} for s, e in sorted(errors.items())],
    )


def failing(conn: Connection, channel: str, limit: int = 100) -> list[sa.RowMapping]:
    """Marked listings whose pushes failed: sku, push_attempts, push_error."""
    query = (
        sa.select(_l.sku, _l.push_attempts, _l.push_error)
        .where(_l.channel == channel, _l.wanted_at.is_not(None), _l.push_attempts > 0)
        .order_by(_l.wanted_at)
        .limit(limit)
    )
    return list(conn.execute(query).mappings())


# --- pusher leases ----------------------------------------------------------------------------


def _at(when: datetime) -> sa.ColumnElement[datetime]:
    return sa.literal(when, _p.locked_until.type)


def claim_pusher(
    conn: Connection, channel: str, holder: str, now: datetime, until: datetime
) -> bool:
    """Take (or keep) the right to push ``channel``'s stock until ``until``: granted when
    nobody holds it, its holder's lease ran out, or ``holder`` holds it already."""
    exists = conn.execute(sa.select(_p.id).where(_p.id == channel)).first()
    if exists is None:
        try:
            with conn.begin_nested():
                conn.execute(channel_pushers.insert().values(id=channel))
        except sa.exc.IntegrityError:
            pass  # another process made the row first
    result = conn.execute(
        channel_pushers.update()
        .where(
            _p.id == channel,
            sa.or_(due(_p.locked_until, _at(now)), _p.holder == holder),
        )
        .values(holder=holder, locked_until=until)
    )
    return bool(result.rowcount)


def release_pusher(conn: Connection, channels_held: Collection[str], holder: str) -> None:
    """Give up pushing these channels at once (a clean stop): another process takes over."""
    if channels_held:
        conn.execute(
            channel_pushers.update()
            .where(_p.id.in_(sorted(channels_held)), _p.holder == holder)
            .values(locked_until=None)
        )
