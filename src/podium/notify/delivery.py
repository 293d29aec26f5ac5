"""The webhook delivery worker: POSTs queued deliveries, signed, with timeouts; logs every
attempt; retries with exponential backoff (``events.model.backoff_delay``); gives a delivery up
after ``webhook_max_attempts``; pauses a subscription that keeps failing.

``podium serve`` runs it in its own thread next to the relay, and so does ``podium worker``;
several may share one database (deliveries are leased like outbox events, ``db/leases.py``:
short leases renewed while a delivery is under way, ``SKIP LOCKED`` on PostgreSQL).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx

from podium import __version__
from podium.config import Settings
from podium.db.database import Database, utcnow
from podium.db.leases import Leases
from podium.db.tables import webhook_deliveries
from podium.events import backoff_delay
from podium.notify import _webhook_store as store
from podium.notify.model import (
    SIGNATURE_HEADER,
    PausePolicy,
    encode_body,
    signature_header,
)
from podium.outbound import private_target

__all__ = ["Deliverer"]

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
    ) -> None:
        self.db = db
        self.settings = settings
        self.clock = clock
        self.policy = PausePolicy(
            settings.webhook_pause_after_failures, settings.webhook_pause_after_seconds
        )
        self.client = httpx.Client(
            timeout=settings.webhook_timeout_seconds,
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
        """POST the claimed deliveries ``webhook_concurrency`` at a time (a slow receiver
        holds one slot, not the queue), settling each wave in claim order. A subscription that
        is failing gets one delivery at a time, so a receiver that is down is probed, not
        hammered, and is paused as soon as its streak says so."""
        paused: set[str] = set()
        failing = {sid for sid, sub in subs.items() if sub and sub["consecutive_failures"]}
        attempted = 0
        untried: list[str] = []
        pending = list(rows)
        while pending:
            wave: list[tuple[Any, Any]] = []
            later: list[Any] = []
            for row in pending:
                sid, sub = row["subscription_id"], subs[row["subscription_id"]]
                if sub is None or sid in paused or self.stopping.is_set():
                    untried.append(row["id"])
                elif len(wave) >= self.settings.webhook_concurrency or (
                    sid in failing and any(r["subscription_id"] == sid for r, _ in wave)
                ):
                    later.append(row)
                else:
                    wave.append((row, sub))
            pending = later
            if not wave:
                continue
            results = list(self._pool.map(lambda rs: self._post(rs[1], rs[0]), wave))
            settled = [(row, result) for (row, _), result in zip(wave, results, strict=True)]
            attempted += len(settled)
            failing |= {row["subscription_id"] for row, result in settled if not result.succeeded}
            paused |= self._settle(settled)
        if untried:  # a paused subscription, or stopping: due again at once for any worker
            with self.db.write() as conn:
                self.leases.release(conn, untried)
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
            return _Result(False, None, 0, refused)
        try:
            response = self.client.post(sub["url"], content=body, headers=headers)
        except httpx.TimeoutException:
            error = f"timed out after {self.settings.webhook_timeout_seconds:g}s"
            return _Result(False, None, _ms(started), error)
        except httpx.HTTPError as exc:
            return _Result(False, None, _ms(started), f"{type(exc).__name__}: {exc}"[:2000])
        code = response.status_code
        if 200 <= code < 300:
            return _Result(True, code, _ms(started), None)
        excerpt = " ".join(response.text[:300].split())
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
                values["next_attempt_at"] = now + backoff_delay(
                    attempts, self.settings.webhook_backoff_seconds
                )
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
