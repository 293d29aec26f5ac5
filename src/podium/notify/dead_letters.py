"""Dead letters in one place: outbox events the relay gave up on (a subscriber kept failing)
and webhook deliveries given up after their last attempt, listed together and retried one by
one or all at once when the platform is back (API ``/api/v1/dead-letters``, CLI ``podium
events dead-letters``, the dashboard's home page). Nothing is deleted: a dead letter stays
until it is retried and delivered."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from podium.db.database import Database, as_utc, utcnow
from podium.errors import NotFound
from podium.events import event_counts, list_events, retry_dead_events, retry_event
from podium.notify import _webhook_store as store
from podium.notify.webhooks import replay_delivery

__all__ = ["DeadLetter", "DeadLetters", "dead_letters", "retry_all", "retry_dead_letter"]

EVENT, DELIVERY = "event", "webhook_delivery"


class DeadLetter(BaseModel):
    kind: str = Field(description="event (an outbox event) or webhook_delivery")
    id: str = Field(description="What to retry: the event's or the delivery's id.")
    type: str = Field(description="The event type.")
    destination: str = Field(
        description="Who could not be told: the subscribers still owed the event, or the "
        "webhook subscription."
    )
    attempts: int
    last_error: str | None
    created_at: datetime


class DeadLetters(BaseModel):
    events: int = Field(
        description="Dead-lettered events (all; GET /events?status=dead pages them)."
    )
    webhook_deliveries: int = Field(description="Given-up webhook deliveries (all).")
    items: list[DeadLetter] = Field(description="The newest of each kind, up to ``limit`` each.")


def dead_letters(db: Database, limit: int = 50) -> DeadLetters:
    events = list_events(db, status="dead", limit=limit)
    with db.read() as conn:
        given_up, rows = store.given_up(conn, limit)
    items = [
        DeadLetter(
            kind=EVENT,
            id=e.id,
            type=e.type,
            destination="subscribers except " + (", ".join(e.delivered_to) or "none"),
            attempts=e.attempts,
            last_error=e.last_error,
            created_at=e.created_at,
        )
        for e in events.items
    ] + [
        DeadLetter(
            kind=DELIVERY,
            id=r["id"],
            type=r["event_type"],
            destination=r["subscription_id"],
            attempts=r["attempts"],
            last_error=r["last_error"],
            created_at=as_utc(r["created_at"]),
        )
        for r in rows
    ]
    items.sort(key=lambda d: d.created_at, reverse=True)
    dead = event_counts(db).get("dead", 0)
    return DeadLetters(events=dead, webhook_deliveries=given_up, items=items)


def retry_dead_letter(db: Database, letter_id: str) -> DeadLetter:
    """Put one dead letter back in line (a delivery id starts ``dlv_``; else an event id)."""
    if letter_id.startswith("dlv_"):
        with db.read() as conn:
            row = store.delivery(conn, letter_id)
        if row is None:
            raise NotFound(f"No delivery {letter_id}.", code="delivery_not_found")
        view = replay_delivery(db, row["subscription_id"], letter_id)
        return DeadLetter(
            kind=DELIVERY,
            id=view.id,
            type=view.event_type,
            destination=view.subscription_id,
            attempts=view.attempts,
            last_error=view.last_error,
            created_at=view.created_at,
        )
    event = retry_event(db, letter_id)
    return DeadLetter(
        kind=EVENT,
        id=event.id,
        type=event.type,
        destination="subscribers except " + (", ".join(event.delivered_to) or "none"),
        attempts=event.attempts,
        last_error=event.last_error,
        created_at=event.created_at,
    )


def retry_all(db: Database) -> dict[str, int]:
    """Every dead letter back in line (deliveries of paused subscriptions wait for resume)."""
    events = retry_dead_events(db)
    with db.write() as conn:
        deliveries = store.retry_given_up(conn, utcnow())
    return {"events": events, "webhook_deliveries": deliveries}
