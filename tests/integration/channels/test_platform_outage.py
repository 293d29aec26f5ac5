"""A channel's platform goes down (503s, a 429 asking for minutes): its circuit opens and shows in
channel health, no stock change is lost, and the value pushed on its return is the latest."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from channel_support import add_shopify_channel, drain
from fakes.channels.shopify import FakeShopify
from podium.bootstrap import Podium, bootstrap
from podium.channels.shopify import ShopifyConnector
from podium.config import Settings
from podium.geo.geocoder import default_geocoder
from support import Api, seed_store


@pytest.fixture
def podium(database_url: str) -> Iterator[Podium]:
    settings = Settings(
        database_url=database_url,
        relay_poll_seconds=0.05,
        circuit_failures=1,
        circuit_cooldown_seconds=0.5,
    )
    p = bootstrap(settings, geocoder=default_geocoder())
    shopify = p.pushers.connectors.for_type("shopify")
    assert isinstance(shopify, ShopifyConnector)
    shopify.caller.max_wait = 0.0  # no in-call retries: each push is one request
    try:
        yield p
    finally:
        p.close()


@pytest.fixture
def shop(api: Api, podium: Podium) -> Iterator[FakeShopify]:
    with FakeShopify(token="tok-a") as a:
        seed_store(api, {("MUG", "WEST"): 10})
        add_shopify_channel(api, "a", a)
        r = api.client.put(
            "/api/v1/channels/a/listings/MUG",
            json={"remote_id": "502", "remote_location_id": "1001"},
            headers=api.headers("operator"),
        )
        assert r.status_code == 200, r.text
        drain(podium)
        assert a.level("502", "1001") == 10
        yield a


def _sell(api: Api, podium: Podium, quantity: int = 1) -> None:
    api.ok(
        "post",
        "/inventory/adjustments",
        {"sku": "MUG", "warehouse": "WEST", "quantity": -quantity, "reason": "damaged"},
    )
    drain(podium)


def test_while_the_platform_is_down_the_circuit_opens_and_the_latest_value_wins_on_return(
    api: Api, podium: Podium, shop: FakeShopify
) -> None:
    shop.down = 503
    _sell(api, podium)  # the push fails: the circuit opens
    health = api.ok("get", "/channels/a/health")
    assert health["circuit"] == "open"
    assert 0 < health["circuit_retry_in_seconds"] <= 1.0
    assert "503" in health["last_error"]
    requests = shop.requests
    for _ in range(3):  # more changes while it is down: marked, not called
        _sell(api, podium)
    assert shop.requests == requests
    assert api.ok("get", "/channels/a/health")["pending_pushes"] == 1

    shop.down = None
    time.sleep(1.05)  # the back-off (1 s) and the cool-down (0.5 s)
    received = len(shop.received)
    assert podium.pushers.run_once() == 1  # the probe carries the current figure
    assert shop.level("502", "1001") == 6
    assert [r.quantity for r in shop.received[received:]] == [6]
    health = api.ok("get", "/channels/a/health")
    assert health["circuit"] == "closed" and health["pending_pushes"] == 0


def test_a_429_asking_for_longer_than_the_call_waits_backs_the_channel_off_that_long(
    api: Api, podium: Podium, shop: FakeShopify
) -> None:
    shop.retry_after = "120"
    shop.force_429 = 1
    _sell(api, podium)
    pusher = podium.pushers.pusher("a")
    assert 110 < pusher.wait() <= 120
    health = api.ok("get", "/channels/a/health")
    assert health["throttled"] == 1 and health["pending_pushes"] == 1
