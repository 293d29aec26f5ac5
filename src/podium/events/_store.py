"""SQL for the outbox table: emitting, claiming, settling and inspecting events.

Claiming takes a lease (``locked_until``) so that a worker calls subscribers outside any
transaction; ``FOR UPDATE SKIP LOCKED`` lets many workers claim side by side on PostgreSQL
(SQLite has one writer at a time, so a plain claim is already exclusive). Only the oldest
undelivered event of each aggregate is claimable, which keeps delivery in order per aggregate.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import Connection

from podium.db.database import (
    before_commit,
    insert_many,
    notify_after_commit,
    transaction_scratch,
    utcnow,
)
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
    "requeue",
    "status_counts",
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
_DUE = (
    sa.select(_o.id)
    .where(
        _o.status == PENDING_SQL,
        _o.next_attempt_at <= _NOW,
        sa.or_(_o.locked_until.is_(None), _o.locked_until < _NOW),
        _HEAD_OF_AGGREGATE,
    )
    .order_by(_o.id)
    .limit(sa.bindparam("limit", type_=sa.Integer))
)


def _claim_statement(postgres: bool) -> sa.Update:
    due = _DUE.with_for_update(skip_locked=True, of=outbox) if postgres else _DUE
    return (
        outbox.update()
        .where(_o.id.in_(due.scalar_subquery()))
        .values(locked_until=sa.bindparam("lease_until", type_=_o.locked_until.type))
        .returning(outbox)
    )


_CLAIM = {True: _claim_statement(True), False: _claim_statement(False)}


def claim(
    conn: Connection, *, now: datetime, lease_until: datetime, limit: int
) -> list[sa.RowMapping]:
    """Lease up to ``limit`` due events, each the oldest undelivered one of its aggregate."""
    statement = _CLAIM[conn.dialect.name == "postgresql"]
    rows = conn.execute(statement, {"now": now, "lease_until": lease_until, "limit": limit})
    return sorted(rows.mappings(), key=lambda r: int(r["id"]))


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
