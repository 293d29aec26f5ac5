"""The outbox relay: at-least-once, ordered per aggregate, backoff, dead letters, many workers."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from typer.testing import CliRunner

from podium.bootstrap import Podium
from podium.cli import app as cli
from podium.db.database import utcnow
from podium.events import _store as store
from podium.events.catalogue import Event
from podium.events.model import DomainEvent, Envelope, Unavailable
from podium.events.relay import Registry, Relay
from podium.inventory.events import InventoryChanged
from podium.orders.events import OrderCreated
from support import Api, order_body, seed_store


class Clock:
    """Starts a moment ahead of the wall clock, so events just written are due."""

    def __init__(self) -> None:
        self.now = utcnow() + timedelta(seconds=5)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def _emit(podium: Podium, *events: tuple[str, str]) -> None:
    """Raw records of the outbox's own test types (``emit`` takes catalogue events)."""
    with podium.db.write() as conn:
        store.emit_records(
            conn, [DomainEvent("test", agg, kind, {"n": kind}) for agg, kind in events]
        )


# Subscribers name event classes: these stand for the raw test types above.
@dataclass(frozen=True, kw_only=True)
class _Ping(Event, type="ping", aggregate="test", webhook=False):
    """A test event."""


@dataclass(frozen=True, kw_only=True)
class _X(Event, type="x", aggregate="test", webhook=False):
    """A test event."""


def _relay(
    podium: Podium, registry: Registry, clock: Clock | None = None, **settings: float
) -> Relay:
    s = replace(podium.settings, relay_backoff_seconds=1.0, **settings)  # type: ignore[arg-type]
    # rng 1.0: the back-off's jitter at its ceiling (1 s, 2 s, 4 s…), so the test can step it.
    return Relay(podium.db, registry, s, clock=clock or utcnow, rng=lambda: 1.0)


def _drain(relay: Relay) -> None:
    while relay.run_once():
        pass


def test_placing_an_order_writes_its_events_and_a_rejection_writes_none(
    api: Api, podium: Podium
) -> None:
    seed_store(api, {("TEE", "EAST"): 1})
    received: list[Envelope] = []
    registry = Registry()
    registry.subscribe("spy", received.append, [OrderCreated, InventoryChanged])
    _drain(_relay(podium, registry))  # the seeding's stock events
    received.clear()
    order = api.ok("post", "/orders", order_body([("TEE", 1)], external_id="a"))
    assert api.post("/orders", order_body([("TEE", 1)], external_id="b")).status_code == 409
    _drain(_relay(podium, registry))
    assert sorted(e.type for e in received) == ["inventory.changed", "order.created"]
    created = next(e for e in received if e.type == "order.created")
    assert created.aggregate_id == order["id"]
    assert created.payload["number"] == order["number"]


def test_failures_are_retried_with_backoff_until_delivered_once(podium: Podium) -> None:
    clock = Clock()
    calls: list[int] = []
    happy: list[int] = []

    def flaky(e: Envelope) -> None:
        calls.append(e.attempt)
        if len(calls) <= 2:
            raise ConnectionError("receiver down")

    registry = Registry()
    registry.subscribe("flaky", flaky)
    registry.subscribe("happy", lambda e: happy.append(e.id))
    relay = _relay(podium, registry, clock)
    _emit(podium, ("A", "one"))
    assert relay.run_once() == 1
    assert relay.run_once() == 0  # backing off: 1 s
    clock.advance(1.1)
    assert relay.run_once() == 1
    assert relay.run_once() == 0  # now 2 s
    clock.advance(1.5)
    assert relay.run_once() == 0
    clock.advance(0.6)
    assert relay.run_once() == 1
    assert calls == [1, 2, 3]
    assert len(happy) == 1  # the subscriber that succeeded first time was not called again
    with podium.db.read() as conn:
        row = store.list_events(conn, status=None, position=None, limit=1).items[0]
    assert (row["status"], row["attempts"], row["last_error"]) == ("delivered", 3, None)


def test_events_of_one_aggregate_wait_for_the_one_before(podium: Podium) -> None:
    clock = Clock()
    seen: list[str] = []
    fail_first = {"A1"}

    def handler(e: Envelope) -> None:
        key = e.aggregate_id + e.type
        if key in fail_first:
            fail_first.discard(key)
            raise RuntimeError("not yet")
        seen.append(key)

    registry = Registry()
    registry.subscribe("ordered", handler)
    relay = _relay(podium, registry, clock)
    _emit(podium, ("A", "1"), ("A", "2"), ("B", "1"), ("A", "3"), ("B", "2"))
    _drain(relay)
    assert seen == ["B1", "B2"]  # A1 failed, so A2 and A3 wait
    clock.advance(2)
    _drain(relay)
    assert seen == ["B1", "B2", "A1", "A2", "A3"]


