"""The channels page over HTTP, against fake Shopify servers on both engines: connector, health,
sync lag (also home's figure), throttling, dead-lettered sync events; sync now, reconcile
(dry run, then fix), and who may do what."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from dashboard_support import cheap_passwords, sign_in
from fastapi import FastAPI

from channel_support import add_shopify_channel, drain
from fakes.channels.shopify import FakeShopify
from podium.bootstrap import Podium
from podium.db.tables import outbox
from support import Api, order_body, seed_store


@pytest.fixture
def shop() -> Iterator[FakeShopify]:
    with FakeShopify(token="tok-a") as fake:
        yield fake


@pytest.fixture
def app(podium: Podium, api: Api, shop: FakeShopify) -> FastAPI:
    seed_store(api, {("TEE-M", "EAST"): 10, ("MUG", "WEST"): 4})
    add_shopify_channel(api, "shop", shop)
    for sku, item in (("TEE-M", "501"), ("MUG", "502")):
        r = api.client.put(
            f"/api/v1/channels/shop/listings/{sku}",
            json={"remote_id": item, "remote_location_id": "1001"},
            headers=api.headers("operator"),
        )
        assert r.status_code == 200, r.text
    assert isinstance(api.client.app, FastAPI)
    return cheap_passwords(api.client.app)


def _card(page: str, code: str) -> str:
    found = re.search(rf'id="channel-{code}"[^>]*>(.*?)</section>', page, re.S)
    assert found, code
    return found.group(1)


def _adjust(api: Api, quantity: int) -> None:
    api.ok(
        "post",
        "/inventory/adjustments",
        {"sku": "TEE-M", "warehouse": "EAST", "quantity": quantity, "reason": "adjustment"},
    )


def test_every_channel_shows_its_connector_health_and_sync_lag(
    app: FastAPI, podium: Podium, api: Api, shop: FakeShopify
) -> None:
    browser = sign_in(app, podium, "readonly")
    page = browser.get("/channels").text  # the relay has not run: the listings wait
    card = _card(page, "shop")
    assert "Shopify: orders by webhook" in card and 'badge on_hold">behind' in card
    assert "2 SKU(s) not yet told" in card and "Last successful push</dt><dd>never" in card
    assert "no connector" in _card(page, "web") and "Sync web now" not in page
    assert "worst: shop" in browser.get("/").text
    drain(podium)
    page = browser.get("/channels").text
    card = _card(page, "shop")
    assert "up to date" in card and 'badge delivered">healthy' in card
    assert "Listings</dt><dd>2" in card and "Pushes · errors</dt><dd>2 · 0" in card
    assert "every channel is up to date" in browser.get("/").text
    assert shop.level("501", "1001") == 10
    detail = browser.get("/channels/shop").text
    assert "none: the platform was told what Podium publishes" in detail
    assert browser.get("/channels/nope").status_code == 404


def test_throttling_errors_and_dead_lettered_sync_events_show_per_channel(
    app: FastAPI, podium: Podium, api: Api, shop: FakeShopify
) -> None:
    drain(podium)
    shop.force_429 = 2
    _adjust(api, -1)
    drain(podium)
    assert shop.level("501", "1001") == 9
    browser = sign_in(app, podium, "readonly")
    card = _card(browser.get("/channels").text, "shop")
    assert "Throttled</dt><dd>2 time(s), last " in card
    assert api.ok("get", "/channels/shop/health")["throttled"] == 2
    shop.token = "revoked"
    _adjust(api, -1)
    drain(podium, rounds=1)
    card = _card(browser.get("/channels").text, "shop")
    assert "401" in card and 'badge exception">failing' in card
    assert "1 SKU(s) not yet told" in card
    # A failed push stays marked for the channel's pusher (the relay only marks); once the
    # platform answers again an operator's sync tells it and settles the mark.
    shop.token = "tok-a"
    podium.channel_sync.sync_channel("shop")
    _adjust(api, -1)  # a change the relay has not marked yet …
    with podium.db.write() as conn:  # … and gave up on (its marking failed every attempt)
        conn.execute(
            outbox.update()
            .where(outbox.c.status == "pending", outbox.c.event_type == "inventory.changed")
            .values(status="dead")
        )
    card = _card(browser.get("/channels").text, "shop")
    assert 'Dead-lettered sync events</dt><dd class="bad">1' in card
    assert "up to date" in card  # nothing is on its way any more: it is dead, not waiting
    assert api.ok("get", "/channels/shop/health")["dead_sync_events"] == 1


def test_an_operator_syncs_and_reconciles_a_channel_as_the_cli_does(
    app: FastAPI, podium: Podium, api: Api, shop: FakeShopify
) -> None:
    drain(podium)
    browser = sign_in(app, podium, "operator")
    shop.token = "revoked"
    failed = browser.post("/channels/shop/sync", {})
    assert failed.status_code == 303
    assert "shop: " in browser.get("/channels").text and "401" in browser.get("/channels").text
    shop.token = "tok-a"
    assert browser.post("/channels/shop/sync", {"back": "channel"}).headers["location"] == (
        "/channels/shop"
    )
    assert "Pushed 2 listing(s) to shop." in browser.get("/channels/shop").text
    shop.levels[("gid://shopify/InventoryItem/501", "gid://shopify/Location/1001")] = 99
    dry = browser.post("/channels/shop/reconcile", {})
    assert dry.status_code == 200
    assert "Drift on shop: 1 of 2 listing(s)" in dry.text
    row = re.search(r"<td>TEE-M</td>(.*?)</tr>", dry.text, re.S)
    assert row and re.findall(r">(\d+)<", row.group(1)) == ["10", "99", "10"]
    assert shop.level("501", "1001") == 99  # a dry run changes nothing
    fixed = browser.post("/channels/shop/reconcile", {"fix": "1"})
    assert fixed.status_code == 303
    assert "drift fixed on 1" in browser.get("/channels").text
    assert shop.level("501", "1001") == 10
    clean = browser.post("/channels/shop/reconcile", {}).text
    assert "No drift: shop shows what Podium publishes" in clean
    browser.post("/channels/web/sync", {})
    assert "No channel" not in browser.get("/channels").text  # web exists: told, not crashed
    browser.post("/channels/nope/sync", {})
    assert "No channel nope" in browser.get("/channels").text


def test_readonly_and_warehouse_see_no_channel_actions_and_their_posts_are_refused(
    app: FastAPI, podium: Podium, api: Api, shop: FakeShopify
) -> None:
    drain(podium)
    shop.levels[("gid://shopify/InventoryItem/501", "gid://shopify/Location/1001")] = 99
    before = len(shop.received)
    for role in ("readonly", "warehouse", "support"):
        browser = sign_in(app, podium, role)
        page = browser.get("/channels").text
        assert "/channels/shop/sync" not in page and "/reconcile" not in page
        for path, data in (
            ("/channels/shop/sync", {}),
            ("/channels/shop/reconcile", {"fix": "1"}),
            ("/channels/shop/poll", {}),
        ):
            assert browser.post(path, data).status_code == 403, (role, path)
    operator = sign_in(app, podium, "operator")
    assert operator.post("/channels/shop/reconcile", {"fix": "1"}, csrf="forged").status_code == 403
    assert shop.level("501", "1001") == 99 and len(shop.received) == before


def test_channel_list_and_channel_page_count_the_same_orders_however_they_came_in(
    app: FastAPI, podium: Podium, api: Api
) -> None:
    for n in range(3):  # through the API, not a connector: the connector's counter missed these
        api.ok("post", "/orders", order_body([("TEE-M", 1)], external_id=f"api-{n}"))
    browser = sign_in(app, podium, "readonly")
    card = _card(browser.get("/channels").text, "web")
    page = browser.get("/channels/web").text
    assert '<dd class="orders-count">3</dd>' in card
    assert '<dd class="orders-count">3</dd>' in page
    last = re.search(r"<dt>Last order</dt><dd>([^<]*)</dd>", card)
    assert last and last.group(1) != "none yet"
    assert f"<dt>Last order</dt><dd>{last.group(1)}</dd>" in page
    assert "<h1>Web store <small>web ·" in page
    health = api.ok("get", "/channels/web/health")
    assert health["orders"] == 3
