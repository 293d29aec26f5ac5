"""Metrics, request ids, access lines and readiness over the API (issue 19)."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from channel_support import add_shopify_channel, drain
from fakes.channels.shopify import FakeShopify
from podium import logs
from podium.api.app import create_app
from podium.bootstrap import Podium, bootstrap
from podium.config import Settings
from podium.db.migrate import downgrade, upgrade
from podium.events import Envelope, Registry, Relay
from podium.orders.events import OrderCreated
from support import Api, order_body, seed_store


def _value(text: str, name: str, **labels: str) -> float:
    """The value of one sample of the exposition text (0 when absent)."""
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        sample, _, value = line.rpartition(" ")
        metric, _, rest = sample.partition("{")
        if metric != name:
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', rest))
        if all(found.get(k) == v for k, v in labels.items()):
            return float(value)
    return 0.0


def _scrape(api: Api) -> str:
    response = api.client.get("/metrics", headers=api.headers("readonly"))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return str(response.text)


def test_metrics_count_orders_refusals_requests_and_holds_after_placing(api: Api) -> None:
    seed_store(api, {("TEE", "EAST"): 3})
    before = _scrape(api)
    placed = _value(before, "podium_orders_placed_total", channel="web")
    refused = _value(before, "podium_reservations_refused_total", channel="web")
    route = "/api/v1/orders/{order_id}"
    reads = _value(before, "podium_http_requests_total", route=route, status="200")

    api.ok("post", "/orders", order_body([("TEE", 2)]))
    order = api.ok("post", "/orders", order_body([("TEE", 1)], external_id="B"))
    short = api.post("/orders", order_body([("TEE", 5)], external_id="C", on_shortage="reject"))
    assert short.status_code == 409
    api.ok("post", f"/orders/{order['id']}/hold", {"note": "check the address"})
    assert api.get(f"/orders/{order['id']}").status_code == 200

    after = _scrape(api)
    assert _value(after, "podium_orders_placed_total", channel="web") == placed + 2
    assert _value(after, "podium_reservations_refused_total", channel="web") == refused + 1
    # By route template, not by raw path: one series for every order read.
    assert _value(after, "podium_http_requests_total", route=route, status="200") == reads + 1
    assert f"/api/v1/orders/{order['id']}" not in after
    assert _value(after, "podium_http_request_duration_seconds_count", route=route) >= 1
    assert _value(after, "podium_orders_on_hold", reason="manual") == 1
    # Nothing relayed (run_relay=False): the events wait, and the subscribers see them.
    assert _value(after, "podium_outbox_pending_events", subscriber="webhooks") > 0
    assert _value(after, "podium_outbox_oldest_pending_seconds", subscriber="webhooks") >= 0
    assert _value(after, "podium_outbox_dead_letters") == 0
    assert _value(after, "podium_database_up") == 1
    assert "podium_db_pool_connections_in_use" in after


def test_metrics_need_an_api_key(api: Api) -> None:
    response = api.client.get("/metrics")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"


def test_the_relay_records_its_lag_when_it_delivers(podium: Podium, api: Api) -> None:
    seed_store(api, {("TEE", "EAST"): 3})
    before = _value(_scrape(api), "podium_relay_lag_seconds_count")
    api.ok("post", "/orders", order_body([("TEE", 1)]))
    while podium.relay.run_once():
        pass
    after = _scrape(api)
    assert _value(after, "podium_relay_lag_seconds_count") > before
    assert _value(after, "podium_outbox_pending_events", subscriber="webhooks") == 0


def test_stock_pushes_are_timed_and_failures_counted_per_channel(api: Api, podium: Podium) -> None:
    seed_store(api, {("TEE", "EAST"): 10})
    with FakeShopify(token="tok-a") as shop:
        add_shopify_channel(api, "shop", shop)
        before = _scrape(api)
        pushes = _value(before, "podium_channel_push_duration_seconds_count", channel="shop")
        failures = _value(before, "podium_channel_push_failures_total", channel="shop")
        listed = api.client.put(
            "/api/v1/channels/shop/listings/TEE",
            json={"remote_id": "501", "remote_location_id": "1001"},
            headers=api.headers("operator"),
        )
        assert listed.status_code == 200, listed.text
        drain(podium)
        assert shop.level("501", "1001") == 10
        shop.token = "revoked"  # the next push gets a 401
        adjustment = {"sku": "TEE", "warehouse": "EAST", "quantity": -1, "reason": "damaged"}
        api.ok("post", "/inventory/adjustments", adjustment)
        drain(podium)
    after = _scrape(api)
    assert _value(after, "podium_channel_push_duration_seconds_count", channel="shop") >= (
        pushes + 2
    )
    assert _value(after, "podium_channel_push_failures_total", channel="shop") >= failures + 1


def test_dead_letters_are_counted_when_made_and_shown_while_they_wait(
    api: Api, podium: Podium
) -> None:
    seed_store(api, {("TEE", "EAST"): 3})
    api.ok("post", "/orders", order_body([("TEE", 1)]))

    def refuse(_: Envelope) -> None:
        raise RuntimeError("the receiving system is down")

    registry = Registry()
    registry.subscribe("always-fails", refuse, [OrderCreated])
    relay = Relay(podium.db, registry, replace(podium.settings, relay_max_attempts=1))
    before = _value(_scrape(api), "podium_events_dead_lettered_total")
    assert relay.run_once() > 0
    after = _scrape(api)
    assert _value(after, "podium_events_dead_lettered_total") == before + 1
    assert _value(after, "podium_outbox_dead_letters") == 1


def test_a_request_id_is_returned_taken_from_the_caller_when_sane(api: Api) -> None:
    given = api.client.get("/api/v1/health", headers={"X-Request-ID": "lb-1234"})
    assert given.headers["x-request-id"] == "lb-1234"
    made = api.client.get("/api/v1/health", headers={"X-Request-ID": "bad id\twith tab"})
    assert re.fullmatch(r"[0-9a-f]{32}", made.headers["x-request-id"])
    # Errors carry one too, so a 4xx a customer reports can be found in the logs.
    assert api.client.get("/api/v1/orders").headers["x-request-id"]


@pytest.fixture
def json_log() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    root = logging.getLogger()
    level = root.level
    logs.configure("json", "INFO", stream)
    try:
        yield stream
    finally:
        for h in [h for h in root.handlers if getattr(h, "_podium_handler", False)]:
            root.removeHandler(h)
        root.setLevel(level)


def test_placing_an_order_writes_json_lines_with_request_order_and_channel(
    api: Api, json_log: io.StringIO
) -> None:
    seed_store(api, {("TEE", "EAST"): 3})
    json_log.truncate(0)
    json_log.seek(0)
    response = api.post("/orders", order_body([("TEE", 1)]), headers={"X-Request-ID": "req-77"})
    assert response.status_code == 201
    lines = [json.loads(ln) for ln in json_log.getvalue().splitlines()]
    mine = [ln for ln in lines if ln.get("request_id") == "req-77"]
    placed = next(ln for ln in mine if ln["logger"] == "podium.orders")
    assert placed["order_id"] == response.json()["id"] and placed["channel"] == "web"
    line = next(ln for ln in mine if ln["logger"] == "podium.access")
    assert line["route"] == "/api/v1/orders" and line["status"] == 201
    assert line["method"] == "POST" and line["duration_ms"] > 0
    assert line["order_id"] == response.json()["id"]  # bound by the handler, seen after it
    # Probes and scrapes, every few seconds, write their access lines at debug level only.
    api.client.get("/api/v1/health", headers={"X-Request-ID": "probe-1"})
    assert "probe-1" not in json_log.getvalue()
    # The customer's address and the API key never reach the log.
    assert "ann@example.com" not in json_log.getvalue()
    assert api.keys["admin"] not in json_log.getvalue()


def test_ready_when_the_database_is_at_this_versions_head(api: Api) -> None:
    response = api.client.get("/api/v1/ready")
    assert response.status_code == 200
    assert response.json()["status"] == "ready" and response.json()["revision"]
    assert api.client.get("/api/v1/health").json() == {"status": "ok"}


def test_not_ready_while_a_migration_is_pending(podium: Podium, api: Api) -> None:
    downgrade(podium.db.engine, "-1")
    try:
        response = api.client.get("/api/v1/ready")
        assert response.status_code == 503
        error = response.json()["error"]
        assert error["code"] == "migrations_pending"
        assert error["details"]["head"] != error["details"]["revision"]
        assert api.client.get("/api/v1/health").status_code == 200  # alive, just not ready
    finally:
        # The PostgreSQL database is shared by the run: a head migration that adds tables
        # must be back before the next test empties them all.
        upgrade(podium.db.engine)


def test_not_ready_when_the_database_is_unreachable(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/missing/dir/podium.db"
    podium = bootstrap(Settings(database_url=url), migrate=False)
    try:
        with TestClient(create_app(podium, run_relay=False)) as client:
            response = client.get("/api/v1/ready")
            assert response.status_code == 503
            assert response.json()["error"]["code"] == "database_unreachable"
            scraped = client.get("/metrics")
            assert scraped.status_code in (401, 500)  # no key can be checked without a database
    finally:
        podium.close()


DASHBOARD = Path(__file__).resolve().parents[2] / "deploy" / "grafana" / "podium.json"


def test_the_grafana_dashboard_queries_only_metrics_podium_exports(api: Api) -> None:
    seed_store(api, {("TEE", "EAST"): 3})
    api.ok("post", "/orders", order_body([("TEE", 1)]))
    scraped = _scrape(api)
    exported = {ln.split("{")[0].split(" ")[0] for ln in scraped.splitlines() if ln[:1] != "#"}
    # Families with labels appear once something was counted; their HELP lines always do.
    exported |= set(re.findall(r"^# TYPE (\S+)", scraped, re.MULTILINE))
    dashboard = json.loads(DASHBOARD.read_text())
    exprs = [t["expr"] for p in dashboard["panels"] for t in p.get("targets", [])]
    assert len(exprs) >= 15
    used = {name for e in exprs for name in re.findall(r"\bpodium_\w+", e)}
    families = {re.sub(r"_(bucket|total|count|sum)$", "", n) for n in exported}
    missing = {
        n for n in used if n not in exported and re.sub(r"_(bucket|total)$", "", n) not in families
    }
    assert not missing, missing


def test_the_bus_shows_as_off_without_a_url(api: Api) -> None:
    assert api.ok("get", "/bus") == {
        "enabled": False,
        "status": None,
        "kind": None,
        "url": None,
        "target": None,
        "connected": False,
        "published": 0,
        "last_published_at": None,
        "last_error": None,
        "last_error_at": None,
    }
    assert api.get("/bus", role="readonly").status_code == 200
    assert api.client.get("/api/v1/bus").status_code == 401