def test_dead_letters_are_visible_in_the_api_and_cli_and_can_be_retried(
    api: Api, podium: Podium, database_url: str, monkeypatch: object
) -> None:
    clock = Clock()
    broken = {"on": True}

    def handler(e: Envelope) -> None:
        if broken["on"]:
            raise RuntimeError("always failing")

    registry = Registry()
    registry.subscribe("fragile", handler)
    relay = _relay(podium, registry, clock, relay_max_attempts=3)
    _emit(podium, ("A", "doomed"))
    for _ in range(3):
        relay.run_once()
        clock.advance(3600)
    dead = api.ok("get", "/events?status=dead")
    assert [e["type"] for e in dead["items"]] == ["doomed"]
    assert dead["items"][0]["attempts"] == 3
    assert "always failing" in dead["items"][0]["last_error"]
    assert dead["counts"]["dead"] == 1

    monkeypatch.setenv("PODIUM_DATABASE_URL", database_url)  # type: ignore[attr-defined]
    listed = CliRunner().invoke(cli, ["events", "list", "--status", "dead"])
    assert listed.exit_code == 0, listed.output
    assert "doomed" in listed.output

    event_id = dead["items"][0]["id"]
    letters = api.ok("get", "/dead-letters")
    assert letters["events"] == 1
    assert [(d["kind"], d["id"], d["type"]) for d in letters["items"]] == [
        ("event", event_id, "doomed")
    ]
    assert api.post(f"/events/{event_id}/retry", role="readonly").status_code == 403
    assert api.ok("post", f"/events/{event_id}/retry")["status"] == "pending"
    broken["on"] = False
    relay.run_once()
    assert api.ok("get", "/events?status=dead")["items"] == []
    assert api.post(f"/events/{event_id}/retry").status_code == 409


def test_several_workers_share_the_outbox_without_delivering_twice_or_out_of_order(
    podium: Podium,
) -> None:
    deliveries: Counter[int] = Counter()
    order: dict[str, list[int]] = {}
    lock = threading.Lock()

    def handler(e: Envelope) -> None:
        with lock:
            deliveries[e.id] += 1
            order.setdefault(e.aggregate_id, []).append(e.id)

    registry = Registry()
    registry.subscribe("count", handler)
    _emit(podium, *[(f"agg{i % 40}", f"e{i}") for i in range(400)])
    relays = [_relay(podium, registry, relay_batch_size=10) for _ in range(4)]
    threads = [threading.Thread(target=_drain, args=(r,)) for r in relays]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    _drain(relays[0])
    assert len(deliveries) == 400
    assert set(deliveries.values()) == {1}
    assert all(ids == sorted(ids) for ids in order.values())


def test_the_background_relay_delivers_soon_after_commit(podium: Podium) -> None:
    got = threading.Event()
    podium.registry.subscribe("waiter", lambda e: got.set(), [_Ping])
    podium.relay.start()
    try:
        _emit(podium, ("A", "ping"))
        assert got.wait(5)
    finally:
        podium.relay.stop()


def test_a_batch_subscriber_gets_a_pass_worth_of_events_and_retries_them_together(
    podium: Podium,
) -> None:
    clock = Clock()
    calls: list[list[str]] = []
    fail = {"once": True}

    def batch(events: list[Envelope]) -> None:
        calls.append([e.aggregate_id + e.type for e in events])
        if fail["once"]:
            fail["once"] = False
            raise RuntimeError("flaky")

    registry = Registry()
    registry.subscribe_batch("coalescer", batch, [_X])
    relay = _relay(podium, registry, clock)
    _emit(podium, ("A", "x"), ("B", "x"), ("A", "x"), ("C", "other"))
    _drain(relay)
    assert calls == [["Ax", "Bx", "Ax"]]  # the whole pass, in order; "other" is not its type
    clock.advance(2)
    _drain(relay)
    assert calls == [["Ax", "Bx", "Ax"], ["Ax", "Bx", "Ax"]]


def test_a_busy_aggregates_backlog_goes_in_one_pass_in_order(podium: Podium) -> None:
    calls: list[list[str]] = []
    registry = Registry()
    registry.subscribe_batch("latest", lambda es: calls.append([e.type for e in es]), [_X])
    _emit(podium, *[("HOT", "x") for _ in range(30)], ("COLD", "x"))
    relay = _relay(podium, registry, Clock())

    assert relay.run_once() == 31  # not one event of HOT per pass
    assert relay.run_once() == 0
    assert calls == [["x"] * 31]
    with podium.db.read() as conn:
        assert store.status_counts(conn) == {"delivered": 31}


