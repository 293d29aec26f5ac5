"""Real-time stock sync: every stock change reaches every channel listing the SKU.

The relay hands ``ChannelSync.on_events`` each pass's ``inventory.changed`` (and
``channel.listing_changed``) events at once. It only *marks* the SKUs' listings as wanting a
push (``channel_listings.wanted_seq`` / ``wanted_at``): one UPDATE, idempotent, never waiting
for a platform. Each channel's paced pusher (``channels/pusher.py``) then tells the platform
what the listing may sell *now*, batched and within the platform's rate budget, so a burst of
changes to one SKU costs one push of the latest value. Each listing remembers the outbox id of
the change it last told (``pushed_seq``): an older value never overwrites a newer one.

``sync`` pushes at once, outside the pacing (``podium channels sync``, reconciliation).
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from podium import catalog, inventory, metrics
from podium.catalog import Channel, Warehouse
from podium.channels import _push_store as marks
from podium.channels import _store as store
from podium.channels.allowance import allowances
from podium.channels.connector import Connectors, PlatformError
from podium.channels.events import ListingChanged
from podium.channels.model import LevelPush
from podium.channels.registry import typed
from podium.db.database import Database, utcnow
from podium.errors import DomainError, NotFound
from podium.events import Envelope, Event, event_types
from podium.inventory import InventoryChanged, Level

__all__ = [
    "SUBSCRIBER",
    "SYNC_EVENTS",
    "SYNC_TYPES",
    "ChannelSync",
    "Drift",
    "SyncFailed",
    "behind",
    "refusal",
]

log = logging.getLogger("podium.channels.sync")
SYNC_EVENTS: tuple[type[Event], ...] = (InventoryChanged, ListingChanged)
SYNC_TYPES = event_types(SYNC_EVENTS)  # their wire types, as the outbox stores them
SUBSCRIBER = "channel-sync"  # the relay's name for ``ChannelSync.on_events``


class SyncFailed(PlatformError):
    """One or more channels could not be told; the relay will retry these events."""

    code = "sync_failed"


@dataclass(frozen=True, slots=True)
class Drift:
    sku: str
    publishes: int  # what Podium tells the channel
    shows: int | None  # what the platform shows
    last_pushed: int | None


@dataclass
class SyncReport:
    pushed: dict[str, int] = field(default_factory=dict)  # channel -> SKUs told
    errors: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _Picture:
    rows: Sequence[Mapping[Any, Any]]
    levels: dict[str, list[Level]]
    warehouses: dict[str, Warehouse]
    channels: dict[str, Channel]
    ahead: Mapping[tuple[str, str], int]  # (channel, sku) -> pre-order units left to sell

    def told(self, channel: str, sku: str) -> int:
        """The channel's stock (buffer and cap applied) plus what it may still pre-order."""
        ch = self.channels[channel]
        available = inventory.channel_available(ch, self.warehouses, self.levels.get(sku, []))
        return inventory.published_for(ch, available) + self.ahead.get((channel, sku), 0)


def _picture(conn: Connection, rows: Sequence[Mapping[Any, Any]]) -> _Picture:
    skus = {r["sku"] for r in rows}
    return _Picture(
        rows,
        inventory.channel_levels(conn, skus),
        {w.code: w for w in catalog.list_warehouses(conn)},
        {c.code: c for c in catalog.list_channels(conn)},
        allowances(conn, skus),
    )


