"""Outgoing webhooks against a real local HTTP receiver: signed, retried with backoff, logged,
paused when failing, resumed, replayed; and the API's refusals."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from typer.testing import CliRunner

from notify_fakes import Clock, Receiver, webhook_receiver
from podium.bootstrap import Podium, bootstrap
from podium.cli import app as cli
from podium.config import Settings
from podium.geo.geocoder import default_geocoder
from podium.notify import _webhook_store as store
from podium.notify.delivery import Deliverer, destination
from podium.notify.model import verify
from support import Api, order_body, seed_store


@pytest.fixture
def podium(database_url: str) -> Iterator[Podium]:
    settings = Settings(
        database_url=database_url,
        relay_poll_seconds=0.05,
        webhooks_allow_private=True,
        webhook_backoff_seconds=5.0,
        webhook_max_attempts=5,
        webhook_pause_after_failures=3,
        webhook_pause_after_seconds=60.0,
    )
    p = bootstrap(settings, geocoder=default_geocoder())
    try:
        yield p
    finally:
        p.close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with webhook_receiver() as r:
        yield r


def _drain(podium: Podium) -> None:
    while podium.relay.run_once():
        pass


def _deliverer(podium: Podium, clock: Clock, **settings: Any) -> Deliverer:
    # rng 1.0: the back-off's jitter at its ceiling (5 s, 10 s, 20 s…), so the test can step it.
    return Deliverer(podium.db, replace(podium.settings, **settings), clock=clock, rng=lambda: 1.0)


def _subscribe(api: Api, url: str, *types: str) -> Any:
    return api.ok("post", "/webhooks", {"url": url, "event_types": list(types)})


def _place(api: Api, external_id: str = "1001") -> Any:
    return api.ok("post", "/orders", order_body([("TEE", 1)], external_id=external_id))


def test_a_receiver_that_fails_twice_then_succeeds_gets_one_delivery_with_three_attempts(
    api: Api, podium: Podium, receiver: Receiver
) -> None:
    seed_store(api, {("TEE", "EAST"): 5})
    hook = _subscribe(api, receiver.url, "order.created")
    receiver.statuses[:] = [500, 503]
    order = _place(api)
    _drain(podium)
    clock = Clock()
    deliverer = _deliverer(podium, clock)

    assert deliverer.run_once() == 1
    assert deliverer.run_once() == 0  # backing off: not due yet
    clock.advance(5)
    assert deliverer.run_once() == 1
    clock.advance(5)
    assert deliverer.run_once() == 0  # the second retry waits twice as long
    clock.advance(5)
    assert deliverer.run_once() == 1
    clock.advance(3600)
    assert deliverer.run_once() == 0

    assert len(receiver.requests) == 3
    deliveries = api.ok("get", f"/webhooks/{hook['id']}/deliveries")
    assert deliveries["next_cursor"] is None
    [delivery] = deliveries["items"]
    assert delivery["status"] == "succeeded"
    assert delivery["attempts"] == 3
    assert [a["status_code"] for a in delivery["log"]] == [500, 503, 200]
    assert [a["succeeded"] for a in delivery["log"]] == [False, False, True]
    assert delivery["log"][0]["error"].startswith("HTTP 500")
    assert all(a["duration_ms"] >= 0 for a in delivery["log"])
    body = json.loads(receiver.requests[-1].body)
    assert body["type"] == "order.created"
    assert body["data"]["id"] == order["id"]
    assert body["data"]["number"] == order["number"]
    assert {r.headers["Podium-Event-Id"] for r in receiver.requests} == {body["id"]}
    assert api.ok("get", f"/webhooks/{hook['id']}")["consecutive_failures"] == 0


def test_every_delivery_is_signed_with_the_secret_shown_only_at_creation(
    api: Api, podium: Podium, receiver: Receiver
) -> None:
    seed_store(api, {("TEE", "EAST"): 5})
    hook = _subscribe(api, receiver.url, "*")
    assert hook["secret"].startswith("whsec_")
    assert api.ok("get", f"/webhooks/{hook['id']}")["secret"] is None
    assert all(h["secret"] is None for h in api.ok("get", "/webhooks")["items"])
    _place(api)
    _drain(podium)
    clock = Clock()
    _deliverer(podium, clock).run_once()

    types = {json.loads(r.body)["type"] for r in receiver.requests}
    # `*` means every event: the order's own, and what other capabilities raise after it
    # (the warehouse release, the payment capture).
    assert {"inventory.changed", "order.created"} <= types
    for request in receiver.requests:
        header = request.headers["Podium-Signature"]
        assert header.startswith("t=") and ",v1=" in header
        timestamp = int(header.split(",")[0][2:])
        assert timestamp == int(clock().timestamp())
        assert verify(hook["secret"], header, request.body, now=timestamp)
        assert not verify("whsec_wrong", header, request.body, now=timestamp)
        assert request.headers["Content-Type"] == "application/json"
        assert request.headers["Podium-Event-Type"] == json.loads(request.body)["type"]


def test_a_relay_redelivery_queues_nothing_twice(
    api: Api, podium: Podium, receiver: Receiver
) -> None:
    seed_store(api, {("TEE", "EAST"): 5})
    hook = _subscribe(api, receiver.url, "order.*")
    _place(api)
    _drain(podium)
    with podium.db.write() as conn:
        conn.exec_driver_sql("UPDATE outbox SET status = 'pending', delivered_to = '[]'")
    _drain(podium)
    items = api.ok("get", f"/webhooks/{hook['id']}/deliveries")["items"]
    assert [d["event_type"] for d in items] == ["order.created"]


def test_a_subscriber_that_keeps_failing_is_paused_and_resume_sends_what_is_pending(
    api: Api, podium: Podium, receiver: Receiver
) -> None:
    seed_store(api, {("TEE", "EAST"): 10})
    hook = _subscribe(api, receiver.url, "order.created")
    receiver.statuses[:] = [500] * 6
    for n in range(3):
        _place(api, f"o{n}")
    _drain(podium)
    clock = Clock()
    deliverer = _deliverer(podium, clock)

    deliverer.run_once()  # three failures, but all within a second: not paused yet
    assert api.ok("get", f"/webhooks/{hook['id']}")["status"] == "active"
    clock.advance(61)
    deliverer.run_once()  # the first of these crosses 3 failures over 60 s: paused
    paused = api.ok("get", f"/webhooks/{hook['id']}")
    assert paused["status"] == "paused"
    assert paused["consecutive_failures"] == 4
    assert "HTTP 500" in paused["pause_reason"]
    assert len(receiver.requests) == 4  # the rest of the batch was not attempted
    clock.advance(3600)
    assert deliverer.run_once() == 0  # paused: not hammered
    assert len(receiver.requests) == 4

    replayed = api.post(f"/webhooks/{hook['id']}/deliveries/x/replay")
    assert replayed.status_code == 404
    receiver.statuses[:] = []
    resumed = api.ok("post", f"/webhooks/{hook['id']}/resume")
    assert resumed["status"] == "active" and resumed["consecutive_failures"] == 0
    assert deliverer.run_once() == 3
    items = api.ok("get", f"/webhooks/{hook['id']}/deliveries")["items"]
    assert {d["status"] for d in items} == {"succeeded"}
    assert len(receiver.requests) == 7
    first = api.ok("get", f"/webhooks/{hook['id']}/deliveries?limit=2")
    assert [d["id"] for d in first["items"]] == [d["id"] for d in items[:2]]
    rest = api.ok("get", f"/webhooks/{hook['id']}/deliveries?cursor={first['next_cursor']}")
    assert [d["id"] for d in rest["items"]] == [items[2]["id"]]
    assert rest["next_cursor"] is None


def test_a_delivery_is_given_up_after_the_last_attempt(
    api: Api, podium: Podium, receiver: Receiver
) -> None:
    seed_store(api, {("TEE", "EAST"): 5})
    hook = _subscribe(api, receiver.url, "order.created")
    receiver.statuses[:] = [410] * 10
    _place(api)
    _drain(podium)
    clock = Clock()
    deliverer = _deliverer(podium, clock, webhook_max_attempts=2, webhook_pause_after_failures=9)
    deliverer.run_once()
    clock.advance(3600)
    deliverer.run_once()
    clock.advance(3600)
    assert deliverer.run_once() == 0
    [delivery] = api.ok("get", f"/webhooks/{hook['id']}/deliveries?status=failed")["items"]
    assert delivery["attempts"] == 2 and delivery["next_attempt_at"] is None
    assert delivery["last_status_code"] == 410


def test_replay_sends_a_past_delivery_again(api: Api, podium: Podium, receiver: Receiver) -> None:
    seed_store(api, {("TEE", "EAST"): 5})
    hook = _subscribe(api, receiver.url, "order.created")
    _place(api)
    _drain(podium)
    clock = Clock()
    deliverer = _deliverer(podium, clock)
    deliverer.run_once()
    [done] = api.ok("get", f"/webhooks/{hook['id']}/deliveries")["items"]
    assert done["status"] == "succeeded"

    again = api.ok("post", f"/webhooks/{hook['id']}/deliveries/{done['id']}/replay")
    assert again["status"] == "pending"
    assert deliverer.run_once() == 1
    [replayed] = api.ok("get", f"/webhooks/{hook['id']}/deliveries")["items"]
    assert replayed["status"] == "succeeded"
    assert len(replayed["log"]) == 2
    assert len(receiver.requests) == 2
    assert receiver.requests[0].body == receiver.requests[1].body
    assert (
        receiver.requests[0].headers["Podium-Event-Id"]
        == receiver.requests[1].headers["Podium-Event-Id"]
    )


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"url": "ftp://example.com/x", "event_types": ["*"]}, "invalid_url", "url"),
        ({"url": "not a url", "event_types": ["*"]}, "invalid_url", "url"),
        (
            {"url": "https://example.com/h", "event_types": ["order.eaten"]},
            "invalid_event_type",
            "event_types",
        ),
        ({"url": "https://example.com/h", "event_types": []}, "validation_error", "event_types"),
        ({"url": "https://example.com/h"}, "validation_error", "event_types"),
        ({"url": "https://example.com/h", "event_types": ["*"], "x": 1}, "validation_error", "x"),
    ],
)
def test_bad_webhooks_are_refused_and_nothing_stored(
    api: Api, body: dict[str, Any], code: str, field: str
) -> None:
    response = api.post("/webhooks", body)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == code
    assert response.json()["error"]["details"]["field"] == field
    assert api.ok("get", "/webhooks") == {"items": []}


def test_private_targets_are_refused_unless_allowed(
    api: Api, podium: Podium, receiver: Receiver
) -> None:
    allowed = _subscribe(api, receiver.url, "order.created")
    podium.settings = replace(podium.settings, webhooks_allow_private=False)
    for url in ("http://127.0.0.1:9/h", "http://localhost/h", "http://10.0.0.8/h"):
        response = api.post("/webhooks", {"url": url, "event_types": ["*"]})
        assert response.status_code == 422
        assert response.json()["error"]["code"] == "private_url"
    # A subscription made while allowed is refused at send time, and the refusal is logged.
    seed_store(api, {("TEE", "EAST"): 5})
    _place(api)
    _drain(podium)
    _deliverer(podium, Clock(), webhooks_allow_private=False).run_once()
    assert receiver.requests == []
    [delivery] = api.ok("get", f"/webhooks/{allowed['id']}/deliveries")["items"]
    assert delivery["status"] == "pending"
    assert "private address" in delivery["log"][0]["error"]


def test_only_admins_manage_webhooks_and_unknown_ids_are_404(api: Api) -> None:
    body = {"url": "https://example.com/h", "event_types": ["*"]}
    assert api.post("/webhooks", body, role="operator").status_code == 403
    assert api.get("/webhooks", role="readonly").status_code == 403
    for method, path in (
        ("get", "/webhooks/whk_nope"),
        ("get", "/webhooks/whk_nope/deliveries"),
        ("post", "/webhooks/whk_nope/resume"),
        ("post", "/webhooks/whk_nope/deliveries/dlv_nope/replay"),
    ):
        response = getattr(api, method)(path)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "webhook_not_found"
    response = api.client.delete("/api/v1/webhooks/whk_nope", headers=api.headers())
    assert response.status_code == 404
    hook = api.ok("post", "/webhooks", body)
    bad = api.get(f"/webhooks/{hook['id']}/deliveries?status=lost")
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_status"
    gone = api.client.delete(f"/api/v1/webhooks/{hook['id']}", headers=api.headers())
    assert gone.status_code == 200
    assert api.get(f"/webhooks/{hook['id']}").status_code == 404


def test_the_cli_adds_lists_shows_deliveries_replays_and_removes(
    api: Api,
    podium: Podium,
    receiver: Receiver,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PODIUM_DATABASE_URL", database_url)
    monkeypatch.setenv("PODIUM_WEBHOOKS_ALLOW_PRIVATE", "1")
    runner = CliRunner()
    added = runner.invoke(cli, ["webhooks", "add", receiver.url, "-e", "order.created"])
    assert added.exit_code == 0, added.output
    secret = added.stdout.strip().splitlines()[-1]
    assert secret.startswith("whsec_")
    [hook] = api.ok("get", "/webhooks")["items"]

    seed_store(api, {("TEE", "EAST"): 5})
    _place(api)
    _drain(podium)
    _deliverer(podium, Clock()).run_once()
    assert verify(
        secret,
        receiver.requests[0].headers["Podium-Signature"],
        receiver.requests[0].body,
        now=int(Clock()().timestamp()),
    )

    listed = runner.invoke(cli, ["webhooks", "list"])
    assert hook["id"] in listed.output and secret not in listed.output
    shown = runner.invoke(cli, ["webhooks", "deliveries", hook["id"]])
    assert shown.exit_code == 0 and "succeeded" in shown.output
    [delivery] = api.ok("get", f"/webhooks/{hook['id']}/deliveries")["items"]
    replayed = runner.invoke(cli, ["webhooks", "replay", hook["id"], delivery["id"]])
    assert replayed.exit_code == 0, replayed.output
    assert api.ok("get", f"/webhooks/{hook['id']}/deliveries")["items"][0]["status"] == "pending"

    rotated = runner.invoke(cli, ["webhooks", "rotate-secret", hook["id"]])
    assert rotated.exit_code == 0, rotated.output
    assert rotated.stdout.strip().splitlines()[-1].startswith("whsec_")
    assert rotated.stdout.strip().splitlines()[-1] != secret

    bad = runner.invoke(cli, ["webhooks", "add", "ftp://x", "-e", "*"])
    assert bad.exit_code == 2 and "invalid_url" in bad.output
    removed = runner.invoke(cli, ["webhooks", "remove", hook["id"]])
    assert removed.exit_code == 0
    assert api.ok("get", "/webhooks") == {"items": []}
    missing = runner.invoke(cli, ["webhooks", "remove", hook["id"]])
    assert missing.exit_code == 2


def test_a_subscription_can_be_changed_but_keeps_its_secret(
    api: Api, podium: Podium, receiver: Receiver
) -> None:
    hook = _subscribe(api, receiver.url, "order.created")
    changed = api.patch(
        f"/webhooks/{hook['id']}",
        {"event_types": ["shipment.*", "order.cancelled"], "description": "ERP"},
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["event_types"] == ["order.cancelled", "shipment.*"]
    assert changed.json()["description"] == "ERP" and changed.json()["url"] == receiver.url
    assert changed.json()["secret"] is None
    bad = api.patch(f"/webhooks/{hook['id']}", {"url": "gopher://x"})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_url"
    bad = api.patch(f"/webhooks/{hook['id']}", {"event_types": ["order.nope"]})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_event_type"
    assert api.ok("get", f"/webhooks/{hook['id']}")["event_types"] == [
        "order.cancelled",
        "shipment.*",
    ]
    assert api.patch("/webhooks/whk_nope", {"description": "x"}).status_code == 404


def test_a_rotated_secret_signs_alongside_the_old_one_until_that_expires(
    api: Api, podium: Podium, receiver: Receiver
) -> None:
    seed_store(api, {("TEE", "EAST"): 5})
    hook = _subscribe(api, receiver.url, "order.created")
    rotated = api.ok("post", f"/webhooks/{hook['id']}/rotate-secret", {})
    assert rotated["secret"].startswith("whsec_") and rotated["secret"] != hook["secret"]
    assert rotated["previous_secret_expires_at"] is not None
    assert api.ok("get", f"/webhooks/{hook['id']}")["secret"] is None
    _place(api, "r1")
    _drain(podium)
    clock = Clock()
    _deliverer(podium, clock).run_once()
    header = receiver.requests[0].headers["Podium-Signature"]
    assert header.count("v1=") == 2
    now = int(clock().timestamp())
    assert verify(rotated["secret"], header, receiver.requests[0].body, now=now)
    assert verify(hook["secret"], header, receiver.requests[0].body, now=now)

    _place(api, "r2")
    _drain(podium)
    clock.advance(24 * 3600 + 1)  # the old secret has expired
    _deliverer(podium, clock).run_once()
    header = receiver.requests[1].headers["Podium-Signature"]
    assert header.count("v1=") == 1
    now = int(clock().timestamp())
    assert verify(rotated["secret"], header, receiver.requests[1].body, now=now)
    assert not verify(hook["secret"], header, receiver.requests[1].body, now=now)

    at_once = api.ok(
        "post", f"/webhooks/{hook['id']}/rotate-secret", {"previous_valid_for_seconds": 0}
    )
    assert at_once["previous_secret_expires_at"] is None
    too_long = api.post(
        f"/webhooks/{hook['id']}/rotate-secret", {"previous_valid_for_seconds": 10**9}
    )
    assert too_long.status_code == 422
    assert too_long.json()["error"]["details"]["field"] == "previous_valid_for_seconds"
    assert api.post("/webhooks/whk_nope/rotate-secret", {}).status_code == 404


def test_a_ping_reaches_only_the_subscription_it_names(
    api: Api, podium: Podium, receiver: Receiver
) -> None:
    hook = _subscribe(api, receiver.url, "order.created")
    other = _subscribe(api, receiver.url, "*")
    queued = api.post(f"/webhooks/{hook['id']}/ping")
    assert queued.status_code == 202 and queued.json() == {"queued": "webhook.ping"}
    _drain(podium)
    _deliverer(podium, Clock()).run_once()

    [request] = receiver.requests
    body = json.loads(request.body)
    assert body["type"] == "webhook.ping" and body["data"] == {"subscription_id": hook["id"]}
    assert verify(
        hook["secret"],
        request.headers["Podium-Signature"],
        request.body,
        now=int(request.headers["Podium-Signature"][2:].split(",")[0]),
    )
    [delivery] = api.ok("get", f"/webhooks/{hook['id']}/deliveries")["items"]
    assert delivery["status"] == "succeeded"
    assert api.ok("get", f"/webhooks/{other['id']}/deliveries")["items"] == []
    assert api.post("/webhooks/whk_nope/ping").status_code == 404


def test_a_delivery_claimed_by_a_dead_worker_goes_out_after_one_short_lease(
    api: Api, podium: Podium, receiver: Receiver
) -> None:
    seed_store(api, {("TEE", "EAST"): 5})
    _subscribe(api, receiver.url, "order.created")
    _place(api)
    _drain(podium)
    clock = Clock()
    dead = _deliverer(podium, clock, webhook_lease_seconds=3.0)
    with podium.db.write() as conn:  # it claimed, then was killed before it sent anything
        assert len(store.claim(conn, now=clock(), lease_until=dead.leases.until(), limit=50)) == 1
    survivor = _deliverer(podium, clock, webhook_lease_seconds=3.0)

    clock.advance(2.9)
    assert survivor.run_once() == 0
    clock.advance(0.2)
    assert survivor.run_once() == 1
    assert len(receiver.requests) == 1


def test_a_slow_receiver_gets_several_deliveries_at_once_not_one_after_another(
    api: Api, podium: Podium, receiver: Receiver
) -> None:
    seed_store(api, {("TEE", "EAST"): 10})
    _subscribe(api, receiver.url, "order.created")
    for n in range(6):
        _place(api, external_id=f"slow-{n}")
    _drain(podium)
    receiver.pause_seconds = 0.3

    assert _deliverer(podium, Clock(), webhook_concurrency=4).run_once() == 6
    assert len(receiver.requests) == 6
    assert receiver.most_in_flight > 1
    ids = {r.headers["Podium-Event-Id"] for r in receiver.requests}
    assert len(ids) == 6  # each event once


def test_one_at_a_time_when_concurrency_is_one(
    api: Api, podium: Podium, receiver: Receiver
) -> None:
    seed_store(api, {("TEE", "EAST"): 10})
    _subscribe(api, receiver.url, "order.created")
    for n in range(3):
        _place(api, external_id=f"one-{n}")
    _drain(podium)
    receiver.pause_seconds = 0.1

    assert _deliverer(podium, Clock(), webhook_concurrency=1).run_once() == 3
    assert receiver.most_in_flight == 1


def test_a_hanging_receiver_opens_its_circuit_and_does_not_delay_the_healthy_one(
    api: Api, podium: Podium, receiver: Receiver
) -> None:
    seed_store(api, {("TEE", "EAST"): 10})
    with webhook_receiver() as hanging:
        hanging.pause_seconds = 2.0  # far longer than the timeout
        dead = _subscribe(api, hanging.url, "order.created")
        healthy = _subscribe(api, receiver.url, "order.created")
        for n in range(6):
            _place(api, external_id=f"hang-{n}")
        _drain(podium)
        clock = Clock()
        deliverer = _deliverer(
            podium, clock, webhook_timeout_seconds=0.3, webhook_concurrency=4, circuit_failures=2
        )

        started = time.monotonic()
        assert deliverer.run_once() == 8  # 6 healthy; 2 to the hanging one, then its circuit
        assert time.monotonic() - started < 1.5  # one timeout (0.3 s), not a hang
        assert len(receiver.requests) == 6
        assert len(hanging.requests) == 2
        assert deliverer.breakers.states()[destination(hanging.url)] == "open"
        assert deliverer.run_once() == 0  # the rest wait for the probe, nothing is lost
        items = api.ok("get", f"/webhooks/{dead['id']}/deliveries")["items"]
        assert [d["status"] for d in items] == ["pending"] * 6
        assert sorted(d["attempts"] for d in items) == [0, 0, 0, 0, 1, 1]
        healthy_items = api.ok("get", f"/webhooks/{healthy['id']}/deliveries")["items"]
        assert [d["status"] for d in healthy_items] == ["succeeded"] * 6

        hanging.pause_seconds = 0.0  # it is back
        clock.advance(podium.settings.circuit_cooldown_seconds + 20)
        assert deliverer.run_once() == 6  # the probe closes the circuit, the rest follow
        assert len(hanging.requests) == 8
        items = api.ok("get", f"/webhooks/{dead['id']}/deliveries")["items"]
        assert [d["status"] for d in items] == ["succeeded"] * 6


def test_given_up_deliveries_are_dead_letters_listed_and_retried_through_api_and_cli(
    api: Api,
    podium: Podium,
    receiver: Receiver,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seed_store(api, {("TEE", "EAST"): 5})
    hook = _subscribe(api, receiver.url, "order.created")
    receiver.statuses[:] = [500, 500]
    _place(api, external_id="dl-1")
    _place(api, external_id="dl-2")
    _drain(podium)
    clock = Clock()
    assert _deliverer(podium, clock, webhook_max_attempts=1).run_once() == 2

    found = api.ok("get", "/dead-letters")
    assert (found["events"], found["webhook_deliveries"]) == (0, 2)
    assert {d["kind"] for d in found["items"]} == {"webhook_delivery"}
    assert all(d["destination"] == hook["id"] for d in found["items"])
    assert all(d["last_error"].startswith("HTTP 500") for d in found["items"])
    first, _second = (d["id"] for d in found["items"])
    assert api.post(f"/dead-letters/{first}/retry", role="readonly").status_code == 403
    assert api.post("/dead-letters/dlv_unknown/retry").status_code == 404
    assert api.post("/dead-letters/12345678/retry").status_code == 404
    assert api.ok("post", f"/dead-letters/{first}/retry")["kind"] == "webhook_delivery"
    assert api.ok("get", "/dead-letters")["webhook_deliveries"] == 1

    monkeypatch.setenv("PODIUM_DATABASE_URL", database_url)
    listed = CliRunner().invoke(cli, ["events", "dead-letters"], env={"COLUMNS": "250"})
    assert listed.exit_code == 0, listed.output
    assert "given-up webhook deliveries: 1" in listed.output  # ids may wrap in a narrow table
    retried = CliRunner().invoke(cli, ["events", "dead-letters", "--retry-all"])
    assert retried.exit_code == 0, retried.output
    assert "1 webhook delivery" in retried.output
    assert api.ok("get", "/dead-letters")["items"] == []
    assert _deliverer(podium, clock).run_once() == 2  # the receiver is back: both go out
    statuses = [d["status"] for d in api.ok("get", f"/webhooks/{hook['id']}/deliveries")["items"]]
    assert statuses == ["succeeded", "succeeded"]
