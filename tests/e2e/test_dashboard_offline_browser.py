"""The dashboard's first hour in a real browser with no internet: API docs render from local
assets, no page asks for anything that is missing (favicon), the warehouse table fits a tablet,
and "Test this change" on the routing rules shows what a rule change would do."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlparse

from browser_support import add_users, needs_chromium, sign_in
from podium.routing.rules import DEFAULT_RULES
from support import order_body, seed_http

pytestmark = needs_chromium


def test_docs_favicon_warehouse_table_and_rules_test_in_a_browser_offline(
    server: Any, browser: Any
) -> None:
    from playwright.sync_api import expect

    with server.client() as client:
        seed_http(client, {("TEE", "EAST"): 10, ("TEE", "WEST"): 10})
        for n in range(3):
            client.post("/orders", json=order_body([("TEE", 1)], external_id=f"o-{n}"))
    add_users(server, admin="boss@example.com")
    context = browser.new_context(viewport={"width": 820, "height": 1180})  # a tablet
    page = context.new_page()
    outside: list[str] = []
    failed: list[str] = []

    def offline(route: Any) -> None:  # the machine has no internet: anything else fails
        if urlparse(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", offline)
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)

    page.goto(f"{server.url}/docs")
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible(timeout=20_000)
    expect(page.locator(".swagger-ui .title")).to_contain_text("Podium")
    page.goto(f"{server.url}/redoc")
    expect(page.locator("h1").first).to_contain_text("Podium", timeout=20_000)

    sign_in(page, server.url, "boss@example.com")
    page.goto(f"{server.url}/warehouse?warehouse=WEST")
    expect(page.locator("table.shiptable tbody tr")).to_have_count(3)
    assert page.evaluate("document.documentElement.scrollWidth") <= 820  # no sideways scroll
    page.goto(f"{server.url}/no-such-page")
    expect(page.get_by_role("heading", name="Not found")).to_be_visible()
    failed = [u for u in failed if not u.endswith("/no-such-page")]

    page.goto(f"{server.url}/settings/routing-rules")
    rules = DEFAULT_RULES.model_dump(mode="json", exclude_none=True)
    rules["rules"].insert(
        0, {"name": "east-first", "locations": {"warehouses": ["EAST"]}, "action": "allocate_whole"}
    )
    page.get_by_label("Rule set (JSON)").fill(json.dumps(rules, indent=2))
    page.get_by_role("button", name="Test this change").click()
    expect(page.locator("#trial-changed")).to_contain_text(
        "3 of 3 order(s) would ship from somewhere else"
    )
    expect(page.locator("#trial-orders tbody tr").first).to_contain_text("WEST")
    expect(page.get_by_label("Rule set (JSON)")).to_have_value(json.dumps(rules, indent=2))
    expect(page.locator("#history tbody tr")).to_have_count(1)  # nothing saved
    context.close()
    assert outside == [], outside
    assert failed == [], failed
