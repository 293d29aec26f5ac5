"""Paced per-channel pushes (issue 21): the relay only marks listings; a channel's pusher,
under a lease, tells the platform and clears the marks, never losing a newer one."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import pytest

from channel_support import add_shopify_channel, drain
from fakes.channels.shopify import FakeShopify
from podium.bootstrap import Podium
from podium.channels import Pushers, sync_lags
from podium.channels.model import LevelPush, PushResult
from podium.db.tables import channel_listings
from support import Api, seed_store


@pytest.fixture
def shop(api: Api, podium: Podium) -> Iterator[FakeShopify]:
    with FakeShopify(token="tok-a") as a:
        seed_store(api, {("TEE-M", "EAST"): 10, ("MUG", "WEST"): 4})
        add_shopify_channel(api, "a", a)
        for sku, item in (("TEE-M", "501"), ("MUG", "502")):
            r = api.client.put(
                f"/api/v1/channels/a/listings/{sku}",
                json={"remote_id": item, "remote_location_id": "1001"},
                headers=api.headers("operator"),
            )
            assert r.status_code == 200, r.text
        drain(podium)
        yield a


def _sell(api: Api, sku: str, warehouse: str, quantity: int = 1) -> None:
    api.ok(
        "post",
        "/inventory/adjustments",
        {"sku": sku, "warehouse": warehouse, "quantity": -quantity, "reason": "damaged"},
    )


def _marks(podium: Podium) -> dict[str, tuple[Any, Any]]:
    with podium.db.read() as conn:
        rows = conn.execute(
            channel_listings.select().where(channel_listings.c.channel == "a")
        ).mappings()
        return {r["sku"]: (r["wanted_seq"], r["wanted_at"]) for r in rows}


def _relay(podium: Podium) -> None:
    while podium.relay.run_once():
        pass


def test_the_relay_only_marks_and_the_pusher_pushes_and_clears_the_mark(
    api: Api, podium: Podium, shop: FakeShopify
) -> None:
    assert _marks(podium) == {"MUG": (None, None), "TEE-M": (None, None)}
    before = len(shop.sent)
    _sell(api, "TEE-M", "EAST")
    _relay(podium)
    seq, at = _marks(podium)["TEE-M"]
    assert seq is not None and at is not None
    assert len(shop.sent) == before and shop.level("501", "1001") == 10  # not told yet
    lag = sync_lags(podium.db)["a"]
    assert lag.pending == 1 and lag.oldest_at is not None
    health = api.ok("get", "/channels/a/health")
    assert health["lag_seconds"] > 0 and health["pending_pushes"] == 1
    assert podium.pushers.run_once() == 1
    assert shop.level("501", "1001") == 9
    assert _marks(podium)["TEE-M"] == (None, None)
    assert "a" not in sync_lags(podium.db)
    assert api.ok("get", "/channels/a/health")["lag_seconds"] == 0.0
    assert api.ok("get", "/channels/a/listings/TEE-M")["pushed_available"] == 9


def test_many_marked_listings_go_out_in_one_call(
    api: Api, podium: Podium, shop: FakeShopify
) -> None:
    _sell(api, "TEE-M", "EAST")
    _sell(api, "MUG", "WEST")
    _sell(api, "TEE-M", "EAST")
    _relay(podium)
    before = len(shop.sent)
    assert podium.pushers.run_once() == 2
    assert len(shop.sent) == before + 1  # one inventorySetQuantities for both SKUs
    assert (shop.level("501", "1001"), shop.level("502", "1001")) == (8, 3)


class _DuringPush:
    """The Shopify connector, with something happening while its push is on the wire."""

    def __init__(self, inner: Any, meanwhile: Callable[[], None]) -> None:
        self.inner = inner
        self.meanwhile: Callable[[], None] | None = meanwhile
        self.type = inner.type

    def push(self, channel: str, settings: Any, pushes: Sequence[LevelPush]) -> PushResult:
        if self.meanwhile is not None:
            act, self.meanwhile = self.meanwhile, None
            act()
        result: PushResult = self.inner.push(channel, settings, pushes)
        return result

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def test_a_newer_mark_made_during_a_push_is_not_lost(
    api: Api, podium: Podium, shop: FakeShopify
) -> None:
    def another_sale() -> None:
        _sell(api, "TEE-M", "EAST", 2)
        _relay(podium)

    connectors = podium.pushers.connectors
    inner = connectors.for_type("shopify")
    connectors._by_type["shopify"] = _DuringPush(inner, another_sale)
    _sell(api, "TEE-M", "EAST")
    _relay(podium)
    first, _ = _marks(podium)["TEE-M"]
    podium.pushers.pusher("a").hold()
    assert podium.pushers.pusher("a").push_once() == 1
    assert shop.level("501", "1001") == 9  # the figure read before the second sale
    seq, at = _marks(podium)["TEE-M"]
    assert seq is not None and seq > first and at is not None  # the second sale still waits
    assert sync_lags(podium.db)["a"].pending == 1
    podium.pushers.run_once()
    assert shop.level("501", "1001") == 7
    assert _marks(podium)["TEE-M"] == (None, None)


def test_one_process_pushes_a_channel_and_another_takes_over_after_a_crash(
    api: Api, podium: Podium, shop: FakeShopify
) -> None:
    podium.pushers.stop()  # the fixture's drain pushed: a clean stop gives the channel back
    settings = dataclasses.replace(podium.settings, push_lease_seconds=0.6)
    first = Pushers(podium.db, podium.connectors, settings)
    second = Pushers(podium.db, podium.connectors, settings)
    try:
        assert first.pusher("a").hold()
        assert not second.pusher("a").hold()
        _sell(api, "MUG", "WEST")
        _relay(podium)
        assert second.run_once() == 0  # the first holds the channel
        assert shop.level("502", "1001") == 4
        # The first dies without a word (kill -9): its lease runs out and is not renewed.
        time.sleep(0.7)
        assert second.run_once() == 1
        assert shop.level("502", "1001") == 3
        assert not first.pusher("a").hold()  # and the first, back, finds it taken
        # A clean stop hands the channel over at once.
        second.stop()
        assert first.pusher("a").hold()
    finally:
        first.stop()
        second.stop()


def test_a_failing_push_keeps_the_mark_with_the_reason_and_backs_off(
    api: Api, podium: Podium, shop: FakeShopify
) -> None:
    shop.token = "revoked"
    _sell(api, "MUG", "WEST")
    _relay(podium)
    assert podium.pushers.run_once() == 0
    seq, _ = _marks(podium)["MUG"]
    assert seq is not None
    health = api.ok("get", "/channels/a/health")
    (failed,) = health["failed_pushes"]
    assert failed["sku"] == "MUG" and failed["attempts"] == 1 and "401" in failed["reason"]
    assert health["lag_seconds"] > 0
    shop.token = "tok-a"
    assert podium.pushers.run_once() == 0  # backing off (1 s)
    time.sleep(1.05)
    assert podium.pushers.run_once() == 1
    assert shop.level("502", "1001") == 3
    assert api.ok("get", "/channels/a/health")["failed_pushes"] == []


def test_pushers_started_in_the_background_push_within_a_second(
    api: Api, podium: Podium, shop: FakeShopify
) -> None:
    podium.relay.start()
    podium.pushers.start()
    try:
        _sell(api, "TEE-M", "EAST", 3)
        deadline = time.monotonic() + 5
        while shop.level("501", "1001") != 7 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert shop.level("501", "1001") == 7
    finally:
        podium.relay.stop()
        podium.pushers.stop()
