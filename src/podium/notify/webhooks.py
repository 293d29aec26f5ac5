"""Outgoing webhook subscriptions: create (secret shown once), list, change, remove, resume,
inspect deliveries, replay. (``fanout.py`` queues the deliveries; ``delivery.py`` sends them.)"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel, Field

from podium.db.database import Database, as_utc, utcnow
from podium.errors import Conflict, NotFound, ValidationFailed
from podium.events import emit
from podium.ids import new_id
from podium.notify import _webhook_store as store
from podium.notify.events import WebhookPing
from podium.notify.model import check_event_types, new_secret
from podium.numbers import JsonInt
from podium.outbound import check_url
from podium.paging import Page, decode_cursor
from podium.validation import Input

__all__ = [
    "AttemptView",
    "DeliveryView",
    "RotateIn",
    "WebhookIn",
    "WebhookPatch",
    "WebhookView",
    "create_subscription",
    "delete_subscription",
    "get_subscription",
    "list_deliveries",
    "list_subscriptions",
    "ping",
    "replay_delivery",
    "resume_subscription",
    "rotate_secret",
    "update_subscription",
]

DELIVERY_STATUSES = (store.PENDING, store.SUCCEEDED, store.FAILED)


class WebhookIn(Input):
    url: str = Field(min_length=1, max_length=2000)
    event_types: list[str] = Field(min_length=1, max_length=50)
    description: str | None = Field(default=None, max_length=500)


class WebhookPatch(Input):
    url: str | None = Field(default=None, min_length=1, max_length=2000)
    event_types: list[str] | None = Field(default=None, min_length=1, max_length=50)
    description: str | None = Field(default=None, max_length=500)


class WebhookView(BaseModel):
    id: str
    url: str
    event_types: list[str]
    description: str | None
    status: str
    consecutive_failures: int
    failing_since: datetime | None
    paused_at: datetime | None
    pause_reason: str | None
    created_at: datetime
    previous_secret_expires_at: datetime | None = None
    secret: str | None = Field(
        default=None, description="Only in the answer to the creating request."
    )
    circuit: str = Field(
        default="closed",
        description="The receiver host's circuit in the serving process: closed, open "
        "(deliveries wait for the probe, no attempt counted) or half_open (a probe is due).",
    )


class AttemptView(BaseModel):
    at: datetime
    succeeded: bool
    status_code: int | None
    duration_ms: int
    error: str | None


class DeliveryView(BaseModel):
    id: str
    subscription_id: str
    event_id: str
    event_type: str
    status: str
    attempts: int
    next_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str | None
    created_at: datetime
    delivered_at: datetime | None
    body: dict[str, Any]
    log: list[AttemptView]


def _opt(value: datetime | None) -> datetime | None:
    return as_utc(value) if value is not None else None


def _view(r: Any, secret: str | None = None) -> WebhookView:
    return WebhookView(
        id=r["id"],
        url=r["url"],
        event_types=list(r["event_types"]),
        description=r["description"],
        status=r["status"],
        consecutive_failures=r["consecutive_failures"],
        failing_since=_opt(r["failing_since"]),
        paused_at=_opt(r["paused_at"]),
        pause_reason=r["pause_reason"],
        created_at=as_utc(r["created_at"]),
        previous_secret_expires_at=_opt(r["previous_secret_expires_at"]),
        secret=secret,
    )


def _delivery_view(r: Any, log: list[Any]) -> DeliveryView:
    return DeliveryView(
        id=r["id"],
        subscription_id=r["subscription_id"],
        event_id=str(r["event_id"]),
        event_type=r["event_type"],
        status=r["status"],
        attempts=r["attempts"],
        next_attempt_at=as_utc(r["next_attempt_at"]) if r["status"] == store.PENDING else None,
        last_status_code=r["last_status_code"],
        last_error=r["last_error"],
        created_at=as_utc(r["created_at"]),
        delivered_at=_opt(r["delivered_at"]),
        body=dict(r["body"]),
        log=[
            AttemptView(
                at=as_utc(a["attempted_at"]),
                succeeded=a["succeeded"],
                status_code=a["status_code"],
                duration_ms=a["duration_ms"],
                error=a["error"],
            )
            for a in log
        ],
    )


def create_subscription(db: Database, data: WebhookIn, *, allow_private: bool) -> WebhookView:
    url = check_url(data.url, allow_private=allow_private)
    types = check_event_types(data.event_types)
    secret = new_secret()
    now = utcnow()
    sub_id = new_id("whk")
    with db.write() as conn:
        store.insert_subscription(
            conn,
            {
                "id": sub_id,
                "url": url,
                "event_types": types,
                "secret": secret,
                "description": data.description,
                "status": store.ACTIVE,
                "consecutive_failures": 0,
                "created_at": now,
                "updated_at": now,
            },
        )
        row = store.subscription(conn, sub_id)
    return _view(row, secret)


def _found(conn: Any, sub_id: str) -> Any:
    row = store.subscription(conn, sub_id)
    if row is None:
        raise NotFound(f"No webhook subscription {sub_id}.", code="webhook_not_found")
    return row


def list_subscriptions(db: Database) -> list[WebhookView]:
    with db.read() as conn:
        return [_view(r) for r in store.list_subscriptions(conn)]


def get_subscription(db: Database, sub_id: str) -> WebhookView:
    with db.read() as conn:
        return _view(_found(conn, sub_id))


def update_subscription(
    db: Database, sub_id: str, patch: WebhookPatch, *, allow_private: bool
) -> WebhookView:
    """Change the URL, event types or description (the secret stays)."""
    values: dict[str, Any] = {}
    if patch.url is not None:
        values["url"] = check_url(patch.url, allow_private=allow_private)
    if patch.event_types is not None:
        values["event_types"] = check_event_types(patch.event_types)
    if "description" in patch.model_fields_set:
        values["description"] = patch.description
    with db.write() as conn:
        _found(conn, sub_id)
        if values:
            store.update_subscription(conn, sub_id, {**values, "updated_at": utcnow()})
        return _view(_found(conn, sub_id))


def ping(db: Database, sub_id: str) -> None:
    """Queue a ``webhook.ping`` event for this subscription alone.

    It goes the way every event goes (outbox, relay, signed delivery, logged attempts)."""
    with db.write() as conn:
        sub = _found(conn, sub_id)
        if sub["status"] != store.ACTIVE:
            raise Conflict(
                "The subscription is paused; resume it first.",
                code="webhook_paused",
                details={"status": sub["status"]},
            )
        emit(conn, [WebhookPing(subscription_id=sub_id)])


MAX_OVERLAP_SECONDS = 7 * 24 * 3600


class RotateIn(Input):
    previous_valid_for_seconds: JsonInt = Field(default=24 * 3600, ge=0, le=MAX_OVERLAP_SECONDS)


def rotate_secret(db: Database, sub_id: str, data: RotateIn) -> WebhookView:
    """A new secret, shown once; the old one keeps signing (a second ``v1``) for a while so
    the receiver can switch without dropping deliveries."""
    secret = new_secret()
    now = utcnow()
    with db.write() as conn:
        row = _found(conn, sub_id)
        store.update_subscription(
            conn,
            sub_id,
            {
                "secret": secret,
                "previous_secret": row["secret"] if data.previous_valid_for_seconds else None,
                "previous_secret_expires_at": now
                + timedelta(seconds=data.previous_valid_for_seconds)
                if data.previous_valid_for_seconds
                else None,
                "updated_at": now,
            },
        )
        return _view(_found(conn, sub_id), secret)


def delete_subscription(db: Database, sub_id: str) -> WebhookView:
    """Remove the subscription with its queued deliveries and their log."""
    with db.write() as conn:
        row = _found(conn, sub_id)
        store.delete_subscription(conn, sub_id)
    return _view(row)


def resume_subscription(db: Database, sub_id: str) -> WebhookView:
    """Un-pause: failure count starts again, and every pending delivery is due now."""
    now = utcnow()
    with db.write() as conn:
        _found(conn, sub_id)
        store.update_subscription(
            conn,
            sub_id,
            {
                "status": store.ACTIVE,
                "consecutive_failures": 0,
                "failing_since": None,
                "paused_at": None,
                "pause_reason": None,
                "updated_at": now,
            },
        )
        store.requeue(conn, sub_id, now)
        return _view(_found(conn, sub_id))


def list_deliveries(
    db: Database,
    sub_id: str,
    *,
    status: str | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> Page[DeliveryView]:
    if status is not None and status not in DELIVERY_STATUSES:
        raise ValidationFailed(
            f"status must be one of {', '.join(DELIVERY_STATUSES)}.",
            code="invalid_status",
            details={"field": "status"},
        )
    position = decode_cursor(cursor, (str,)) if cursor is not None else None
    with db.read() as conn:
        _found(conn, sub_id)
        page = store.deliveries(conn, sub_id, status=status, position=position, limit=limit)
        log: dict[str, list[Any]] = {r["id"]: [] for r in page.items}
        for a in store.attempts_for(conn, list(log)):
            log[a["delivery_id"]].append(a)
    return page.map([_delivery_view(r, log[r["id"]]) for r in page.items])


def replay_delivery(db: Database, sub_id: str, delivery_id: str) -> DeliveryView:
    """Send a past delivery again (same event id and body, freshly signed)."""
    with db.write() as conn:
        sub = _found(conn, sub_id)
        row = store.delivery(conn, delivery_id)
        if row is None or row["subscription_id"] != sub_id:
            raise NotFound(f"No delivery {delivery_id} on {sub_id}.", code="delivery_not_found")
        if sub["status"] != store.ACTIVE:
            raise Conflict(
                "The subscription is paused; resume it (which re-sends what is pending) first.",
                code="webhook_paused",
                details={"status": sub["status"]},
            )
        store.update_delivery(
            conn,
            delivery_id,
            {
                "status": store.PENDING,
                "attempts": 0,
                "next_attempt_at": utcnow(),
                "locked_until": None,
            },
        )
        row = store.delivery(conn, delivery_id)
        return _delivery_view(row, store.attempts_for(conn, [delivery_id]))
