"""Events to the company's bus, against the real local NATS JetStream and RabbitMQ: each
webhook event published with its webhook body and its id as the dedupe id, in order per
aggregate; a broker that is away loses nothing and gets everything once it is back."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from bus_support import BROKERS, URLS, Received, Sink, bus_podium, target, via
from outage_support import TcpProxy
from podium.access.service import create_key
from podium.api.app import create_app
from podium.bootstrap import Podium
from podium.cli.app import app as cli
from podium.events import EventView, list_events, webhook_types
from support import Api, order_body, seed_store

pytestmark = pytest.mark.parametrize("broker", BROKERS)


@pytest.fixture
def sink(broker: str) -> Iterator[Sink]:
    s = Sink(broker, URLS[broker])
    try:
        yield s
    finally:
        s.close()


@contextmanager
def running(database_url: str, sink: Sink, url: str | None = None) -> Iterator[tuple[Podium, Api]]:
    podium = bus_podium(database_url, sink, url)
    key = create_key(podium.db, "test admin", "admin")[1]
    try:
        with TestClient(create_app(podium, run_relay=False)) as client:
            yield podium, Api(client, {"admin": key})
    finally:
        podium.close()


def _drain(podium: Podium) -> None:
    while podium.relay.run_once():
        pass


def _published(podium: Podium) -> list[EventView]:
    """The outbox's events the bus is for (webhook-visible), oldest first."""
    visible = webhook_types() - {"webhook.ping"}
    events = list_events(podium.db, limit=500).items
    return sorted((e for e in events if e.type in visible), key=lambda e: int(e.id))


def _assert_in_order_per_aggregate(received: list[Received]) -> None:
    seen: dict[tuple[str, str], int] = {}
    for r in received:
        aggregate = (r.body["aggregate"]["type"], r.body["aggregate"]["id"])
        event_id = int(r.body["id"])
        if event_id in {int(x.body["id"]) for x in received[: received.index(r)]}:
            continue  # a re-delivery (at least once): its first delivery was in order
        assert event_id > seen.get(aggregate, 0), f"{event_id} after {seen[aggregate]}"
        seen[aggregate] = event_id


def test_each_event_reaches_the_bus_once_with_its_webhook_body_and_id_in_order(
    database_url: str, sink: Sink, broker: str
) -> None:
    with running(database_url, sink) as (podium, api):
        assert api.client.get("/api/v1/health").json() == {"status": "ok", "bus": "idle"}
        seed_store(api, {("TEE", "EAST"): 5, ("CAP", "WEST"): 5})
        for n in range(3):
            api.ok("post", "/orders", order_body([("TEE", 1), ("CAP", 1)], external_id=f"o{n}"))
        _drain(podium)
        expected = _published(podium)
        assert {e.status for e in expected} == {"delivered"}
        assert all("bus" in e.delivered_to for e in expected)
        assert api.client.get("/api/v1/health").json() == {"status": "ok", "bus": "up"}
        state = api.ok("get", "/bus")
        assert (state["kind"], state["status"], state["published"]) == (
            broker,
            "up",
            len(expected),
        )
    received = sink.read()
    _assert_in_order_per_aggregate(received)  # aggregates go side by side: no global order
    received.sort(key=lambda r: int(r.body["id"]))
    assert [r.body["id"] for r in received] == [e.id for e in expected]  # each once
    assert {"order.created", "inventory.changed"} <= {r.body["type"] for r in received}
    for r, e in zip(received, expected, strict=True):
        assert r.body == {
            "id": e.id,
            "type": e.type,
            "created_at": e.created_at.isoformat(),
            "aggregate": {"type": e.aggregate_type, "id": e.aggregate_id},
            "data": e.payload,
        }
        assert r.dedupe_id == e.id and r.persistent
        assert r.headers["Podium-Event-Type"] == e.type


@pytest.mark.sqlite_only  # the broker is what goes away here, not the database
def test_a_broker_away_loses_nothing_and_gets_everything_in_order_once_back(
    database_url: str, sink: Sink, broker: str
) -> None:
    proxy = TcpProxy(*target(sink.url))  # not listening yet: the broker is away
    with running(database_url, sink, via(sink.url, proxy.port)) as (podium, api):
        assert podium.bus is not None
        podium.bus.fail_fast_seconds = 0.05  # retry the broker almost at once (1 s normally)
        seed_store(api, {("TEE", "EAST"): 5})
        api.ok("post", "/orders", order_body([("TEE", 1)], external_id="a"))
        podium.relay.run_once()
        pending = _published(podium)
        assert pending and {e.status for e in pending} == {"pending"}
        # Those the pass tried failed for the bus (others were emitted during the pass).
        assert any("bus: Unavailable:" in (e.last_error or "") for e in pending)
        assert api.client.get("/api/v1/health").json() == {"status": "ok", "bus": "down"}
        assert api.ok("get", "/bus")["last_error"]

        proxy.up()
        _settle(podium)
        with proxy.cut():  # away again, this time under an open connection
            api.ok("post", "/orders", order_body([("TEE", 2)], external_id="b"))
            podium.relay.run_once()
            assert {e.status for e in _published(podium)} == {"delivered", "pending"}
        _settle(podium)
        expected = _published(podium)
        assert {e.status for e in expected} == {"delivered"}
    proxy.down()
    received = sink.read()
    ids = [r.body["id"] for r in received]
    assert set(ids) == {e.id for e in expected}  # nothing lost
    assert all(r.dedupe_id == r.body["id"] for r in received)
    if broker == "nats":  # JetStream dropped any re-publish by its Nats-Msg-Id
        assert len(ids) == len(set(ids))
    _assert_in_order_per_aggregate(received)


def _settle(podium: Podium, seconds: float = 10.0) -> None:
    """Run the relay until every bus event is delivered (failed ones are due again soon)."""
    deadline = time.monotonic() + seconds
    while any(e.status != "delivered" for e in _published(podium)):
        assert time.monotonic() < deadline, [e.last_error for e in _published(podium)][-1:]
        if not podium.relay.run_once():
            time.sleep(0.05)


def test_bus_check_publishes_a_test_message_and_says_so(
    sink: Sink, broker: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PODIUM_BUS_URL", sink.url)
    monkeypatch.setenv("PODIUM_BUS_PREFIX", sink.prefix)
    monkeypatch.setenv("PODIUM_BUS_STREAM", sink.stream)
    result = CliRunner().invoke(cli, ["bus", "check"])
    assert result.exit_code == 0, result.output
    assert f"{broker} bus at" in result.output and "confirmed in" in result.output
    (received,) = sink.read()
    assert received.body["type"] == "bus.check" and received.dedupe_id == received.body["id"]

    monkeypatch.setenv("PODIUM_BUS_URL", via(sink.url, _closed_port()))
    monkeypatch.setenv("PODIUM_BUS_TIMEOUT_SECONDS", "0.5")
    result = CliRunner().invoke(cli, ["bus", "check"])
    assert result.exit_code == 1
    assert "error:" in result.output


def _closed_port() -> int:
    return TcpProxy("127.0.0.1", 1).port  # a free port nothing listens on
