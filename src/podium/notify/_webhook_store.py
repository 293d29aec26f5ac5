"""SQL for outgoing webhooks: subscriptions, deliveries (one per event and subscription) and
the log of every attempt.

The delivery worker leases due deliveries of active subscriptions (``locked_until``, the same
short, renewed leases as the outbox's: ``db/leases.py``), with ``FOR UPDATE SKIP LOCKED`` on
PostgreSQL so several workers share the queue.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from podium.db.leases import due, lease_update
from podium.db.tables import webhook_attempts, webhook_deliveries, webhook_subscriptions
from podium.notify._store import insert_ignoring_duplicates
from podium.paging import Keyset, Page, Position, keyset_page

__all__ = [
    "ACTIVE",
    "FAILED",
    "PAUSED",
    "PENDING",
    "SUCCEEDED",
    "add_attempts",
    "any_due",
    "attempts_for",
    "claim",
    "clear_failures",
    "delete_subscription",
    "deliveries",
    "delivery",
    "enqueue",
    "existing_deliveries",
    "insert_subscription",
    "list_subscriptions",
    "lock_subscription",
    "mark_delivered",
    "requeue",
    "subscription",
    "subscription_types",
    "update_delivery",
    "update_subscription",
]

ACTIVE = "active"
PAUSED = "paused"
PENDING = "pending"
SUCCEEDED = "succeeded"
FAILED = "failed"

_s = webhook_subscriptions.c
_d = webhook_deliveries.c


def insert_subscription(conn: Connection, values: Mapping[str, Any]) -> None:
    conn.execute(webhook_subscriptions.insert().values(**values))


def subscription(conn: Connection, sub_id: str) -> sa.RowMapping | None:
    query = sa.select(webhook_subscriptions).where(_s.id == sub_id)
    return conn.execute(query).mappings().first()


def lock_subscription(conn: Connection, sub_id: str) -> sa.RowMapping | None:
    """The subscription, row-locked on PostgreSQL (workers update its failure streak)."""
    query = sa.select(webhook_subscriptions).where(_s.id == sub_id).with_for_update()
    return conn.execute(query).mappings().first()


def list_subscriptions(conn: Connection) -> list[sa.RowMapping]:
    query = sa.select(webhook_subscriptions).order_by(_s.created_at, _s.id)
    return list(conn.execute(query).mappings())


def subscription_types(conn: Connection) -> list[sa.RowMapping]:
    """Every subscription's event types: paused ones keep queueing, to be sent on resume."""
    query = sa.select(_s.id, _s.event_types, _s.created_at).order_by(_s.id)
    return list(conn.execute(query).mappings())


def update_subscription(conn: Connection, sub_id: str, values: Mapping[str, Any]) -> None:
    conn.execute(webhook_subscriptions.update().where(_s.id == sub_id).values(**values))


def delete_subscription(conn: Connection, sub_id: str) -> None:
    ids = sa.select(_d.id).where(_d.subscription_id == sub_id).scalar_subquery()
    conn.execute(webhook_attempts.delete().where(webhook_attempts.c.delivery_id.in_(ids)))
    conn.execute(webhook_deliveries.delete().where(_d.subscription_id == sub_id))
    conn.execute(webhook_subscriptions.delete().where(_s.id == sub_id))


def enqueue(conn: Connection, rows: Sequence[Mapping[str, Any]]) -> int:
    """Queue deliveries; one already queued for the same (subscription, event) is kept."""
    return insert_ignoring_duplicates(
        conn, webhook_deliveries, rows, ["subscription_id", "event_id"]
    )


_NOW = sa.bindparam("now", type_=_d.next_attempt_at.type)
_DUE = (
    sa.select(_d.id)
    .join(webhook_subscriptions, _s.id == _d.subscription_id)
    .where(
        _d.status == PENDING,
        _d.next_attempt_at <= _NOW,
        due(_d.locked_until, _NOW),
        _s.status == ACTIVE,
    )
)


def any_due(conn: Connection, now: datetime) -> bool:
    """A cheap read first, so an idle worker never takes SQLite's write lock."""
    return conn.execute(_DUE.limit(1), {"now": now}).first() is not None


def _claim_statement(postgres: bool) -> sa.Update:
    limit = sa.bindparam("limit", type_=sa.Integer)
    due_ids = _DUE.order_by(_d.next_attempt_at, _d.id).limit(limit)
    if postgres:
        due_ids = due_ids.with_for_update(skip_locked=True, of=webhook_deliveries)
    return lease_update(webhook_deliveries, due_ids.scalar_subquery())


_CLAIM = {True: _claim_statement(True), False: _claim_statement(False)}


