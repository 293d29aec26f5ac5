"""SQL for the outbox table: emitting, claiming, settling and inspecting events.

Claiming takes a short lease (``locked_until``, see ``db/leases.py``) so that a worker calls
subscribers outside any transaction. A claim takes whole aggregates: the oldest undelivered
event of each and the due ones queued behind it, which keeps delivery in order per aggregate
while a busy aggregate's backlog goes in one pass.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from podium import traces
from podium.db.database import (
    as_utc,
    before_commit,
    insert_many,
    notify_after_commit,
    transaction_scratch,
    utcnow,
)
from podium.db.leases import due, lease_update
from podium.db.tables import outbox
from podium.events.catalogue import Event
from podium.events.model import DomainEvent
from podium.paging import Keyset, Page, Position, keyset_page

__all__ = [
    "DEAD",
    "DELIVERED",
    "PENDING",
    "PENDING_SQL",
    "claim",
    "emit",
    "emit_records",
    "event",
    "list_events",
    "mark_delivered",
    "mark_failed",
    "mark_held",
    "requeue",
    "status_counts",
    "traceparents",
]

PENDING = "pending"
DELIVERED = "delivered"
DEAD = "dead"


def emit(conn: Connection, events: Sequence[Event]) -> None:
    """Write events (catalogue classes, see ``events.catalogue``) to the outbox in the
    caller's transaction, in the given order.

    Inside ``Database.write()`` the events are gathered and written in one INSERT just before
    the commit, however many places in the transaction emit them.
    """
    emit_records(conn, [record_of(e) for e in events])


def record_of(event: Event) -> DomainEvent:
    """The outbox record of an event: its aggregate, wire type and JSON payload."""
    if not event.TYPE:
        raise RuntimeError(f"{type(event).__name__} is not a concrete event class")
    return DomainEvent(event.AGGREGATE, event.aggregate_id(), event.TYPE, event.payload())


def emit_records(conn: Connection, events: Sequence[DomainEvent]) -> None:
    """Write raw outbox records: for the outbox's own tests and benchmarks, which need event
    types of their own. Podium's code emits catalogue events through ``emit``."""
    if not events:
        return
    scratch = transaction_scratch(conn)
    if scratch is None:
        _insert(conn, events)
        return
    pending = scratch.get(_PENDING)
    if pending is None:
        notify_after_commit(conn)
        gathered: list[DomainEvent] = []
        scratch[_PENDING] = gathered
        before_commit(conn, lambda: _insert(conn, gathered))
        pending = gathered
    if not isinstance(pending, list):
        raise RuntimeError(f"transaction scratch {_PENDING!r} holds {type(pending).__name__}")
    pending.extend(events)


_PENDING = "outbox.pending"


def _insert(conn: Connection, events: Sequence[DomainEvent]) -> None:
    if not events:
        return
    now = utcnow()
    parent = traces.traceparent()
    insert_many(
        conn,
        outbox,
        [
            {
                "aggregate_type": e.aggregate_type,
                "aggregate_id": e.aggregate_id,
                "event_type": e.type,
                "payload": e.payload,
                "created_at": now,
                "status": PENDING,
                "attempts": 0,
                "next_attempt_at": now,
                "delivered_to": [],
                "traceparent": parent,
            }
            for e in events
        ],
    )


_o = outbox.c
_earlier = outbox.alias("earlier")
# 'pending' as a literal, never a bound parameter: psycopg prepares a statement after a few
# runs and PostgreSQL may then use a generic plan, which cannot prove that ``status = $1``
# matches the partial indexes on pending events. The claim then walked the whole primary key,
# every delivered event included: 16-47 ms a pass, growing with the table, and the biggest
# single cost on the database under load.
PENDING_SQL: sa.ColumnClause[str] = sa.literal_column(f"'{PENDING}'")
_HEAD_OF_AGGREGATE = ~sa.exists().where(
    _earlier.c.aggregate_type == _o.aggregate_type,
    _earlier.c.aggregate_id == _o.aggregate_id,
    _earlier.c.status == PENDING_SQL,
    _earlier.c.id < _o.id,
)
_NOW = sa.bindparam("now", type_=outbox.c.next_attempt_at.type)
_HEADS = (
    sa.select(_o.id, _o.aggregate_type, _o.aggregate_id)
    .where(
        _o.status == PENDING_SQL,
        _o.next_attempt_at <= _NOW,
        due(_o.locked_until, _NOW),
        _HEAD_OF_AGGREGATE,
    )
    .order_by(_o.id)
    .limit(sa.bindparam("heads", type_=sa.Integer))
)


def _members_statement(postgres: bool) -> sa.Select[Any]:
    """The pending events of the aggregates whose oldest pending event is due: those heads
    (row-locked on PostgreSQL, so a concurrent worker skips their aggregates) and the events
    queued behind them, oldest first."""
    heads = (_HEADS.with_for_update(skip_locked=True, of=outbox) if postgres else _HEADS).cte(
        "heads"
    )
    return (
        sa.select(_o.id, _o.aggregate_type, _o.aggregate_id, _o.next_attempt_at, _o.locked_until)
        .join(
            heads,
            sa.and_(
                _o.aggregate_type == heads.c.aggregate_type,
                _o.aggregate_id == heads.c.aggregate_id,
            ),
        )
        .where(_o.status == PENDING_SQL, _o.id >= heads.c.id)
        .order_by(_o.id)
        .limit(sa.bindparam("members", type_=sa.Integer))
    )


