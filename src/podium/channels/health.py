"""Channel health: last order, last push, lag, throttling and errors, for the API, the CLI and
the dashboard.

``health`` looks at one channel closely (every listing's figure against what Podium publishes
now). ``overview`` looks at every channel at once, cheaply, for the channels page: its *sync
lag* is how long the oldest stock change of a listed SKU has waited without reaching the channel
(a listing marked for a push since then, or an outbox event the relay has not marked yet,
newer than what the listing was last told); ``worst_lag`` is the figure home shows.
"""

from __future__ import annotations

import re
from datetime import datetime

from pydantic import BaseModel, Field
from sqlalchemy import RowMapping

from podium.catalog import read_channels
from podium.channels import _health_store as health_store
from podium.channels import _push_store as marks
from podium.channels import _store as store
from podium.channels.registry import settings_notes
from podium.channels.service import channel_or_404
from podium.channels.sync import SUBSCRIBER, SYNC_TYPES, behind
from podium.db.database import Database, as_utc, utcnow
from podium.orders import channel_orders

__all__ = [
    "ChannelSummary",
    "FailedPush",
    "Health",
    "SyncLag",
    "health",
    "overview",
    "sync_lags",
    "worst_lag",
]


class FailedPush(BaseModel):
    """A listed SKU whose count the channel has not taken: the relay retries it (``retrying``)
    or has given up (``dead``). ``reason`` is the platform's own code and message where it
    refused that item (e.g. a WooCommerce batch item error), else the whole call's failure."""

    sku: str
    status: str  # retrying | dead
    attempts: int
    reason: str | None
    next_attempt_at: datetime | None


class Health(BaseModel):
    channel: str
    type: str
    active: bool
    listings: int
    last_order_at: datetime | None = Field(
        description="When the channel's newest order arrived, however it came in."
    )
    last_push_at: datetime | None
    last_poll_at: datetime | None
    orders: int = Field(
        description="Orders of this channel: by webhook, poll, import, the API or the demo."
    )
    pushes: int
    push_errors: int
    last_error: str | None
    last_error_at: datetime | None
    lag_seconds: float | None = Field(
        description="How long the oldest stock change the channel has not been told yet has "
        "waited since it was made (retried and given-up ones included); 0 when none waits."
    )
    pending_pushes: int
    failed_deliveries: int
    throttled: int = 0  # times the platform throttled Podium (429, Shopify THROTTLED)
    last_throttled_at: datetime | None = None
    dead_sync_events: int = 0  # stock changes the relay gave up telling the channel
    circuit: str = Field(
        default="closed",
        description="The platform's circuit breaker in the serving process: closed, open "
        "(stock pushes wait, the platform is not called) or half_open (one probe is due).",
    )
    circuit_retry_in_seconds: float = Field(
        default=0.0, description="Seconds until the probe while the circuit is open."
    )
    notes: list[str] = Field(
        default_factory=list,
        description="What to know about the channel's settings (e.g. an API version no "
        "longer served, and the one Podium uses instead).",
    )
    failed_pushes: list[FailedPush] = Field(
        default_factory=list,
        description="Listed SKUs whose stock push failed and is retried or given up, and why.",
    )


class SyncLag(BaseModel):
    pending: int  # listed SKUs with stock changes the channel has not been told yet
    oldest_at: datetime | None
    lag_seconds: float  # how long the oldest of them has waited; 0 when none waits


class ChannelSummary(BaseModel):
    channel: str
    name: str
    type: str
    active: bool
    listings: int
    orders: int  # orders of this channel, however they came in (same figure as Health.orders)
    last_order_at: datetime | None
    last_push_at: datetime | None  # the last successful push
    last_poll_at: datetime | None
    pushes: int
    push_errors: int
    last_error: str | None
    last_error_at: datetime | None
    throttled: int
    last_throttled_at: datetime | None
    failed_deliveries: int
    dead_sync_events: int
    lag: SyncLag


def _at(row: RowMapping | None, key: str) -> datetime | None:
    value = row[key] if row is not None else None
    return as_utc(value) if value is not None else None


def health(db: Database, code: str) -> Health:
    with db.read() as conn:
        row = channel_or_404(conn, code)
        st = store.state(conn, code)
        listed = len(store.listings(conn, code, limit=1_000_000))
        failed = len(store.deliveries(conn, code, status="failed", limit=10_000))
        pending = behind(conn, code)
        waiting = health_store.sync_backlog(conn, "pending", SYNC_TYPES, SUBSCRIBER).get(code)
        dead = health_store.sync_backlog(conn, "dead", SYNC_TYPES, SUBSCRIBER).get(code)
        retried = health_store.retried_pushes(conn, code, SYNC_TYPES, SUBSCRIBER)
        marked = store.marked_listings(conn).get(code)
        failing = marks.failing(conn, code)
    now = utcnow()
    placed = channel_orders(db, [code])[code]
    return Health(
        channel=code,
        type=row["type"],
        active=row["active"],
        listings=listed,
        last_order_at=placed.last_at,
        last_push_at=_at(st, "last_push_at"),
        last_poll_at=_at(st, "last_poll_at"),
        orders=placed.count,
        pushes=st["pushes"] if st else 0,
        push_errors=st["push_errors"] if st else 0,
        last_error=st["last_error"] if st else None,
        last_error_at=_at(st, "last_error_at"),
        lag_seconds=_waited(now, waiting, dead, _as_utc(marked)),
        pending_pushes=pending,
        failed_deliveries=failed,
        throttled=st["throttled"] if st else 0,
        last_throttled_at=_at(st, "last_throttled_at"),
        dead_sync_events=dead[0] if dead else 0,
        notes=settings_notes(row["type"], row["settings"]),
        failed_pushes=[
            FailedPush(
                sku=r["sku"],
                status="dead" if r["status"] == "dead" else "retrying",
                attempts=r["attempts"],
                reason=_reason(code, r["sku"], r["last_error"]),
                next_attempt_at=_at(r, "next_attempt_at") if r["status"] != "dead" else None,
            )
            for r in retried
            if r["sku"] not in {f["sku"] for f in failing}
        ]
        + [
            FailedPush(
                sku=r["sku"],
                status="retrying",
                attempts=r["push_attempts"],
                reason=_reason(code, r["sku"], r["push_error"]),
                next_attempt_at=None,
            )
            for r in failing
        ],
    )


