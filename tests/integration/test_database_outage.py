"""The database goes away (PostgreSQL unreachable, SQLite locked past the busy timeout):
the API answers 503 with Retry-After and the error shape, never 500; webhooks get a 5xx so the
platform retries; the dashboard shows a page saying so; nothing is half-written; the pool and
the relay recover by themselves when the database returns (both engines)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass

import pytest
from dashboard_support import PASSWORD, add_user, csrf_of
from fastapi.testclient import TestClient

from channel_support import SECRET, post_webhook, shopify_order
from outage_support import TcpProxy, postgres_target, proxied_url, sqlite_locked
from podium.access.service import create_key
from podium.api.app import create_app
from podium.bootstrap import Podium, bootstrap
from podium.config import Settings
from podium.events import outbox_lag
from podium.geo.geocoder import default_geocoder
from support import Api, order_body, seed_store


@dataclass
class Outage:
    podium: Podium
    api: Api
    engine: str
    outage: Callable[[], AbstractContextManager[None]]


@pytest.fixture
def setup(database_url: str) -> Iterator[Outage]:
    proxy: TcpProxy | None = None
    url = database_url
    if database_url.startswith("sqlite"):
        engine = "sqlite"

        def outage() -> AbstractContextManager[None]:
            return sqlite_locked(database_url)
    else:
        engine = "postgres"
        proxy = TcpProxy(*postgres_target(database_url))
        proxy.up()
        url = proxied_url(database_url, proxy)
        outage = proxy.cut
    podium = bootstrap(
        Settings(database_url=url, relay_poll_seconds=0.05, db_busy_timeout_seconds=0.5),
        geocoder=default_geocoder(),
    )
    keys = {"admin": create_key(podium.db, "test admin", "admin")[1]}
    try:
        with TestClient(
            create_app(podium, run_relay=False), raise_server_exceptions=False
        ) as client:
            yield Outage(podium, Api(client, keys), engine, outage)
    finally:
        podium.relay.stop()
        podium.close()
        if proxy is not None:
            proxy.down()


def _assert_unavailable(response: object) -> None:
    r = response
    assert r.status_code == 503, r.text  # type: ignore[attr-defined]
    assert r.headers["Retry-After"] == "5"  # type: ignore[attr-defined]
    error = r.json()["error"]  # type: ignore[attr-defined]
    assert error["code"] == "database_unavailable"
    assert "nothing was written" in error["message"]


def _order_count(api: Api) -> int:
    return len(api.ok("get", "/orders?limit=100")["items"])


def test_writes_get_503_with_retry_after_while_the_database_is_away_then_succeed(
    setup: Outage,
) -> None:
    api = setup.api
    seed_store(api, {("TEE", "EAST"): 5})
    assert api.post("/orders", order_body([("TEE", 1)], external_id="before")).status_code == 201
    with setup.outage():
        _assert_unavailable(api.post("/orders", order_body([("TEE", 1)], external_id="during")))
        _assert_unavailable(api.post("/orders", order_body([("TEE", 1)], external_id="during")))
        if setup.engine == "postgres":  # SQLite readers are not blocked by a writer (WAL)
            _assert_unavailable(api.get("/orders"))
    # Back without a restart: the retried request lands once, nothing was half-written.
    assert _order_count(api) == 1
    assert api.ok("get", "/inventory/TEE")["reserved"] == 1
    retried = api.post("/orders", order_body([("TEE", 1)], external_id="during"))
    assert retried.status_code == 201, retried.text
    assert _order_count(api) == 2
    assert api.ok("get", "/inventory/TEE")["reserved"] == 2


def test_a_webhook_arriving_during_the_outage_gets_a_5xx_so_the_platform_retries(
    setup: Outage,
) -> None:
    api = setup.api
    seed_store(api, {("TEE", "EAST"): 5})
    api.ok(
        "post",
        "/channels",
        {
            "code": "shop",
            "name": "Shop",
            "type": "shopify",
            "settings": {
                "shop_url": "https://shop.example.com",
                "access_token": "shpat_x",
                "webhook_secret": SECRET,
                "location_id": "1001",
            },
        },
    )
    payload = shopify_order(5001, [("TEE", 1, "19.99")])
    with setup.outage():
        r = post_webhook(api, "shop", "orders/create", payload, delivery_id="d1")
        _assert_unavailable(r)
    again = post_webhook(api, "shop", "orders/create", payload, delivery_id="d1")
    assert again.status_code < 300, again.text
    assert _order_count(api) == 1


def test_the_dashboard_shows_a_page_not_a_stack_trace(setup: Outage) -> None:
    client = setup.api.client
    add_user(setup.podium, "ops@example.com", "operator")
    form = {"email": "ops@example.com", "password": PASSWORD}
    form["csrf_token"] = csrf_of(client.get("/login").text)
    with setup.outage():
        # Signing in reads the user and writes a session (SQLite's readers are not blocked
        # by a writer's lock under WAL, so a page that only reads would still show there).
        r = client.post("/login", data=form)
    assert r.status_code == 503, r.text
    assert r.headers["Retry-After"] == "5"
    assert "cannot reach its database" in r.text
    assert "Traceback" not in r.text


def test_the_relay_carries_on_by_itself_when_the_database_returns(setup: Outage) -> None:
    api, podium = setup.api, setup.podium
    seed_store(api, {("TEE", "EAST"): 5})
    podium.relay.start()
    with setup.outage():
        time.sleep(1.5)  # the relay's passes fail meanwhile
    api.ok("post", "/orders", order_body([("TEE", 1)], external_id="after"))
    deadline = time.monotonic() + 20
    while outbox_lag(podium.db) is not None and time.monotonic() < deadline:
        time.sleep(0.1)
    assert outbox_lag(podium.db) is None
