"""Paced per-channel stock pushes (issue 21).

The relay's channel-sync subscriber only *marks* listings (``ChannelSync.on_events``): cheap,
idempotent, and never waiting for a platform. Here one pusher per channel, in whichever
process holds that channel's lease (``channel_pushers``, renewed by a heartbeat while it
works, taken over by another process within one lease after a ``kill -9``):

1. waits until its platform's rate budget allows a call (``pacing.Pacer``),
2. takes the channel's marked listings, the longest waiting first, as many as one call carries,
3. works out what each may sell *now* and pushes those whose figure changed, in one call
   (compare-and-set at the platform as before),
4. clears each mark it pushed, unless a newer change marked the listing meanwhile.

A whole call that fails backs the channel off (1 s, then full jitter up to 2 s, 4 s, … 30 s;
a 429's Retry-After when longer) and keeps the marks; items the platform refuses keep theirs
with the reason, and are tried again after the backoff. The channel's circuit breaker
(``podium.resilience``) opens after ``PODIUM_CIRCUIT_FAILURES`` failed calls and lets one probe
through after the cool-down; what the probe pushes is what the listing may sell *then*, so the
latest stock value wins when the platform returns (the marks, not the values, wait).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from podium import metrics, traces
from podium.channels import _push_store as marks
from podium.channels import _store as store
from podium.channels.connector import Connectors
from podium.channels.model import LevelPush
from podium.channels.pacing import Backoff, Pacer
from podium.channels.registry import typed
from podium.channels.sync import _picture, refusal
from podium.config import Settings
from podium.db.database import Database, utcnow
from podium.db.leases import Leases
from podium.db.tables import channel_pushers
from podium.errors import DomainError
from podium.events import traceparents
from podium.resilience import BreakerPolicy, Breakers, CircuitBreaker

__all__ = ["ChannelPusher", "Pushers"]

log = logging.getLogger("podium.channels.pusher")
_DISCOVER_SECONDS = 2.0  # how often the pushers look for new (or removed) channels


class ChannelPusher:
    """One channel's pusher: ``push_once`` makes at most one platform call."""

    def __init__(
        self,
        db: Database,
        connectors: Connectors,
        settings: Settings,
        code: str,
        holder: str,
        leases: Leases,
        clock: Callable[[], float] = time.monotonic,
        breaker: CircuitBreaker | None = None,
    ) -> None:
        self.db = db
        self.connectors = connectors
        self.settings = settings
        self.code = code
        self.holder = holder
        self.leases = leases
        self.clock = clock
        self.pacer: Pacer | None = None
        self.backoff = Backoff()
        self.breaker = breaker or CircuitBreaker(code, BreakerPolicy.of(settings), clock)
        self.retry_at = 0.0  # monotonic: no call before (after a failure)
        self._held_until = 0.0  # monotonic: our lease runs at least until then

    def hold(self) -> bool:
        """Take or keep this channel's lease; False while another process pushes it."""
        now = self.clock()
        if now < self._held_until:
            return True
        wall = utcnow()
        with self.db.write() as conn:
            got = marks.claim_pusher(conn, self.code, self.holder, wall, self.leases.until(wall))
        # Renew when half the lease is gone (the heartbeat covers a push that takes longer).
        self._held_until = now + self.settings.push_lease_seconds / 2 if got else 0.0
        return got

    def release(self) -> None:
        self._held_until = 0.0
        with self.db.write() as conn:
            marks.release_pusher(conn, [self.code], self.holder)

    def wait(self) -> float:
        """Seconds until this pusher may call its platform (backoff, then budget)."""
        now = self.clock()
        if now < self.retry_at:
            return self.retry_at - now
        return self.pacer.wait() if self.pacer is not None else 0.0

    def push_once(self) -> int:
        """Push one call's worth of this channel's marks; returns how many marks it settled
        (0: nothing waits, or it failed)."""
        with self.db.read() as conn:
            row = store.channel_row(conn, self.code)
        if row is None or not row["active"]:
            return 0
        connector = self.connectors.for_type(row["type"])
        if connector is None:
            return 0
        budget = self.connectors.push_budget(row["type"], self.code)
        budget = budget.share(self.settings.push_share)
        if self.pacer is None:
            self.pacer = Pacer(budget, self.clock)
        self.pacer.retune(budget)
        read_at = utcnow()
        with self.db.read() as conn:
            rows = marks.wanted(conn, self.code, budget.max_batch)
            if not rows:
                return 0
            picture = _picture(conn, [dict(r, type=row["type"]) for r in rows])
        seqs = {r["sku"]: int(r["wanted_seq"]) for r in rows}
        pushes = []
        for r in rows:
            told = picture.told(self.code, r["sku"])
            if r["pushed_available"] != told:
                before = r["pushed_available"]
                pushes.append(
                    LevelPush(r["sku"], r["remote_id"], r["remote_location_id"], told, before)
                )
        if not pushes:  # the platform already shows what Podium publishes
            with self.db.write() as conn:
                marks.clear_marks(conn, self.code, seqs, read_at)
            return len(rows)
        if not self.breaker.allow():  # the platform is down: wait for the probe
            self.retry_at = self.clock() + max(0.05, self.breaker.retry_in())
            return 0
        parents: list[str | None] = []
        if traces.enabled():  # the pushed changes' events carry their orders' traces
            with self.db.read() as conn:
                parents = traceparents(conn, [seqs[p.sku] for p in pushes])
        with (
            self.leases.holding([self.code]),
            traces.span(f"channel push {self.code}", parents, {"podium.skus": len(pushes)}),
        ):
            self.pacer.spend()
            return self._call(connector, row, pushes, seqs, read_at)

    def _call(
        self,
        connector: Any,
        row: Mapping[Any, Any],
        pushes: list[LevelPush],
        seqs: dict[str, int],
        read_at: datetime,
    ) -> int:
        started = time.perf_counter()
        try:
            result = connector.push(self.code, typed(row["type"], row["settings"]), pushes)
        except Exception as exc:
            metrics.CHANNEL_PUSH_SECONDS.labels(self.code).observe(time.perf_counter() - started)
            metrics.CHANNEL_PUSH_FAILURES.labels(self.code).inc()
            message = (
                exc.message if isinstance(exc, DomainError) else f"{type(exc).__name__}: {exc}"
            )
            self.breaker.failed()
            delay = self.backoff.failed()
            if isinstance(exc, DomainError) and "retry_after" in exc.details:
                delay = max(delay, float(exc.details["retry_after"]))  # 429: as it asks
                if self.pacer is not None:
                    self.pacer.slow_down()
            delay = max(delay, self.breaker.retry_in())
            self.retry_at = self.clock() + delay
            log.warning("stock push to %s failed (retry in %.0f s): %s", self.code, delay, message)
            with self.db.write() as conn:
                marks.failed_marks(conn, self.code, {p.sku: message for p in pushes})
                store.bump_state(
                    conn,
                    self.code,
                    push_errors=1,
                    last_error=message,
                    last_error_at=utcnow(),
                    **self._throttles(),
                )
            return 0
        metrics.CHANNEL_PUSH_SECONDS.labels(self.code).observe(time.perf_counter() - started)
        self.breaker.succeeded()  # it answered: items it refused are not an outage
        accepted = set(result.accepted)
        failed = {sku: why for sku, why in result.failed.items() if sku not in accepted}
        pushed = {p.sku: p for p in pushes}
        settled = {sku: seq for sku, seq in seqs.items() if sku not in failed}
        refused = refusal(failed)
        with self.db.write() as conn:
            for sku in settled:
                if sku in pushed:
                    store.record_push(conn, self.code, sku, pushed[sku].quantity, settled[sku])
            marks.clear_marks(conn, self.code, settled, read_at)
            marks.failed_marks(conn, self.code, failed)
            failures: dict[str, Any] = {}
            if refused:
                failures = {"push_errors": 1, "last_error": refused, "last_error_at": utcnow()}
            told = sum(1 for sku in settled if sku in pushed)
            changes = {"last_push_at": utcnow()} if told else {}
            store.bump_state(
                conn, self.code, pushes=told, **changes, **failures, **self._throttles()
            )
        if result.drift:
            log.warning("channel %s had drifted: %s", self.code, result.drift)
        if refused:
            self.retry_at = self.clock() + self.backoff.failed()
            log.warning("stock push to %s: %s", self.code, refused)
        else:
            self.backoff.succeeded()
        return len(settled)

    def _throttles(self) -> dict[str, Any]:
        count = self.connectors.take_throttled(self.code)
        if count and self.pacer is not None:
            self.pacer.slow_down()
        return {"throttled": count, "last_throttled_at": utcnow()} if count else {}