def test_events_waiting_behind_a_failure_are_not_counted_as_attempts(podium: Podium) -> None:
    clock = Clock()
    seen: list[str] = []
    failing = {"on": True}

    def handler(e: Envelope) -> None:
        if e.payload["n"] == "1" and failing["on"]:
            raise RuntimeError("not yet")
        seen.append(e.payload["n"])

    registry = Registry()
    registry.subscribe("ordered", handler)
    other: list[str] = []
    registry.subscribe("other", lambda e: other.append(e.payload["n"]))
    relay = _relay(podium, registry, clock)
    _emit(podium, ("A", "1"), ("A", "2"), ("A", "3"))

    assert relay.run_once() == 3
    assert seen == [] and other == ["1", "2", "3"]  # only the failing subscriber waits
    with podium.db.read() as conn:
        rows = store.list_events(conn, status="pending", position=None, limit=10).items
    assert {r["event_type"]: r["attempts"] for r in rows} == {"1": 1, "2": 0, "3": 0}
    assert all(r["locked_until"] is None for r in rows)
    failing["on"] = False
    clock.advance(1.1)
    _drain(relay)
    assert seen == ["1", "2", "3"]
    assert other == ["1", "2", "3"]  # not again


def test_a_downstream_away_is_retried_past_the_attempt_limit_and_never_dead_lettered(
    podium: Podium,
) -> None:
    clock = Clock()
    away = {"on": True}
    got: list[str] = []

    def publish(events: list[Envelope]) -> None:
        if away["on"]:
            raise Unavailable("broker away")
        got.extend(e.type for e in events)

    registry = Registry()
    registry.subscribe_batch("bus", publish)
    registry.subscribe("fragile", lambda e: None)  # delivered at once: not tried again
    relay = _relay(podium, registry, clock, relay_max_attempts=3)
    _emit(podium, ("A", "1"), ("A", "2"))
    for _ in range(6):
        relay.run_once()
        clock.advance(60)  # the backoff is capped at a minute while the downstream is away
    with podium.db.read() as conn:
        rows = [store.event(conn, i) for i in (1, 2)]
    assert [(r["status"], r["attempts"]) for r in rows if r] == [("pending", 6), ("pending", 6)]
    away["on"] = False
    relay.run_once()
    assert got == ["1", "2"]


def test_a_dead_workers_claims_come_back_after_one_short_lease(podium: Podium) -> None:
    clock = Clock()
    got: list[str] = []
    registry = Registry()
    registry.subscribe("count", lambda e: got.append(e.type))
    _emit(podium, ("A", "1"), ("A", "2"), ("B", "1"))
    with podium.db.write() as conn:  # a worker claims, then is killed before it delivers
        claimed = store.claim(
            conn, now=clock(), lease_until=clock() + timedelta(seconds=5), limit=500
        )
    assert len(claimed) == 3
    survivor = _relay(podium, registry, clock, relay_lease_seconds=5.0)

    clock.advance(4.9)
    assert survivor.run_once() == 0  # still the dead worker's, for all anyone knows
    clock.advance(0.2)
    assert survivor.run_once() == 3
    assert got == ["1", "2", "1"]


def test_a_live_worker_keeps_its_claim_while_a_subscriber_is_slow(podium: Podium) -> None:
    """Leases are short, so a long delivery lives on the heartbeat: no other worker may take
    the events meanwhile."""
    deliveries: Counter[int] = Counter()
    started = threading.Event()

    def slow(e: Envelope) -> None:
        deliveries[e.id] += 1
        started.set()
        threading.Event().wait(1.5)  # a platform taking its time, three leases long

    registry = Registry()
    registry.subscribe("slow", slow)
    _emit(podium, ("A", "1"))
    first = _relay(podium, registry, relay_lease_seconds=0.4)
    second = _relay(podium, registry, relay_lease_seconds=0.4)
    worker = threading.Thread(target=first.run_once)
    worker.start()
    try:
        assert started.wait(10)
        taken = 0
        while worker.is_alive():
            taken += second.run_once()
            threading.Event().wait(0.05)
    finally:
        worker.join(10)
        first.leases.stop()
        second.leases.stop()
    assert taken == 0
    assert list(deliveries.values()) == [1]
    with podium.db.read() as conn:
        assert store.status_counts(conn) == {"delivered": 1}
