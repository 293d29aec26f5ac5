"""The operations pages in a real browser (Debian's chromium driven by Playwright) on `podium
serve`: a warehouse user works a shipment on a tablet, an admin looks at the channels and edits
the routing rules. Saves docs/screenshots/warehouse.png, channels.png and settings-rules.png."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from browser_support import add_users, needs_chromium, screenshot, sign_in
from fakes.channels.shopify import FakeShopify
from support import order_body, seed_http

pytestmark = needs_chromium


def _until(check: Callable[[], bool], what: str, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def test_warehouse_channels_and_routing_rules_in_a_browser(server: Any, browser: Any) -> None:
    """One server for every scenario: starting one costs more than the scenarios do."""
    with FakeShopify(token="tok-shop") as shop, server.client() as client:
        seed_http(client, {("TEE", "EAST"): 10, ("CAP", "EAST"): 6})
        r = client.post(
            "/channels",
            json={
                "code": "shop",
                "name": "Shopify store",
                "type": "shopify",
                "settings": {
                    "shop_url": shop.url,
                    "access_token": "tok-shop",
                    "webhook_secret": "shpss_secret_0123456789",
                    "location_id": "1001",
                },
            },
        )
        assert r.status_code == 201, r.text
        for sku, item in (("TEE", "501"), ("CAP", "502")):
            listed = client.put(
                f"/channels/shop/listings/{sku}",
                json={"remote_id": item, "remote_location_id": "1001"},
            )
            assert listed.status_code == 200, listed.text
        order = client.post("/orders", json=order_body([("TEE", 2), ("CAP", 1)])).json()
        shipment = order["shipments"][0]["id"]

        def status() -> str:
            found: str = client.get(f"/shipments/{shipment}").json()["status"]
            return found

        _until(lambda: status() == "released", "the relay to release the shipment")
        add_users(server, warehouse="picker@example.com", admin="boss@example.com")
        # README screenshots: only when asked (PODIUM_SCREENSHOTS=1), once, not once per engine
        screenshots = os.environ.get(
            "PODIUM_SCREENSHOTS"
        ) == "1" and server.database_url.startswith("sqlite")

        _warehouse_on_a_tablet(server, browser, order, screenshots)
        assert status() == "shipped"
        assert client.get(f"/orders/{order['id']}").json()["status"] == "shipped"
        _until(lambda: shop.level("501", "1001") == 8, "the stock push after shipping")
        _admin_views_channels(server, browser, screenshots)
        _admin_edits_routing_rules(server, browser, screenshots)
        active = client.get("/routing/rules").json()
        assert active["version"] == 1 and active["rule_set"]["rules"][0]["name"] == "east-first"


def _warehouse_on_a_tablet(
    server: Any, browser: Any, order: dict[str, Any], screenshots: bool
) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 820, "height": 1180}, accept_downloads=True)
    page = context.new_page()
    sign_in(page, server.url, "picker@example.com")
    page.get_by_role("link", name="Warehouse").click()
    page.get_by_label("Warehouse", exact=True).select_option("EAST")
    page.get_by_role("button", name="Show").click()
    number = order["number"]

    # a pick list of the selected shipment, downloaded as a PDF
    page.get_by_label(f"Put #{number} on the pick list").check()
    page.get_by_role("button", name="Pick list of the selected").click()
    expect(page.locator("#new-pick-list")).to_contain_text("1 shipment(s) at EAST")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the pick list (PDF)").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")
    assert download.value.suggested_filename.startswith("pick-list-pck_")

    # picked and packed, labelled (cheapest on time), then shipped
    page.get_by_role("button", name=f"Picked: pack #{number}").click()
    expect(page.locator(".flash.ok")).to_contain_text("picked and packed")
    page.get_by_role("button", name=f"Buy label for #{number}").click()
    expect(page.locator(".flash.ok")).to_contain_text("Label bought: Podium Table Rate")
    tracking = page.locator(".tracking").first.inner_text()
    with page.expect_download() as label:
        page.get_by_role("link", name="Label (PDF)").click()
    assert Path(label.value.path()).read_bytes().startswith(b"%PDF")
    assert page.evaluate("document.documentElement.scrollWidth") <= 820  # no sideways scroll
    if screenshots:
        screenshot(page, "warehouse.png")
    page.get_by_role("button", name=f"Ship #{number}").click()
    expect(page.locator(".flash.ok")).to_contain_text("shipped")
    expect(page.locator(f"#title-{order['shipments'][0]['id']}")).to_have_count(0)
    page.goto(f"{server.url}/orders/{order['id']}")
    expect(page.locator("#timeline")).to_contain_text(tracking)
    context.close()


def _admin_views_channels(server: Any, browser: Any, screenshots: bool) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, server.url, "boss@example.com")
    page.get_by_role("link", name="Channels", exact=True).first.click()
    card = page.locator("#channel-shop")
    expect(card).to_contain_text("Shopify: orders by webhook")
    expect(card).to_contain_text("up to date")
    expect(card).to_contain_text("healthy")
    page.get_by_role("button", name="Check shop for drift").click()
    expect(page.locator("#drift")).to_contain_text("No drift: shop shows what Podium publishes")
    page.get_by_role("button", name="Sync shop now").click()
    expect(page.locator(".flash.ok")).to_contain_text("Pushed 2 listing(s) to shop.")
    if screenshots:
        screenshot(page, "channels.png")
    context.close()


def _admin_edits_routing_rules(server: Any, browser: Any, screenshots: bool) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, server.url, "boss@example.com")
    page.goto(f"{server.url}/settings/warehouses")
    page.get_by_role("link", name="Routing rules").click()
    expect(page.locator("#rule-set")).to_contain_text("1. whole-order-on-time")

    rules = (
        '{"rules": [{"name": "east-first", "locations": {"warehouses": ["EAST"]}, '
        '"sort": ["%s"], "action": "allocate_whole"}, {"name": "anywhere"}], '
        '"split_penalty": "3.00"}'
    )
    page.get_by_label("Rule set (JSON)").fill(rules % "fastest")
    page.get_by_role("button", name="Save and activate").click()
    expect(page.get_by_role("alert")).to_contain_text("rules.0.sort.0 (rule 1, east-first)")
    expect(page.get_by_label("Rule set (JSON)")).to_have_value(rules % "fastest")
    page.get_by_label("Rule set (JSON)").fill(rules % "distance")
    page.get_by_label("Note for this version (optional)").fill("EAST first")
    page.get_by_role("button", name="Save and activate").click()
    expect(page.locator(".flash.ok")).to_contain_text("Routing rules version 1 is active")
    expect(page.locator("#rule-set")).to_contain_text("1. east-first")
    expect(page.locator("#split-penalty")).to_contain_text("3.00 USD")
    expect(page.locator("#history tbody tr")).to_have_count(2)
    if screenshots:
        screenshot(page, "settings-rules.png")
    context.close()
