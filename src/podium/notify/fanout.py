"""The relay subscriber that turns each event into one queued delivery per matching webhook
subscription."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from podium.db.database import Database, as_utc, utcnow
from podium.events import Envelope
from podium.ids import new_id
from podium.notify import _webhook_store as store
from podium.notify.model import PING, delivery_body, matches

__all__ = ["enqueue_deliveries"]


def _wants(sub: Any, event: Envelope) -> bool:
    if event.type == PING:  # a test event is for the one subscription it names
        return bool(event.aggregate_id == sub["id"])
    return matches(list(sub["event_types"]), event.type) and event.created_at >= as_utc(
        sub["created_at"]
    )


def enqueue_deliveries(db: Database, wake: Callable[[], None]) -> Callable[[list[Envelope]], None]:
    """The relay's batch subscriber: one delivery row per (matching subscription, event).

    A subscription hears about events that happened after it was made, not the backlog."""

    def handler(events: list[Envelope]) -> None:
        with db.read() as conn:
            subs = store.subscription_types(conn)
        if not subs:
            return
        now = utcnow()
        rows = [
            {
                "id": new_id("dlv"),
                "subscription_id": s["id"],
                "event_id": e.id,
                "event_type": e.type,
                "body": delivery_body(
                    e.id, e.type, e.aggregate_type, e.aggregate_id, e.created_at, e.payload
                ),
                "status": store.PENDING,
                "attempts": 0,
                "next_attempt_at": now,
                "created_at": now,
            }
            for e in events
            for s in subs
            if _wants(s, e)
        ]
        if not rows:
            return
        with db.write() as conn:
            store.enqueue(conn, rows)
        wake()

    return handler