def claim(
    conn: Connection, *, now: datetime, lease_until: datetime, limit: int
) -> list[sa.RowMapping]:
    statement = _CLAIM[conn.dialect.name == "postgresql"]
    rows = conn.execute(statement, {"now": now, "lease_until": lease_until, "limit": limit})
    return sorted(rows.mappings(), key=lambda r: (r["next_attempt_at"], r["id"]))


def delivery(conn: Connection, delivery_id: str) -> sa.RowMapping | None:
    query = sa.select(webhook_deliveries).where(_d.id == delivery_id)
    return conn.execute(query).mappings().first()


def deliveries(
    conn: Connection, sub_id: str, *, status: str | None, position: Position | None, limit: int
) -> Page[sa.RowMapping]:
    """A subscription's deliveries, newest first, keyset-paged both ways."""
    query = sa.select(webhook_deliveries).where(_d.subscription_id == sub_id)
    if status is not None:
        query = query.where(_d.status == status)
    newest = Keyset((_d.id,), descending=True)
    return keyset_page(conn, query, newest, position, limit, lambda r: (r["id"],))


def given_up(conn: Connection, limit: int) -> tuple[int, list[sa.RowMapping]]:
    """Deliveries given up after their last attempt (every subscription): how many, and the
    newest ``limit`` of them."""
    count = conn.execute(
        sa.select(sa.func.count()).select_from(webhook_deliveries).where(_d.status == FAILED)
    ).scalar_one()
    query = sa.select(webhook_deliveries).where(_d.status == FAILED).order_by(_d.id.desc())
    return int(count), list(conn.execute(query.limit(limit)).mappings())


def retry_given_up(conn: Connection, now: datetime) -> int:
    """Every given-up delivery of an active subscription becomes pending, due now."""
    active = sa.select(webhook_subscriptions.c.id).where(webhook_subscriptions.c.status == ACTIVE)
    result = conn.execute(
        webhook_deliveries.update()
        .where(_d.status == FAILED, _d.subscription_id.in_(active))
        .values(status=PENDING, attempts=0, next_attempt_at=now, locked_until=None)
    )
    return int(result.rowcount or 0)


def update_delivery(conn: Connection, delivery_id: str, values: Mapping[str, Any]) -> None:
    conn.execute(webhook_deliveries.update().where(_d.id == delivery_id).values(**values))


def requeue(conn: Connection, sub_id: str, now: datetime) -> int:
    """Every pending delivery of the subscription becomes due now (on resume)."""
    result = conn.execute(
        webhook_deliveries.update()
        .where(_d.subscription_id == sub_id, _d.status == PENDING)
        .values(next_attempt_at=now, locked_until=None)
    )
    return int(result.rowcount or 0)


def add_attempts(conn: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
    if rows:
        conn.execute(webhook_attempts.insert(), [dict(r) for r in rows])


def existing_deliveries(conn: Connection, delivery_ids: Sequence[str]) -> set[str]:
    """Which of these deliveries still exist (a subscription deleted mid-send takes its own)."""
    if not delivery_ids:
        return set()
    query = sa.select(_d.id).where(_d.id.in_(list(delivery_ids)))
    return {row[0] for row in conn.execute(query)}


_DELIVERED = (
    webhook_deliveries.update()
    .where(_d.id == sa.bindparam("b_id"))
    .values(
        status=SUCCEEDED,
        delivered_at=sa.bindparam("b_at"),
        attempts=sa.bindparam("b_attempts"),
        last_status_code=sa.bindparam("b_code"),
        locked_until=None,
        last_error=None,
    )
)


def mark_delivered(conn: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
    """Settle many successful deliveries in one statement (``b_id``, ``b_at``, ``b_attempts``,
    ``b_code`` per row)."""
    if rows:
        conn.execute(_DELIVERED, [dict(r) for r in rows])


def clear_failures(conn: Connection, sub_id: str) -> None:
    """A success ends a failure streak; a subscription without one is not written (nor locked),
    so the workers delivering to a healthy receiver never queue on its row."""
    conn.execute(
        webhook_subscriptions.update()
        .where(_s.id == sub_id, _s.consecutive_failures != 0)
        .values(consecutive_failures=0, failing_since=None)
    )


def attempts_for(conn: Connection, delivery_ids: Sequence[str]) -> list[sa.RowMapping]:
    if not delivery_ids:
        return []
    a = webhook_attempts.c
    query = (
        sa.select(webhook_attempts)
        .where(a.delivery_id.in_(list(delivery_ids)))
        .order_by(a.delivery_id, a.id)
    )
    return list(conn.execute(query).mappings())
