"""Use cases: a prune pass (``podium db prune``, and periodically in ``podium serve`` and
``podium worker`` under a lease so one node prunes at a time) and the archive of old months
(``podium db archive --before YYYY-MM``)."""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from podium import events, inventory, metrics, notify, orders, users
from podium.config import Settings
from podium.db.database import Database, as_utc, utcnow
from podium.lifecycle import _store as store
from podium.lifecycle.model import ArchiveResult, PruneResult, Retention

__all__ = ["LastPrune", "Pruner", "archive", "last_prune", "prune", "retention_of"]

log = logging.getLogger("podium.lifecycle")

PRUNE = "prune"
# Ledger keys (SKU × warehouse) archived per transaction.
_KEYS_PER_BATCH = 200


def retention_of(settings: Settings) -> Retention:
    return Retention(
        delivered_events_days=settings.retain_delivered_events_days,
        webhook_attempts_days=settings.retain_webhook_attempts_days,
        batch_size=settings.prune_batch_size,
    )


def prune(
    db: Database,
    retention: Retention,
    *,
    dry_run: bool = False,
    now: datetime | None = None,
) -> PruneResult:
    """Delete settled rows past their retention, ``batch_size`` rows per transaction, at most
    ``max_batches`` batches per table; a dry run only counts them."""
    at = now or utcnow()
    cut = retention.cutoffs(at)
    result = PruneResult(dry_run=dry_run)
    if dry_run:
        with db.read() as conn:
            result.deleted["outbox"] = events.count_delivered_events(conn, cut.delivered_events)
            attempts, deliveries = notify.count_settled_webhooks(conn, cut.webhook_deliveries)
            result.deleted["webhook_attempts"] = attempts
            result.deleted["webhook_deliveries"] = deliveries
            result.deleted["user_sessions"] = users.count_expired_sessions(conn, cut.sessions)
        return result

    def batches(table: str, step: Callable[[Any], int]) -> None:
        for _ in range(retention.max_batches):
            with db.write() as conn:
                n = step(conn)
            result.deleted[table] += n
            if n < retention.batch_size:
                return
        result.complete = False

    limit = retention.batch_size
    batches("outbox", lambda c: events.prune_delivered_events(c, cut.delivered_events, limit))

    def webhooks(conn: Any) -> int:
        attempts, deliveries = notify.prune_settled_webhooks(conn, cut.webhook_deliveries, limit)
        result.deleted["webhook_attempts"] += attempts
        return deliveries

    batches("webhook_deliveries", webhooks)
    batches("user_sessions", lambda c: users.prune_expired_sessions(c, cut.sessions, limit))
    for table, n in result.deleted.items():
        if n:
            metrics.PRUNED_ROWS.labels(table).inc(n)
    return result


@dataclass(frozen=True, slots=True)
class LastPrune:
    at: datetime
    deleted: dict[str, int]
    complete: bool


def last_prune(db: Database) -> LastPrune | None:
    """The last prune pass any node finished (None before the first)."""
    with db.read() as conn:
        found = store.last_run(conn, PRUNE)
    if found is None:
        return None
    at, body = found
    deleted = {str(k): int(v) for k, v in dict(body.get("deleted") or {}).items()}
    return LastPrune(as_utc(at), deleted, bool(body.get("complete", True)))


def archive(
    db: Database,
    before: datetime,
    *,
    batch_size: int = 5000,
    dry_run: bool = False,
    progress: Callable[[str, int], None] | None = None,
) -> ArchiveResult:
    """Move timeline entries and ledger movements older than ``before`` to the archive
    tables, batch by batch (each batch one transaction: a crash leaves whole batches done)."""
    result = ArchiveResult(before=before, dry_run=dry_run)
    if dry_run:
        with db.read() as conn:
            result.moved["order_events"] = orders.count_timeline_to_archive(conn, before)
            result.moved["stock_movements"] = inventory.count_ledger_to_archive(conn, before)
        return result
    while True:
        with db.write() as conn:
            n = orders.archive_timeline(conn, before, batch_size)
        result.moved["order_events"] += n
        if progress is not None and n:
            progress("order_events", n)
        if n < batch_size:
            break
    with db.read() as conn:
        keys = inventory.ledger_keys_to_archive(conn, before)
    for i in range(0, len(keys), _KEYS_PER_BATCH):
        chunk = keys[i : i + _KEYS_PER_BATCH]
        with db.write() as conn:
            moved, carried = inventory.archive_ledger(conn, before, chunk)
        result.moved["stock_movements"] += moved
        result.carried_forward += carried
        if progress is not None:
            progress("stock_movements", moved)
    return result


class Pruner:
    """Runs a prune pass every ``interval`` seconds on a daemon thread, on whichever node
    holds the ``prune`` lease (taken for two intervals, renewed by every pass, given back on
    a clean stop): one node prunes at a time, and another takes over after a crash."""

    @classmethod
    def of(cls, db: Database, settings: Settings) -> Pruner:
        return cls(db, retention_of(settings), settings.prune_interval_seconds)

    def __init__(
        self,
        db: Database,
        retention: Retention,
        interval: float,
        *,
        holder: str | None = None,
        first_delay: float = 30.0,
    ) -> None:
        self.db = db
        self.retention = retention
        self.interval = interval
        self.first_delay = first_delay
        self.holder = holder or f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"
        self.stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def run_once(self, now: datetime | None = None) -> PruneResult | None:
        """One pass if this node holds (or takes) the lease; None when another holds it."""
        at = now or utcnow()
        until = at + timedelta(seconds=2 * self.interval)
        with self.db.write() as conn:
            if not store.claim(conn, PRUNE, self.holder, at, until):
                return None
        result = prune(self.db, self.retention, now=at)
        with self.db.write() as conn:
            store.record_run(conn, PRUNE, utcnow(), result.as_json())
        if result.total:
            log.info("pruned %d settled row(s): %s", result.total, result.deleted)
        return result

    def run_forever(self) -> None:
        self.stopping.wait(min(self.first_delay, self.interval))
        while not self.stopping.is_set():
            try:
                self.run_once()
            except Exception:  # a database hiccup (or a full disk): log, wait, carry on
                log.exception("prune pass failed")
            self.stopping.wait(self.interval)

    def start(self) -> None:
        self.stopping.clear()
        self._thread = threading.Thread(target=self.run_forever, name="podium-prune", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self.stopping.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
            try:
                with self.db.write() as conn:
                    store.release(conn, PRUNE, self.holder)
            except Exception:  # the lease runs out on its own
                log.warning("could not give the prune lease back", exc_info=True)