_MEMBERS = {True: _members_statement(True), False: _members_statement(False)}
_LEASE = lease_update(outbox, sa.bindparam("ids", expanding=True))


def claim(
    conn: Connection, *, now: datetime, lease_until: datetime, limit: int
) -> list[sa.RowMapping]:
    """Lease up to ``limit`` aggregates' due events: for each, its oldest pending event and the
    ones queued behind it that are due too, in order (up to ``limit`` of those in all), so a
    pass delivers a busy aggregate's backlog at once rather than one event per pass.

    Only a worker holding an aggregate's oldest pending event claims any of its events (the
    others are not heads and their head is leased or row-locked), which keeps delivery in
    order per aggregate however many workers run."""
    statement = _MEMBERS[conn.dialect.name == "postgresql"]
    found = conn.execute(statement, {"now": now, "heads": limit, "members": 2 * limit})
    ids = _due_prefixes(found.mappings(), now)
    if not ids:
        return []
    rows = conn.execute(_LEASE, {"ids": ids, "lease_until": lease_until})
    return sorted(rows.mappings(), key=lambda r: int(r["id"]))


def _due_prefixes(rows: Iterable[sa.RowMapping], now: datetime) -> list[int]:
    """Per aggregate, its events up to the first one that is not due (backing off, or leased
    by another worker after a retry): nothing may overtake an event still waiting."""
    stopped: set[tuple[str, str]] = set()
    ids: list[int] = []
    for r in rows:  # oldest first
        key = (r["aggregate_type"], r["aggregate_id"])
        if key in stopped:
            continue
        held = r["locked_until"] is not None and as_utc(r["locked_until"]) >= now
        if as_utc(r["next_attempt_at"]) > now or held:
            stopped.add(key)
            continue
        ids.append(int(r["id"]))
    return ids


_MARK_DELIVERED = (
    outbox.update()
    .where(outbox.c.id.in_(sa.bindparam("ids", expanding=True)))
    .values(
        status=DELIVERED,
        delivered_to=sa.bindparam("subscribers", type_=outbox.c.delivered_to.type),
        delivered_at=sa.bindparam("now", type_=outbox.c.delivered_at.type),
        locked_until=None,
        attempts=outbox.c.attempts + 1,
        last_error=None,
    )
)


def mark_delivered(conn: Connection, event_ids: Sequence[int], delivered_to: list[str]) -> None:
    """Settle events that every subscriber has now received."""
    if not event_ids:
        return
    conn.execute(
        _MARK_DELIVERED, {"ids": list(event_ids), "subscribers": delivered_to, "now": utcnow()}
    )


def mark_held(conn: Connection, event_id: int, delivered_to: list[str]) -> None:
    """Give back an event that waited for an earlier one of its aggregate that failed: it keeps
    what it reached, and neither an attempt nor a backoff is counted against it."""
    conn.execute(
        outbox.update()
        .where(outbox.c.id == event_id)
        .values(delivered_to=delivered_to, locked_until=None)
    )


def mark_failed(
    conn: Connection,
    event_id: int,
    *,
    delivered_to: list[str],
    error: str,
    next_attempt_at: datetime,
    dead: bool,
) -> None:
    conn.execute(
        outbox.update()
        .where(outbox.c.id == event_id)
        .values(
            status=DEAD if dead else PENDING,
            delivered_to=delivered_to,
            last_error=error[:2000],
            next_attempt_at=next_attempt_at,
            locked_until=None,
            attempts=outbox.c.attempts + 1,
        )
    )


def requeue(conn: Connection, event_id: int) -> bool:
    """Put a dead (or pending) event back in line for an immediate attempt."""
    result = conn.execute(
        outbox.update()
        .where(outbox.c.id == event_id, outbox.c.status.in_([DEAD, PENDING]))
        .values(status=PENDING, next_attempt_at=utcnow(), locked_until=None, attempts=0)
    )
    return result.rowcount == 1


def requeue_dead(conn: Connection) -> int:
    """Every dead event back in line for an immediate attempt (after an outage is over)."""
    result = conn.execute(
        outbox.update()
        .where(outbox.c.status == DEAD)
        .values(status=PENDING, next_attempt_at=utcnow(), locked_until=None, attempts=0)
    )
    return int(result.rowcount or 0)


def event(conn: Connection, event_id: int) -> sa.RowMapping | None:
    return conn.execute(sa.select(outbox).where(outbox.c.id == event_id)).mappings().first()


_NEWEST = Keyset((outbox.c.id,), descending=True)


def list_events(
    conn: Connection, *, status: str | None, position: Position | None, limit: int
) -> Page[sa.RowMapping]:
    """Newest first, keyset-paged on the id."""
    query = sa.select(outbox)
    if status is not None:
        query = query.where(outbox.c.status == status)
    return keyset_page(conn, query, _NEWEST, position, limit, lambda r: (r["id"],))


def status_counts(conn: Connection) -> dict[str, int]:
    query = sa.select(outbox.c.status, sa.func.count()).group_by(outbox.c.status)
    return {r[0]: int(r[1]) for r in conn.execute(query)}


def traceparents(conn: Connection, event_ids: Sequence[int]) -> list[str | None]:
    """The stored trace contexts of these events (for work that continues their traces)."""
    if not event_ids:
        return []
    query = sa.select(_o.traceparent).where(_o.id.in_(sorted(set(event_ids))))
    return [r[0] for r in conn.execute(query)]
