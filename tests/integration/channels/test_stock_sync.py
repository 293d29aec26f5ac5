"""Real-time stock sync to Shopify fake servers over real HTTP: a sale on one channel reaches
every other, buffers and caps apply, rate limits are waited out, drift is reconciled, and
shipments are reported back with tracking."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from channel_support import add_shopify_channel, drain, post_webhook, shopify_order
from fakes.channels.shopify import FakeShopify
from podium.bootstrap import Podium
from podium.channels import _store as channel_store  # to store settings of an older Podium
from podium.channels import sync_lags
from podium.db.database import utcnow
from podium.db.tables import channel_listings
from support import Api, seed_store


@pytest.fixture
def shops() -> Iterator[tuple[FakeShopify, FakeShopify]]:
    with FakeShopify(token="tok-a") as a, FakeShopify(token="tok-b") as b:
        yield a, b


def _list(api: Api, code: str, sku: str, item: str) -> None:
    r = api.client.put(
        f"/api/v1/channels/{code}/listings/{sku}",
        json={"remote_id": item, "remote_location_id": "1001"},
        headers=api.headers("operator"),
    )
    assert r.status_code == 200, r.text


@pytest.fixture
def two_shops(api: Api, podium: Podium, shops: tuple[FakeShopify, FakeShopify]) -> Any:
    a, b = shops
    seed_store(api, {("TEE-M", "EAST"): 10, ("MUG", "WEST"): 4})
    add_shopify_channel(api, "a", a)
    add_shopify_channel(api, "b", b, settings={"availability": {"buffer": 2, "cap": 6}})
    for code in ("a", "b"):
        _list(api, code, "TEE-M", "501")
        _list(api, code, "MUG", "502")
    drain(podium)
    return a, b


def test_listing_a_sku_tells_the_platform_its_count(two_shops: Any) -> None:
    a, b = two_shops
    assert a.level("501", "1001") == 10 and a.level("502", "1001") == 4
    assert b.level("501", "1001") == 6  # 10 - buffer 2, capped at 6
    assert b.level("502", "1001") == 2  # 4 - buffer 2


def test_a_sale_on_channel_a_pushes_the_new_count_to_channel_b(
    api: Api, podium: Podium, two_shops: Any
) -> None:
    a, b = two_shops
    r = post_webhook(api, "a", "orders/create", shopify_order(11, [("MUG", 1, "9.00")]))
    assert r.json()["status"] == "created"
    drain(podium)
    assert a.level("502", "1001") == 3
    assert b.level("502", "1001") == 1
    view = api.ok("get", "/inventory/MUG")
    told = {c["channel"]: c["published"] for c in view["channels"]}
    assert told == {"a": 3, "b": 1, "web": 3}
    listing = api.ok("get", "/channels/b/listings/MUG")
    assert listing["pushed_available"] == 1


def test_available_falling_to_the_buffer_publishes_zero(
    api: Api, podium: Podium, two_shops: Any
) -> None:
    a, b = two_shops
    post_webhook(api, "a", "orders/create", shopify_order(12, [("MUG", 2, "9.00")]))
    drain(podium)
    assert a.level("502", "1001") == 2
    assert b.level("502", "1001") == 0


def test_a_burst_of_changes_costs_one_push_of_the_latest_value(
    api: Api, podium: Podium, two_shops: Any
) -> None:
    a, _ = two_shops
    before = len(a.received)
    for i in range(5):
        api.ok(
            "post",
            "/inventory/adjustments",
            {"sku": "TEE-M", "warehouse": "EAST", "quantity": 1, "reason": "receipt"},
        )
        assert i < 5
    drain(podium)
    pushed = [r.quantity for r in a.received[before:]]
    assert pushed[-1] == 15
    assert len(pushed) < 5  # coalesced


def test_429_and_cost_throttling_are_waited_out(api: Api, podium: Podium, two_shops: Any) -> None:
    a, _ = two_shops
    a.force_429 = 2
    a.available = 0.0  # the cost bucket is empty: Shopify answers THROTTLED first
    api.ok(
        "post",
        "/inventory/adjustments",
        {"sku": "TEE-M", "warehouse": "EAST", "quantity": -3, "reason": "damaged"},
    )
    drain(podium)
    assert a.level("501", "1001") == 7
    assert a.throttled >= 2


def test_a_failing_platform_is_retried_and_shows_in_health(
    api: Api, podium: Podium, two_shops: Any
) -> None:
    a, _ = two_shops
    a.token = "revoked"
    api.ok(
        "post",
        "/inventory/adjustments",
        {"sku": "TEE-M", "warehouse": "EAST", "quantity": -1, "reason": "damaged"},
    )
    drain(podium)
    health = api.ok("get", "/channels/a/health")
    assert health["push_errors"] >= 1 and "401" in health["last_error"]
    assert health["pending_pushes"] == 1
    a.token = "tok-a"
    r = api.post("/channels/a/sync", None, role="operator")
    assert r.status_code == 200 and r.json()["pushed"] == 2
    assert a.level("501", "1001") == 9
    assert api.ok("get", "/channels/a/health")["pending_pushes"] == 0


def test_reconcile_reports_drift_and_fixes_it(api: Api, two_shops: Any) -> None:
    a, _ = two_shops
    a.levels[("gid://shopify/InventoryItem/501", "gid://shopify/Location/1001")] = 99
    r = api.post("/channels/a/reconcile", None, role="operator")
    assert r.status_code == 200
    body = r.json()
    assert body["checked"] == 2
    assert body["drift"] == [{"sku": "TEE-M", "publishes": 10, "shows": 99, "last_pushed": 10}]
    fixed = api.post("/channels/a/reconcile?fix=true", None, role="operator").json()
    assert fixed["fixed"] is True
    assert a.level("501", "1001") == 10
    assert api.post("/channels/a/reconcile", None, role="operator").json()["drift"] == []


def test_shipping_reports_the_fulfilment_with_tracking_to_shopify(
    api: Api, podium: Podium, two_shops: Any
) -> None:
    a, _ = two_shops
    a.add_order("21", [("TEE-M", 2)])
    created = post_webhook(
        api, "a", "orders/create", shopify_order(21, [("TEE-M", 2, "10.00")])
    ).json()
    order = api.ok("get", f"/orders/{created['order_id']}")
    shipment = order["shipments"][0]["id"]
    r = api.post(
        f"/shipments/{shipment}/ship",
        {"tracking_number": "1Z999", "carrier": "UPS"},
        role="warehouse",
    )
    assert r.status_code == 200, r.text
    drain(podium)
    assert len(a.fulfillments) == 1
    sent = a.fulfillments[0]
    assert sent["trackingInfo"] == {"number": "1Z999", "company": "UPS"}
    items = sent["lineItemsByFulfillmentOrder"][0]["fulfillmentOrderLineItems"]
    assert items == [{"id": "gid://shopify/FulfillmentOrderLineItem/210", "quantity": 2}]
    timeline = api.ok("get", f"/orders/{created['order_id']}/timeline")["items"]
    assert any(e["type"] == "channel.fulfilment_reported" for e in timeline)


def test_listing_endpoints_need_a_known_channel_and_product(api: Api, two_shops: Any) -> None:
    r = api.client.put(
        "/api/v1/channels/a/listings/NOPE", json={"remote_id": "1"}, headers=api.headers()
    )
    assert r.status_code == 404 and r.json()["error"]["code"] == "product_not_found"
    r = api.client.put(
        "/api/v1/channels/a/listings/MUG", json={"remote_id": ""}, headers=api.headers()
    )
    assert r.status_code == 422
    r = api.client.put(
        "/api/v1/channels/a/listings/MUG",
        json={"remote_id": "1"},
        headers=api.headers("readonly"),
    )
    assert r.status_code == 403
    items = api.ok("get", "/channels/a/listings")["items"]
    assert [i["sku"] for i in items] == ["MUG", "TEE-M"]


def test_an_older_stock_version_never_overwrites_a_newer_one(
    api: Api, podium: Podium, two_shops: Any
) -> None:
    a, _ = two_shops
    listing = api.ok("get", "/channels/a/listings/MUG")
    api.ok(
        "post",
        "/inventory/adjustments",
        {"sku": "MUG", "warehouse": "WEST", "quantity": -1, "reason": "damaged"},
    )
    drain(podium)
    before = len(a.received)
    # An event older than what was told arrives late (a retry): nothing is pushed.
    report = podium.channel_sync.sync({"MUG": 1}, force=True)
    assert report.pushed == {} and len(a.received) == before
    assert api.ok("get", "/channels/a/listings/MUG")["pushed_available"] == 3
    assert listing["pushed_available"] == 4


def test_new_availability_rules_are_pushed_at_once_and_a_listing_can_be_removed(
    api: Api, podium: Podium, two_shops: Any
) -> None:
    a, _ = two_shops
    r = api.client.patch(
        "/api/v1/channels/a/settings",
        json={"availability": {"buffer_percent": 50}},
        headers=api.headers(),
    )
    assert r.status_code == 200 and r.json()["availability"]["buffer_percent"] == 50
    drain(podium)
    assert a.level("501", "1001") == 5 and a.level("502", "1001") == 2
    bad = api.client.patch(
        "/api/v1/channels/a/settings",
        json={"availability": {"buffer_percent": 101}},
        headers=api.headers(),
    )
    assert bad.status_code == 422
    assert bad.json()["error"]["details"]["field"] == "settings.availability.buffer_percent"
    gone = api.client.delete("/api/v1/channels/a/listings/MUG", headers=api.headers("operator"))
    assert gone.status_code == 204
    assert api.get("/channels/a/listings/MUG").status_code == 404
    again = api.client.delete("/api/v1/channels/a/listings/MUG", headers=api.headers())
    assert again.status_code == 404


def test_listings_are_learned_from_the_shop(
    api: Api, podium: Podium, shops: tuple[FakeShopify, FakeShopify]
) -> None:
    a, _ = shops
    seed_store(api, {("TEE-M", "EAST"): 3, ("MUG", "WEST"): 2, ("CAP", "EAST"): 1})
    add_shopify_channel(api, "a", a)
    _list(api, "a", "CAP", "999")  # set by hand: left as it is
    a.variants = [("TEE-M", "601"), ("MUG", "602"), ("NOT-IN-PODIUM", "603"), ("CAP", "604")]
    r = api.post("/channels/a/listings/learn", None, role="operator")
    assert r.status_code == 200, r.text
    assert r.json() == {"found": 4, "learned": 2, "unknown": 1}
    drain(podium)
    assert a.level("601", "1001") == 3 and a.level("602", "1001") == 2
    assert api.ok("get", "/channels/a/listings/CAP")["remote_id"] == "999"


def test_a_stored_api_version_shopify_no_longer_serves_is_used_as_2026_04_and_noted(
    api: Api, podium: Podium, two_shops: Any
) -> None:
    a, _ = two_shops
    stored = api.ok("get", "/channels/a")["settings"]
    assert stored["api_version"] == "2026-04"
    with podium.db.write() as conn:
        row = channel_store.channel_row(conn, "a")
        assert row is not None
        channel_store.set_settings(conn, "a", {**row["settings"], "api_version": "2024-04"})
    api.ok(
        "post",
        "/inventory/adjustments",
        {"sku": "TEE-M", "warehouse": "EAST", "quantity": -1, "reason": "damaged"},
    )
    drain(podium)
    assert a.level("501", "1001") == 9 and set(a.versions) == {"2026-04"}
    (note,) = api.ok("get", "/channels/a/health")["notes"]
    assert "2024-04 is no longer supported" in note and "2026-04" in note
    api.ok("patch", "/channels/a/settings", {"availability": {"buffer": 0}})
    assert api.ok("get", "/channels/a/health")["notes"] == []


def test_sync_lag_counts_from_the_stock_change_not_from_the_last_push(
    api: Api, podium: Podium, two_shops: Any
) -> None:
    """A listing told days ago whose stock changed a moment ago is a moment behind."""
    with podium.db.write() as conn:
        conn.execute(channel_listings.update().values(pushed_at=utcnow() - timedelta(days=3)))
    api.ok(
        "post",
        "/inventory/adjustments",
        {"sku": "TEE-M", "warehouse": "EAST", "quantity": -1, "reason": "damaged"},
    )
    health = api.ok("get", "/channels/a/health")  # the relay has not run yet
    assert health["pending_pushes"] == 1
    assert 0 <= health["lag_seconds"] < 60
    home = sync_lags(podium.db)["a"]  # the channels page and home show this one
    assert (home.pending, home.lag_seconds < 60) == (1, True)
    drain(podium)
    health = api.ok("get", "/channels/a/health")
    assert (health["pending_pushes"], health["lag_seconds"]) == (0, 0.0)
    assert "a" not in sync_lags(podium.db)