class ChannelSync:
    def __init__(self, db: Database, connectors: Connectors) -> None:
        self.db = db
        self.connectors = connectors
        # Told when marks were made (the pushers in this process wake at once).
        self.on_marked: Callable[[], None] | None = None
        # (channel, sku) -> (mark seen, when) for a ``sync`` under way: a push clears it.
        self._marks: dict[tuple[str, str], tuple[int, datetime]] = {}

    def on_events(self, events: list[Envelope]) -> None:
        """Mark the listings of these events' SKUs as wanting a push (the pushers push)."""
        changes: dict[str, tuple[int, datetime]] = {}
        for e in events:
            sku = str(e.payload.get("sku") or e.aggregate_id)
            seq, at = changes.get(sku, (0, e.created_at))
            changes[sku] = (max(seq, e.id), min(at, e.created_at))
        with self.db.write() as conn:
            count = marks.mark(conn, changes)
        if count and self.on_marked is not None:
            self.on_marked()

    def sync(
        self, seqs: Mapping[str, int], *, channel: str | None = None, force: bool = False
    ) -> SyncReport:
        """Tell every channel listing these SKUs what it may sell now (changed ones only,
        unless ``force``)."""
        read_at = utcnow()
        with self.db.read() as conn:
            rows = [
                r
                for r in store.listings_for_skus(conn, seqs)
                if (channel is None or r["channel"] == channel)
                and self.connectors.for_type(r["type"]) is not None
            ]
            if not rows:
                return SyncReport()
            picture = _picture(conn, rows)
        plan: dict[str, list[tuple[LevelPush, int]]] = defaultdict(list)
        for r in rows:
            seq = seqs[r["sku"]]
            if r["pushed_seq"] > seq:
                continue  # a newer stock version was told already
            told = picture.told(r["channel"], r["sku"])
            if not force and r["pushed_available"] == told:
                continue
            push = LevelPush(
                r["sku"], r["remote_id"], r["remote_location_id"], told, r["pushed_available"]
            )
            plan[r["channel"]].append((push, seq))
            if r["wanted_seq"] is not None:  # what this push tells settles the mark
                self._marks[(r["channel"], r["sku"])] = (int(r["wanted_seq"]), read_at)
        report = SyncReport()
        by_channel = {r["channel"]: r for r in rows}
        if len(plan) <= 1:
            for code, items in plan.items():
                self._push(code, by_channel[code], items, report)
            return report
        # Channels are told side by side: one platform's rate limit never delays another.
        with ThreadPoolExecutor(max_workers=min(8, len(plan))) as pool:
            futures = [
                pool.submit(self._push, code, by_channel[code], items, report)
                for code, items in plan.items()
            ]
        for future in futures:
            future.result()  # a bug in _push surfaces here; platform failures are in report
        return report

    def _push(
        self,
        code: str,
        row: Mapping[Any, Any],
        items: list[tuple[LevelPush, int]],
        report: SyncReport,
    ) -> None:
        connector = self.connectors.for_type(row["type"])
        if connector is None:
            raise RuntimeError(f"no connector for channel type {row['type']}")
        started = time.perf_counter()
        try:
            result = connector.push(
                code, typed(row["type"], row["settings"]), [p for p, _ in items]
            )
        except (DomainError, Exception) as exc:
            metrics.CHANNEL_PUSH_SECONDS.labels(code).observe(time.perf_counter() - started)
            metrics.CHANNEL_PUSH_FAILURES.labels(code).inc()
            message = (
                exc.message if isinstance(exc, DomainError) else f"{type(exc).__name__}: {exc}"
            )
            log.warning("stock push to %s failed: %s", code, message)
            report.errors[code] = message
            for push, _ in items:  # the marks stay for the channel's pusher
                self._marks.pop((code, push.sku), None)
            with self.db.write() as conn:
                store.bump_state(
                    conn,
                    code,
                    push_errors=1,
                    last_error=message,
                    last_error_at=utcnow(),
                    **self._throttles(code),
                )
            return
        metrics.CHANNEL_PUSH_SECONDS.labels(code).observe(time.perf_counter() - started)
        accepted = set(result.accepted)
        told = [(push, seq) for push, seq in items if push.sku in accepted]
        refused = refusal(result.failed)
        with self.db.write() as conn:
            for push, seq in told:
                store.record_push(conn, code, push.sku, push.quantity, seq)
                mark = self._marks.pop((code, push.sku), None)
                if mark is not None:
                    marks.clear_marks(conn, code, {push.sku: mark[0]}, mark[1])
            failures: dict[str, Any] = {}
            if refused:  # the rest went through; these stay pending and are retried
                failures = {"push_errors": 1, "last_error": refused, "last_error_at": utcnow()}
            changes = {"last_push_at": utcnow()} if told else {}
            store.bump_state(
                conn, code, pushes=len(told), **changes, **failures, **self._throttles(code)
            )
        if result.drift:
            log.warning("channel %s had drifted: %s", code, result.drift)
        if refused:
            metrics.CHANNEL_PUSH_FAILURES.labels(code).inc()
            log.warning("stock push to %s: %s", code, refused)
            report.errors[code] = refused
        report.pushed[code] = len(told)

    def _throttles(self, code: str) -> dict[str, Any]:
        """Health-row changes for the times the platform throttled this channel lately."""
        count = self.connectors.take_throttled(code)
        return {"throttled": count, "last_throttled_at": utcnow()} if count else {}

    # --- reconciliation ----------------------------------------------------------------------

    def reconcile(self, code: str, *, fix: bool = False) -> tuple[int, list[Drift]]:
        """Compare what the platform shows with what Podium publishes; ``fix`` pushes
        Podium's figure wherever they differ. Returns (listings checked, drift)."""
        with self.db.read() as conn:
            row = store.channel_row(conn, code)
            if row is None:
                raise NotFound(f"No channel {code}.", code="channel_not_found")
            listed = store.listings(conn, code, limit=1_000_000)
            picture = _picture(conn, [dict(r, type=row["type"]) for r in listed])
        from podium.channels.service import connector_for

        connector = connector_for(self.connectors, row)
        settings = typed(row["type"], row["settings"])
        wanted = [
            LevelPush(
                r["sku"],
                r["remote_id"],
                r["remote_location_id"],
                picture.told(code, r["sku"]),
                r["pushed_available"],
            )
            for r in listed
        ]
        shown = connector.read_levels(code, settings, wanted)
        drift = [
            Drift(p.sku, p.quantity, shown.get(p.sku), p.previous)
            for p in wanted
            if shown.get(p.sku) != p.quantity
        ]
        if fix and drift:
            fixes = [
                LevelPush(p.sku, p.remote_id, p.remote_location_id, p.quantity, shown.get(p.sku))
                for p in wanted
                if shown.get(p.sku) != p.quantity
            ]
            result = connector.push(code, settings, fixes)
            accepted = set(result.accepted)
            refused = refusal(result.failed)
            with self.db.write() as conn:
                told = [p for p in fixes if p.sku in accepted]
                for p in told:
                    row_now = store.listing(conn, code, p.sku)
                    seq = row_now["pushed_seq"] if row_now else 0
                    store.record_push(conn, code, p.sku, p.quantity, seq)
                failures: dict[str, Any] = {}
                if refused:
                    failures = {"push_errors": 1, "last_error": refused, "last_error_at": utcnow()}
                store.bump_state(
                    conn,
                    code,
                    pushes=len(told),
                    last_push_at=utcnow(),
                    **failures,
                    **self._throttles(code),
                )
        return len(wanted), drift

    def sync_channel(self, code: str) -> int:
        """Push every listing of a channel now (``podium channels sync``)."""
        with self.db.read() as conn:
            if store.channel_row(conn, code) is None:
                raise NotFound(f"No channel {code}.", code="channel_not_found")
            listed = store.listings(conn, code, limit=1_000_000)
        seqs = {r["sku"]: r["pushed_seq"] for r in listed}
        report = self.sync(seqs, channel=code, force=True)
        if report.errors:
            raise SyncFailed(report.errors[code])
        return report.pushed.get(code, 0)


def refusal(failed: Mapping[str, str], limit: int = 10) -> str:
    """One line for health and the relay: which SKUs the platform refused, and why (its own
    code and message), the first ``limit`` of them."""
    if not failed:
        return ""
    shown = "; ".join(f"{sku}: {why}" for sku, why in sorted(failed.items())[:limit])
    more = f" (and {len(failed) - limit} more)" if len(failed) > limit else ""
    return f"the platform refused {len(failed)} SKU(s): {shown}{more}"


def behind(conn: Connection, code: str) -> int:
    """How many listings' platform count is not what Podium publishes now."""
    listed = store.listings(conn, code, limit=1_000_000)
    if not listed:
        return 0
    row = store.channel_row(conn, code)
    if row is None:
        raise RuntimeError(f"channel {code} not found")
    picture = _picture(conn, [dict(r, type=row["type"]) for r in listed])
    return sum(1 for r in listed if r["pushed_available"] != picture.told(code, r["sku"]))
