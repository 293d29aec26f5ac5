"""The outbox relay: delivers committed events to subscribers, at least once, in order per
aggregate, retrying failures with exponential backoff and dead-lettering after too many.

``podium serve`` runs one in a background thread (woken right after each commit); ``podium
worker`` runs it alone. Any number may run against one database: each claims whole aggregates'
due events under a short lease renewed while it works (``db/leases.py``), with ``FOR UPDATE
SKIP LOCKED`` on PostgreSQL; a dead worker's claims come back within one lease.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import RowMapping

from podium import metrics, traces
from podium.config import Settings
from podium.db.database import Database, as_utc, utcnow
from podium.db.leases import Leases
from podium.db.tables import outbox
from podium.events import _store as store
from podium.events.catalogue import Event, event_types
from podium.events.model import (
    UNAVAILABLE_BACKOFF_CAP_SECONDS,
    Envelope,
    Unavailable,
    backoff_delay,
)
from podium.resilience import full_jitter

__all__ = ["Registry", "Relay", "Subscription"]

log = logging.getLogger("podium.relay")

Handler = Callable[[Envelope], None]
BatchHandler = Callable[[list[Envelope]], None]
_GATHER_SECONDS = 0.02


@dataclass(frozen=True, slots=True)
class Subscription:
    """``handler`` takes one event; a batch subscriber's ``batch_handler`` takes every due
    event of its types in a relay pass at once (oldest first, so in order per aggregate; a busy
    aggregate may have many), so it can coalesce work such as one stock push for many
    changes to one SKU."""

    name: str
    handler: Handler | None
    event_types: frozenset[str] | None = None  # None: every event
    batch_handler: BatchHandler | None = None

    def wants(self, event_type: str) -> bool:
        return self.event_types is None or event_type in self.event_types


class Registry:
    """Who hears about which events. Names must stay stable: delivery is tracked by name."""

    def __init__(self) -> None:
        self._subs: list[Subscription] = []

    def subscribe(
        self, name: str, handler: Handler, events: Iterable[type[Event]] | None = None
    ) -> None:
        """``handler`` hears of every event of the ``events`` classes (None: every event)."""
        self._add(Subscription(name, handler, _types(events)))

    def subscribe_batch(
        self, name: str, handler: BatchHandler, events: Iterable[type[Event]] | None = None
    ) -> None:
        self._add(Subscription(name, None, _types(events), handler))

    def _add(self, sub: Subscription) -> None:
        if any(s.name == sub.name for s in self._subs):
            raise ValueError(f"subscriber {sub.name} is already registered")
        self._subs.append(sub)

    @property
    def subscriptions(self) -> list[Subscription]:
        return list(self._subs)


def _types(events: Iterable[type[Event]] | None) -> frozenset[str] | None:
    """Subscribers name event classes; the relay matches the wire types they declare."""
    return event_types(events) if events is not None else None


@dataclass(frozen=True, slots=True)
class _Outcome:
    event_id: int
    attempt: int
    done: list[str]
    errors: list[str]
    held: bool  # waited for an earlier event of its aggregate that failed for a subscriber
    created_at: datetime  # committed then: its delivery measures the relay's lag
    # Every failure was a downstream being away (``Unavailable``): retried, never dead.
    unavailable: bool = False


class Relay:
    def __init__(
        self,
        db: Database,
        registry: Registry,
        settings: Settings,
        clock: Callable[[], datetime] = utcnow,
        rng: Callable[[], float] = random.random,
    ) -> None:
        self.db = db
        self.registry = registry
        self.settings = settings
        self.clock = clock
        self.rng = rng  # the back-off's jitter (1.0: its ceiling, for stepping tests)
        self.leases = Leases(db, outbox, settings.relay_lease_seconds, clock)
        self.wake = threading.Event()
        self.stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def _backoff(self, attempt: int, cap: float = 3600.0) -> timedelta:
        """The base delay after a first failure, then full jitter up to the exponential
        ceiling (``podium.resilience``): events failing together against a platform that is
        down do not all come back at the same instant when it returns."""
        base = self.settings.relay_backoff_seconds
        ceiling = backoff_delay(attempt, base, cap).total_seconds()
        return timedelta(seconds=max(min(base, cap), full_jitter(1, ceiling, ceiling, self.rng)))

    def run_once(self) -> int:
        """Deliver one batch; returns how many events were attempted."""
        now = self.clock()
        with self.db.write() as conn:
            batch = store.claim(
                conn,
                now=now,
                lease_until=self.leases.until(now),
                limit=self.settings.relay_batch_size,
            )
        if not batch:
            return 0
        with self.leases.holding([r["id"] for r in batch]):
            outcomes = self._deliver(batch)
            self._settle(outcomes)
        return len(batch)

    def _deliver(self, rows: list[RowMapping]) -> list[_Outcome]:
        """Hand each event to every subscriber that has not had it yet, in order per aggregate:
        once an event fails for a subscriber, the later events of its aggregate wait for it
        (for that subscriber; the others go on)."""
        envelopes = [
            Envelope(
                id=r["id"],
                aggregate_type=r["aggregate_type"],
                aggregate_id=r["aggregate_id"],
                type=r["event_type"],
                payload=dict(r["payload"]),
                created_at=as_utc(r["created_at"]),
                attempt=r["attempts"] + 1,
                traceparent=r["traceparent"],
            )
            for r in rows
        ]
        done: dict[int, list[str]] = {r["id"]: list(r["delivered_to"]) for r in rows}
        errors: dict[int, list[str]] = {e.id: [] for e in envelopes}
        away: dict[int, bool] = {}  # event id: every failure so far was Unavailable
        held: set[int] = set()
        for sub in self.registry.subscriptions:
            due = [e for e in envelopes if sub.wants(e.type) and sub.name not in done[e.id]]
            if not due:
                continue
            if sub.batch_handler is not None:
                self._call(sub, due, done, errors, away)
                continue
            failed: set[tuple[str, str]] = set()
            for e in due:
                aggregate = (e.aggregate_type, e.aggregate_id)
                if aggregate in failed:
                    held.add(e.id)
                elif not self._call(sub, [e], done, errors, away):
                    failed.add(aggregate)
        return [
            _Outcome(
                e.id,
                e.attempt,
                done[e.id],
                errors[e.id],
                e.id in held,
                e.created_at,
                away.get(e.id, False),
            )
            for e in envelopes
        ]

    @staticmethod
    def _call(
        sub: Subscription,
        events: list[Envelope],
        done: dict[int, list[str]],
        errors: dict[int, list[str]],
        away: dict[int, bool],
    ) -> bool:
        try:
            # Each delivery continues the trace of the request that wrote its event.
            with traces.span(
                f"relay {sub.name}",
                [e.traceparent for e in events],
                {"podium.event_type": events[0].type, "podium.events": len(events)},
            ):
                if sub.batch_handler is not None:
                    sub.batch_handler(events)
                elif sub.handler is not None:
                    sub.handler(events[0])
        except Exception as exc:  # a subscriber's failure must not stop the relay
            log.warning("events %s to %s failed: %s", [e.id for e in events], sub.name, exc)
            for e in events:
                errors[e.id].append(f"{sub.name}: {type(exc).__name__}: {exc}")
                away[e.id] = away.get(e.id, True) and isinstance(exc, Unavailable)
            return False
        for e in events:
            done[e.id].append(sub.name)
        return True

    def _settle(self, outcomes: list[_Outcome]) -> None:
        """Record a whole batch in one transaction: delivered ones together, failures and
        held ones each."""
        delivered: dict[tuple[str, ...], list[int]] = {}
        for o in outcomes:
            if not o.errors and not o.held:
                delivered.setdefault(tuple(o.done), []).append(o.event_id)
        with self.db.write() as conn:
            for names, ids in delivered.items():
                store.mark_delivered(conn, ids, list(names))
            dead_now = 0
            for o in outcomes:
                if not o.errors:
                    if o.held:
                        store.mark_held(conn, o.event_id, o.done)
                    continue
                dead = o.attempt >= self.settings.relay_max_attempts and not o.unavailable
                cap = UNAVAILABLE_BACKOFF_CAP_SECONDS if o.unavailable else 3600.0
                store.mark_failed(
                    conn,
                    o.event_id,
                    delivered_to=o.done,
                    error="; ".join(o.errors),
                    next_attempt_at=self.clock() + self._backoff(o.attempt, cap),
                    dead=dead,
                )
                if dead:
                    dead_now += 1
                    log.error("event %s dead-lettered after %s attempts", o.event_id, o.attempt)
        if dead_now:
            metrics.DEAD_LETTERED.inc(dead_now)
        now = self.clock()
        for o in outcomes:
            if not o.errors and not o.held:
                metrics.RELAY_LAG_SECONDS.observe((now - o.created_at).total_seconds())

    def run_forever(self) -> None:
        while not self.stopping.is_set():
            try:
                worked = self.run_once()
            except Exception:  # database hiccup: log, wait, carry on
                log.exception("outbox relay pass failed")
                worked = 0
            if worked == 0:
                if self.wake.wait(self.settings.relay_poll_seconds):
                    # Woken by a commit: let the commits of concurrent requests land too, so
                    # one claim serves many of them.
                    self.stopping.wait(_GATHER_SECONDS)
                self.wake.clear()
            elif worked < self.settings.relay_batch_size:
                # Under steady load a pass that found only a few events would be followed at
                # once by another finding a few more: each pass costs a dozen statements
                # whatever its size, so gather for a moment and let the next one be fuller.
                self.stopping.wait(_GATHER_SECONDS)

    def notify(self) -> None:
        self.wake.set()

    def start(self) -> None:
        self.stopping.clear()
        self._thread = threading.Thread(target=self.run_forever, name="podium-relay", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self.stopping.set()
        self.wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        self.leases.stop()