class Pushers:
    """Every active channel's pusher in this process: ``start`` runs one thread per channel
    (``podium serve``, ``podium worker``); ``run_once`` pushes everything due now, in the
    caller's thread (tests)."""

    def __init__(self, db: Database, connectors: Connectors, settings: Settings) -> None:
        self.db = db
        self.connectors = connectors
        self.settings = settings
        self.holder = f"{socket.gethostname()[:60]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.leases = Leases(db, channel_pushers, settings.push_lease_seconds)
        self.breakers = Breakers("channel", BreakerPolicy.of(settings))
        self._pushers: dict[str, ChannelPusher] = {}
        self._threads: dict[str, threading.Thread] = {}
        self._wakes: dict[str, threading.Event] = {}
        self._lock = threading.Lock()
        self.stopping = threading.Event()
        self._discoverer: threading.Thread | None = None

    def pusher(self, code: str) -> ChannelPusher:
        with self._lock:
            found = self._pushers.get(code)
            if found is None:
                found = self._pushers[code] = ChannelPusher(
                    self.db,
                    self.connectors,
                    self.settings,
                    code,
                    self.holder,
                    self.leases,
                    breaker=self.breakers(code),
                )
            return found

    def circuit(self, code: str) -> tuple[str, float]:
        """The channel's circuit in this process (closed, open, half_open) and the seconds
        until its probe (0 unless open)."""
        breaker = self.breakers(code)
        return breaker.state, round(breaker.retry_in(), 1)

    def active_channels(self) -> list[str]:
        with self.db.read() as conn:
            rows = store.pushable_channels(conn)
        return [code for code, kind in rows if self.connectors.for_type(kind) is not None]

    def run_once(self) -> int:
        """Push every channel's marks now, paced (waiting for the platform's budget, not for a
        failed channel's backoff); returns how many marks were settled."""
        settled = 0
        for code in self.active_channels():
            p = self.pusher(code)
            if not p.hold():
                continue
            while p.clock() >= p.retry_at:  # not backing off after a failure
                time.sleep(p.wait())  # the platform's budget: paced, as in the background
                done = p.push_once()
                if not done:
                    break
                settled += done
        return settled

    def notify(self) -> None:
        """Marks were made in this process: wake every pusher at once."""
        with self._lock:
            wakes = list(self._wakes.values())
        for wake in wakes:
            wake.set()

    def start(self) -> None:
        self.stopping.clear()
        self._discoverer = threading.Thread(
            target=self._discover, name="podium-pushers", daemon=True
        )
        self._discoverer.start()

    def _discover(self) -> None:
        while not self.stopping.is_set():
            try:
                for code in self.active_channels():
                    with self._lock:
                        if code in self._threads:
                            continue
                        wake = self._wakes[code] = threading.Event()
                        thread = threading.Thread(
                            target=self._run, args=(code, wake), name=f"podium-push-{code}"
                        )
                        thread.daemon = True
                        self._threads[code] = thread
                    thread.start()
            except Exception:  # a database hiccup: look again later
                log.exception("looking for channels to push failed")
            self.stopping.wait(_DISCOVER_SECONDS)

    def _run(self, code: str, wake: threading.Event) -> None:
        p = self.pusher(code)
        poll = self.settings.push_poll_seconds
        while not self.stopping.is_set():
            try:
                if not p.hold():
                    self.stopping.wait(self.settings.push_lease_seconds / 4)
                    continue
                delay = p.wait()
                if delay > 0:
                    self.stopping.wait(delay)
                    continue
                if p.push_once():
                    continue
            except Exception:  # a database hiccup or a bug: log, wait, carry on
                log.exception("pushing stock to %s failed", code)
            if wake.wait(poll):
                wake.clear()

    def stop(self, timeout: float = 5.0) -> None:
        self.stopping.set()
        self.notify()
        with self._lock:
            threads = list(self._threads.values())
            held = [c for c, p in self._pushers.items() if p._held_until]
            self._threads.clear()
            self._wakes.clear()
        if self._discoverer is not None:
            self._discoverer.join(timeout)
            self._discoverer = None
        for thread in threads:
            thread.join(timeout)
        try:
            if held:
                with self.db.write() as conn:
                    marks.release_pusher(conn, held, self.holder)
        except Exception:  # the database is gone: the leases run out on their own
            log.warning("could not give back the channel push leases")
        for p in self._pushers.values():
            p._held_until = 0.0
        self.leases.stop()