def _as_utc(found: tuple[int, datetime] | None) -> tuple[int, datetime] | None:
    return (found[0], as_utc(found[1])) if found is not None else None


def _merged(
    pending: dict[str, tuple[int, datetime]], marked: dict[str, tuple[int, datetime]]
) -> dict[str, tuple[int, datetime]]:
    """Per channel: listings marked for a push plus listings whose stock changes the relay
    has not marked yet (the two never overlap), and when the oldest of those changes was made."""
    merged: dict[str, tuple[int, datetime]] = {}
    for found in (pending, marked):
        for code, (count, at) in found.items():
            at = as_utc(at)
            was = merged.get(code)
            merged[code] = (count, at) if was is None else (was[0] + count, min(was[1], at))
    return merged


def _reason(code: str, sku: str, error: str | None) -> str | None:
    """This SKU's part of the relay's error: the platform's reason for refusing that item when
    the error names it (``<sku>: <code>: <message>``), else this channel's part of it."""
    if not error:
        return None
    ours = next(
        (part for part in error.split(" | ") if f"{code}: " in part), error
    )  # SyncFailed lists channels as "<channel>: <message>" joined by " | "
    found = re.search(rf"(?:^|[:;] ){re.escape(sku)}: (.+?)(?=; \S+: |$| \(and \d+ more\))", ours)
    return (found.group(1) if found else ours)[:1000]


def _waited(now: datetime, *backlogs: tuple[int, datetime] | None) -> float:
    """How long the oldest stock change the channel has not been told has waited: from when
    the change was made (its outbox event), not from the listing's last push."""
    made = [b[1] for b in backlogs if b is not None]
    return max(0.0, (now - min(made)).total_seconds()) if made else 0.0


def _lag(found: tuple[int, datetime] | None, now: datetime) -> SyncLag:
    if found is None:
        return SyncLag(pending=0, oldest_at=None, lag_seconds=0.0)
    count, oldest = found
    return SyncLag(
        pending=count, oldest_at=oldest, lag_seconds=max(0.0, (now - oldest).total_seconds())
    )


def sync_lags(db: Database, now: datetime | None = None) -> dict[str, SyncLag]:
    """Each channel's sync lag (channels with nothing waiting are left out)."""
    with db.read() as conn:
        found = _merged(
            health_store.sync_backlog(conn, "pending", SYNC_TYPES, SUBSCRIBER),
            store.marked_listings(conn),
        )
    when = now or utcnow()
    return {code: _lag(item, when) for code, item in found.items()}


def worst_lag(lags: dict[str, SyncLag]) -> tuple[str, SyncLag] | None:
    """The channel furthest behind (None when every channel is up to date)."""
    if not lags:
        return None
    code = max(sorted(lags), key=lambda c: lags[c].lag_seconds)
    return code, lags[code]


def overview(db: Database, now: datetime | None = None) -> list[ChannelSummary]:
    """Every channel's health, from a handful of grouped queries (not one per channel)."""
    channels = read_channels(db)
    with db.read() as conn:
        states = health_store.states(conn)
        listed = health_store.listing_counts(conn)
        failed = health_store.failed_delivery_counts(conn)
        pending = _merged(
            health_store.sync_backlog(conn, "pending", SYNC_TYPES, SUBSCRIBER),
            store.marked_listings(conn),
        )
        dead = health_store.sync_backlog(conn, "dead", SYNC_TYPES, SUBSCRIBER)
    placed = channel_orders(db, [ch.code for ch in channels])
    when = now or utcnow()
    found = []
    for ch in channels:
        st = states.get(ch.code)
        found.append(
            ChannelSummary(
                channel=ch.code,
                name=ch.name,
                type=ch.type,
                active=ch.active,
                listings=listed.get(ch.code, 0),
                orders=placed[ch.code].count,
                last_order_at=placed[ch.code].last_at,
                last_push_at=_at(st, "last_push_at"),
                last_poll_at=_at(st, "last_poll_at"),
                pushes=st["pushes"] if st else 0,
                push_errors=st["push_errors"] if st else 0,
                last_error=st["last_error"] if st else None,
                last_error_at=_at(st, "last_error_at"),
                throttled=st["throttled"] if st else 0,
                last_throttled_at=_at(st, "last_throttled_at"),
                failed_deliveries=failed.get(ch.code, 0),
                dead_sync_events=dead[ch.code][0] if ch.code in dead else 0,
                lag=_lag(pending.get(ch.code), when),
            )
        )
    return found
