"""Inspecting and retrying outbox events (API and CLI)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel

from podium.db.database import Database, as_utc
from podium.errors import Conflict, NotFound, ValidationFailed
from podium.events import _store as store
from podium.numbers import parse_db_int
from podium.paging import Page, decode_cursor

__all__ = ["EventView", "event_counts", "list_events", "retry_dead_events", "retry_event"]

STATUSES = (store.PENDING, store.DELIVERED, store.DEAD)


class EventView(BaseModel):
    id: str
    aggregate_type: str
    aggregate_id: str
    type: str
    payload: dict[str, Any]
    status: str
    attempts: int
    created_at: datetime
    next_attempt_at: datetime
    delivered_at: datetime | None
    delivered_to: list[str]
    last_error: str | None


def _view(r: Any) -> EventView:
    return EventView(
        id=str(r["id"]),
        aggregate_type=r["aggregate_type"],
        aggregate_id=r["aggregate_id"],
        type=r["event_type"],
        payload=r["payload"],
        status=r["status"],
        attempts=r["attempts"],
        created_at=as_utc(r["created_at"]),
        next_attempt_at=as_utc(r["next_attempt_at"]),
        delivered_at=as_utc(r["delivered_at"]) if r["delivered_at"] else None,
        delivered_to=list(r["delivered_to"]),
        last_error=r["last_error"],
    )


def _event_id(value: str) -> int:
    eid = parse_db_int(value)
    if eid is None:
        raise NotFound(f"No event {value}.", code="event_not_found")
    return eid


def list_events(
    db: Database, *, status: str | None = None, cursor: str | None = None, limit: int = 50
) -> Page[EventView]:
    if status is not None and status not in STATUSES:
        raise ValidationFailed(
            f"status must be one of {', '.join(STATUSES)}.",
            code="invalid_status",
            details={"field": "status"},
        )
    position = decode_cursor(cursor, (int,)) if cursor is not None else None
    with db.read() as conn:
        page = store.list_events(conn, status=status, position=position, limit=limit)
    return page.map([_view(r) for r in page.items])


def retry_event(db: Database, event_id: str) -> EventView:
    eid = _event_id(event_id)
    with db.write() as conn:
        if store.event(conn, eid) is None:
            raise NotFound(f"No event {event_id}.", code="event_not_found")
        if not store.requeue(conn, eid):
            raise Conflict("Only pending or dead events can be retried.", code="not_retryable")
        row = store.event(conn, eid)
    return _view(row)


def retry_dead_events(db: Database) -> int:
    """Put every dead-lettered event back in line; returns how many."""
    with db.write() as conn:
        return store.requeue_dead(conn)


def event_counts(db: Database) -> dict[str, int]:
    with db.read() as conn:
        counts = store.status_counts(conn)
    return {s: counts.get(s, 0) for s in STATUSES}
