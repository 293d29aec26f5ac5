"""The webhook delivery worker: POSTs queued deliveries, signed, with timeouts; logs every
attempt; retries with full-jitter exponential back-off; gives a delivery up after
``webhook_max_attempts``; pauses a subscription that keeps failing. Each receiver (host) has a
circuit breaker (``podium.resilience``): one that is down or hangs is not called again until
its probe, and holds at most half the concurrent slots, so it does not slow the others.

``podium serve`` runs it in its own thread next to the relay, and so does ``podium worker``;
several may share one database (deliveries are leased like outbox events, ``db/leases.py``:
short leases renewed while a delivery is under way, ``SKIP LOCKED`` on PostgreSQL).
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx

from podium import __version__
from podium.config import Settings
from podium.db.database import Database, utcnow
from podium.db.leases import Leases
from podium.db.tables import webhook_deliveries
from podium.notify import _webhook_store as store
from podium.notify.model import (
    SIGNATURE_HEADER,
    PausePolicy,
    encode_body,
    signature_header,
)
from podium.outbound import private_target
from podium.resilience import BreakerPolicy, Breakers, Deadline, Timeouts, full_jitter

__all__ = ["Deliverer", "destination"]

log = logging.getLogger("podium.webhooks")

_BATCH = 100


@dataclass(frozen=True, slots=True)
class _Result:
    succeeded: bool
    status_code: int | None
    duration_ms: int
    error: str | None


class Deliverer:
    def __init__(
        self,
        db: Database,
        settings: Settings,
        clock: Callable[[], datetime] = utcnow,
        transport: httpx.BaseTransport | None = None,
        rng: Callable[[], float] = random.random,
    ) -> None:
        self.db = db
        self.settings = settings
        self.clock = clock
        self.policy = PausePolicy(
            settings.webhook_pause_after_failures, settings.webhook_pause_after_seconds
        )
        self.rng = rng
        self.timeouts = Timeouts(
            settings.outbound_connect_seconds,
            settings.webhook_timeout_seconds,
            settings.webhook_timeout_seconds,
        )
        self.breakers = Breakers(
            "webhook", BreakerPolicy.of(settings), lambda: self.clock().timestamp()
        )
        self.client = httpx.Client(
            timeout=self.timeouts.httpx_timeout(),
            follow_redirects=False,
            transport=transport,
            headers={"User-Agent": f"Podium-Webhooks/{__version__}"},
        )
        self.leases = Leases(db, webhook_deliveries, settings.webhook_lease_seconds, clock)
        self._pool = ThreadPoolExecutor(
            max_workers=settings.webhook_concurrency, thread_name_prefix="podium-webhook-post"
        )
        self.wake = threading.Event()
        self.stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def circuit(self, url: str) -> str:
        """The state of the circuit of ``url``'s host in this process."""
        return self.breakers(destination(url)).state

    # --- one pass -------------------------------------------------------------------------

    def run_once(self) -> int:
        """Attempt every due delivery once; returns how many were attempted."""
        now = self.clock()
        with self.db.read() as conn:
            if not store.any_due(conn, now):
                return 0
        with self.db.write() as conn:
            rows = store.claim(conn, now=now, lease_until=self.leases.until(now), limit=_BATCH)
            subs = {
                sid: store.subscription(conn, sid) for sid in {r["subscription_id"] for r in rows}
            }
        with self.leases.holding([r["id"] for r in rows]):
            return self._deliver(rows, subs)

    def _deliver(self, rows: list[Any], subs: dict[str, Any]) -> int:
        """POST the claimed deliveries, ``webhook_concurrency`` at a time, settling each as it
        completes and starting the next at once (a slow receiver holds its slots, not the
        queue). One receiver (host) holds at most half the slots, and one that is failing a
        single slot, so a receiver that is down is probed, not hammered, and others keep
        theirs. A receiver whose circuit is open is not called: its deliveries wait for the
        probe (``podium.resilience``), no attempt counted."""
        paused: set[str] = set()
        failing = {sid for sid, sub in subs.items() if sub and sub["consecutive_failures"]}
        share = max(1, (self.settings.webhook_concurrency + 1) // 2)
        busy: dict[str, int] = {}  # in flight per receiver
        attempted = 0
        untried: list[str] = []
        deferred: dict[str, float] = {}  # delivery id -> seconds until its receiver's probe
        pending = list(rows)
        running: dict[Future[_Result], tuple[Any, str]] = {}
        while pending or running:
            later: list[Any] = []
            for row in pending:
                sid, sub = row["subscription_id"], subs[row["subscription_id"]]
                if sub is None or sid in paused or self.stopping.is_set():
                    untried.append(row["id"])
                    continue
                dest = destination(sub["url"])
                in_flight = busy.get(dest, 0)
                limit = 1 if sid in failing else share
                if len(running) >= self.settings.webhook_concurrency or in_flight >= limit:
                    later.append(row)
                elif not self.breakers(dest).allow():
                    deferred[row["id"]] = self.breakers(dest).retry_in()
                else:
                    busy[dest] = in_flight + 1
                    running[self._pool.submit(self._post, sub, row)] = (row, dest)
            pending = later
            if not running:
                continue
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            settled: list[tuple[Any, _Result]] = []
            for future in done:
                row, dest = running.pop(future)
                busy[dest] -= 1
                settled.append((row, future.result()))
            attempted += len(settled)
            failing |= {row["subscription_id"] for row, result in settled if not result.succeeded}
            # What finished together is settled in one transaction (one commit, not one a
            # delivery); the next deliveries start as soon as this returns.
            paused |= self._settle(settled)
        if untried or deferred:  # paused or stopping: due again at once; circuit open: later
            now = self.clock()
            with self.db.write() as conn:
                self.leases.release(conn, untried)
                for delivery_id, seconds in deferred.items():
                    store.update_delivery(
                        conn,
                        delivery_id,
                        {"locked_until": None, "next_attempt_at": now + timedelta(seconds=seconds)},
                    )
        return attempted

    def _post(self, sub: Any, row: Any) -> _Result:
        body = encode_body(dict(row["body"]))
        timestamp = int(self.clock().timestamp())
        headers = {
            "Content-Type": "application/json",
            SIGNATURE_HEADER: signature_header(
                sub["secret"], timestamp, body, *_previous_secret(sub, self.clock())
            ),
            "Podium-Event-Id": str(row["event_id"]),
            "Podium-Event-Type": row["event_type"],
            "Podium-Delivery-Id": row["id"],
        }
        started = time.perf_counter()
        refused = None if self.settings.webhooks_allow_private else private_target(sub["url"])
        if refused:
            self.breakers(destination(sub["url"])).succeeded()  # not the receiver's fault
            return _Result(False, None, 0, refused)
        result = self._send(sub["url"], body, headers, started)
        breaker = self.breakers(destination(sub["url"]))
        code = result.status_code
        # A receiver that answers 4xx is up (it refused this one); 5xx, 429 and no answer
        # count against its circuit.
        if result.succeeded or (code is not None and 400 <= code < 500 and code != 429):
            breaker.succeeded()
        else:
            breaker.failed()
        return result

    def _send(self, url: str, body: bytes, headers: dict[str, str], started: float) -> _Result:
        total = self.timeouts.total
        deadline = Deadline(total)
        try:
            with self.client.stream("POST", url, content=body, headers=headers) as response:
                code = response.status_code
                text = b""
                if not 200 <= code < 300:
                    for chunk in response.iter_bytes():  # bounded: 300 bytes, the deadline
                        text += chunk
                        if len(text) >= 300 or deadline.passed():
                            break
        except httpx.TimeoutException:
            return _Result(False, None, _ms(started), f"timed out after {total:g}s")
        except httpx.HTTPError as exc:
            return _Result(False, None, _ms(started), f"{type(exc).__name__}: {exc}"[:2000])
        if 200 <= code < 300:
            return _Result(True, code, _ms(started), None)
        excerpt = " ".join(text[:300].decode("utf-8", "replace").split())
        return _Result(
            False, code, _ms(started), f"HTTP {code}" + (f": {excerpt}" if excerpt else "")
        )

    def _settle(self, settled: list[tuple[Any, _Result]]) -> set[str]:
        """Log a wave's attempts and move its deliveries on, in one transaction (one commit a
        wave, not one a delivery: the queue drains at the receivers' pace, not the disk's).
        Subscriptions are settled in id order, so two workers never deadlock on them; one whose
        deliveries all succeeded is written only if it had a failure streak to end. Returns the
        subscriptions this wave paused."""
        now = self.clock()
        paused: set[str] = set()
        by_sub: dict[str, list[tuple[Any, _Result]]] = {}
        for row, result in settled:
            by_sub.setdefault(row["subscription_id"], []).append((row, result))
        with self.db.write() as conn:
            alive = store.existing_deliveries(conn, [row["id"] for row, _ in settled])
            attempts: list[dict[str, Any]] = []
            delivered: list[dict[str, Any]] = []
            for sub_id in sorted(by_sub):
                rows = [(r, res) for r, res in by_sub[sub_id] if r["id"] in alive]
                if not rows:
                    continue  # removed while we were sending
                attempts += [_attempt(row, result, now) for row, result in rows]
                delivered += [
                    {
                        "b_id": row["id"],
                        "b_at": now,
                        "b_attempts": row["attempts"] + 1,
                        "b_code": result.status_code,
                    }
                    for row, result in rows
                    if result.succeeded
                ]
                if all(result.succeeded for _, result in rows):
                    store.clear_failures(conn, sub_id)
                elif self._settle_failures(conn, sub_id, rows, now):
                    paused.add(sub_id)
            store.add_attempts(conn, attempts)
            store.mark_delivered(conn, delivered)
        return paused

    def _settle_failures(
        self, conn: Any, sub_id: str, rows: list[tuple[Any, _Result]], now: datetime
    ) -> bool:
        """A subscription with failures in the wave: retry or give up each failed delivery and
        replay the wave's outcomes, in claim order, on its failure streak (under its row lock);
        True when the streak pauses it."""
        sub = store.lock_subscription(conn, sub_id)
        if sub is None:
            return False
        failures, since = sub["consecutive_failures"], sub["failing_since"]
        pause, last_error = False, None
        for row, result in rows:
            if result.succeeded:
                failures, since = 0, None
                continue
            attempts = row["attempts"] + 1
            values: dict[str, Any] = {
                "attempts": attempts,
                "locked_until": None,
                "last_status_code": result.status_code,
                "last_error": result.error,
            }
            if attempts >= self.settings.webhook_max_attempts:
                values["status"] = store.FAILED
                log.warning("webhook delivery %s given up after %s attempts", row["id"], attempts)
            else:
                delay = full_jitter(
                    attempts, self.settings.webhook_backoff_seconds, 3600.0, self.rng
                )
                values["next_attempt_at"] = now + timedelta(seconds=delay)
            store.update_delivery(conn, row["id"], values)
            failures, since = failures + 1, since or now
            pause = pause or (
                sub["status"] == store.ACTIVE
                and self.policy.should_pause(failures, _aware(since, now), now)
            )
            last_error = result.error
        change: dict[str, Any] = {"consecutive_failures": failures, "failing_since": since}
        if pause:
            change |= {
                "status": store.PAUSED,
                "paused_at": now,
                "pause_reason": f"{failures} consecutive failed deliveries; last: {last_error}"[
                    :500
                ],
                "updated_at": now,
            }
            log.warning("webhook subscription %s paused after %s failures", sub_id, failures)
        store.update_subscription(conn, sub_id, change)
        return pause

    # --- the loop -------------------------------------------------------------------------

    def run_forever(self) -> None:
        while not self.stopping.is_set():
            try:
                worked = self.run_once()
            except Exception:  # database hiccup: log, wait, carry on
                log.exception("webhook delivery pass failed")
                worked = 0
            if worked == 0:
                self.wake.wait(max(self.settings.relay_poll_seconds, 0.5))
                self.wake.clear()

    def notify(self) -> None:
        self.wake.set()

    def start(self) -> None:
        if self._thread is not None:
            return
        self.stopping.clear()
        self._thread = threading.Thread(
            target=self.run_forever, name="podium-webhooks", daemon=True
        )
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self.stopping.set()
        self.wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        self.leases.stop()

    def close(self) -> None:
        self.stop()
        self._pool.shutdown(wait=True)
        self.client.close()


def _attempt(row: Any, result: _Result, now: datetime) -> dict[str, Any]:
    return {
        "delivery_id": row["id"],
        "attempted_at": now,
        "succeeded": result.succeeded,
        "status_code": result.status_code,
        "duration_ms": result.duration_ms,
        "error": result.error,
    }


def destination(url: str) -> str:
    """A receiver's circuit key: its scheme, host and port (every path on it shares one)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname or ''}" + (f":{parts.port}" if parts.port else "")


def _previous_secret(sub: Any, now: datetime) -> list[str]:
    expires = sub["previous_secret_expires_at"]
    if not sub["previous_secret"] or expires is None or _aware(expires, now) <= now:
        return []
    return [sub["previous_secret"]]


def _ms(started: float) -> int:
    return round((time.perf_counter() - started) * 1000)


def _aware(value: datetime, like: datetime) -> datetime:
    """SQLite hands back naive UTC timestamps."""
    return value.replace(tzinfo=like.tzinfo) if value.tzinfo is None else value
