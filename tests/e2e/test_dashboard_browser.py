"""The dashboard in a real browser (Debian's chromium driven by Playwright) on `podium serve`."""

from __future__ import annotations

import re
from typing import Any

import httpx

from browser_support import add_users, needs_chromium, sign_in
from support import order_body, seed_http

pytestmark = needs_chromium


def test_the_dashboard_in_a_browser(server: Any, browser: Any) -> None:
    """One server for every scenario: starting one costs more than the scenarios do."""
    with server.client() as client:
        seed_http(client, {("TEE", "EAST"): 10})
        body = order_body([("TEE", 2)], customer={"email": "mia@example.com", "name": "Mia Ross"})
        order = client.post("/orders", json=body).json()
    add_users(
        server,
        operator="ops@example.com",
        readonly="viewer@example.com",
        support="support@example.com",
    )
    _live_queue(server, browser)
    _operator_finds_holds_releases_and_adjusts(server, browser, order)
    _readonly_sees_no_actions_and_a_forged_post_is_refused(server, browser, order)


def _operator_finds_holds_releases_and_adjusts(
    server: Any, browser: Any, order: dict[str, Any]
) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1024, "height": 768})
    page = context.new_page()
    sign_in(page, server.url, "ops@example.com")

    # find the order by e-mail
    page.get_by_role("link", name="Orders").first.click()
    page.get_by_label("Search").fill("mia@example.com")
    page.get_by_role("button", name="Apply").click()
    rows = page.locator("#queue-body tr")
    expect(rows).to_have_count(1)
    page.get_by_role("link", name=f"#{order['number']}").click()

    # hold it and see the timeline
    page.get_by_label("Reason").first.select_option("address")
    page.get_by_label("Note", exact=True).first.fill("Flat number missing")
    page.get_by_role("button", name="Put on hold").click()
    expect(page.locator("#order-status")).to_have_text("on hold")
    expect(page.locator("#timeline li").first).to_contain_text("On hold (address)")
    expect(page.locator("#timeline li").first).to_contain_text("user:ops@example.com")

    # release it
    page.get_by_role("button", name="Release “Address to check” hold").click()
    expect(page.locator("#order-status")).to_have_text("ready")
    expect(page.locator("#timeline")).to_contain_text("Hold released (address).")

    # adjust stock and see the inventory page change
    page.goto(f"{server.url}/inventory/TEE")
    before = int(page.locator("#total-on-hand").inner_text())
    page.get_by_label("Change in units (negative to remove)").fill("5")
    page.get_by_label("Reason").select_option("receipt")
    page.get_by_label("Reference").fill("PO-1")
    page.get_by_role("button", name="Adjust").click()
    expect(page.locator("#total-on-hand")).to_have_text(str(before + 5))
    expect(page.locator("#ledger tbody tr").first).to_contain_text("PO-1")
    context.close()


def _readonly_sees_no_actions_and_a_forged_post_is_refused(
    server: Any, browser: Any, order: dict[str, Any]
) -> None:
    context = browser.new_context(viewport={"width": 820, "height": 1180})  # a tablet
    page = context.new_page()
    sign_in(page, server.url, "viewer@example.com")
    page.goto(f"{server.url}/orders/{order['id']}")
    assert page.locator("#timeline li").count() >= 1
    for name in ("Put on hold", "Cancel order", "Add note"):
        assert page.get_by_role("button", name=name).count() == 0
    page.goto(f"{server.url}/inventory/TEE")
    assert page.get_by_role("button", name="Adjust").count() == 0

    # a POST with the user's own cookie but a forged token, as another site would send it
    token = page.locator('input[name="csrf_token"]').first.get_attribute("value")
    forged = context.request.post(
        f"{server.url}/orders/{order['id']}/hold",
        form={"csrf_token": "not-the-token", "reason": "manual"},
        max_redirects=0,
    )
    assert forged.status == 403
    cross_role = context.request.post(
        f"{server.url}/orders/{order['id']}/hold",
        form={"csrf_token": token, "reason": "manual"},
        max_redirects=0,
    )
    assert cross_role.status == 403
    with server.client() as client:
        assert client.get(f"/orders/{order['id']}").json()["status"] == "ready"  # untouched
    context.close()


def _live_queue(server: Any, browser: Any) -> None:
    """The queue shows a new order without reloading."""
    from playwright.sync_api import expect

    context = browser.new_context()
    page = context.new_page()
    sign_in(page, server.url, "support@example.com")
    page.goto(f"{server.url}/orders")
    expect(page.locator("#queue-body tr")).to_have_count(1)
    with server.client() as client:
        order = client.post("/orders", json=order_body([("TEE", 1)])).json()
    expect(page.get_by_role("link", name=f"#{order['number']}")).to_be_visible(timeout=15_000)
    assert re.search(r"/orders$", page.url)
    context.close()
    httpx.get(f"{server.url}/api/v1/health").raise_for_status()
