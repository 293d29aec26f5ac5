"""The automation rule editor in a real browser (Debian's chromium driven by Playwright) on
`podium serve`: an admin builds a rule with the form (trigger, a condition, two actions picked
from lists), dry-runs it on the recent orders, fixes a mistake the server names, saves it, and
sees the new version in the history. Saves docs/screenshots/settings-automation.png on request."""

from __future__ import annotations

from typing import Any

from browser_support import add_users, needs_chromium, screenshot, sign_in
from support import order_body, seed_http

pytestmark = needs_chromium

PATH = "/settings/automation-rules"


def test_an_admin_builds_dry_runs_and_saves_a_rule_in_a_browser(server: Any, browser: Any) -> None:
    from playwright.sync_api import expect

    with server.client() as client:
        seed_http(client, {("TEE", "EAST"): 20})
        big = client.post("/orders", json=order_body([("TEE", 6)], external_id="big")).json()
        client.post("/orders", json=order_body([("TEE", 1)], external_id="small"))
    add_users(server, admin="boss@example.com")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, server.url, "boss@example.com")
    page.goto(f"{server.url}{PATH}")
    expect(page.locator("#no-rules")).to_be_visible()
    expect(page.locator("#history tbody tr")).to_have_count(1)

    page.get_by_role("button", name="Add a rule").click()
    page.get_by_label("Name", exact=True).fill("big orders")
    page.get_by_label("Trigger").select_option("order.placed")
    page.get_by_role("button", name="Rule 0: add a group of conditions").click()
    page.get_by_label("Rule 0, group 0, condition 0: field").select_option("total")
    # picking a field offers its own ops (htmx asks the server for the rows again)
    op = page.get_by_label("Rule 0, group 0, condition 0: op")
    expect(op.locator("option")).to_have_count(8)  # money compares, it does not match
    op.select_option(">=")
    value = page.get_by_label("Rule 0, group 0, condition 0: value")
    expect(value).to_have_attribute("placeholder", "150.00")
    value.fill("lots")
    page.locator('[name="r0.a0.arg.tag"]').fill("big")
    page.get_by_role("button", name="Rule 0: add an action").click()
    page.get_by_label("Rule 0, action 1", exact=True).select_option("hold")
    # picking an action shows its own arguments (htmx asks the server for the rows again)
    expect(page.locator('[name="r0.a1.arg.reason"]')).to_be_visible()
    page.locator('[name="r0.a1.arg.reason"]').select_option("manual")

    page.get_by_role("button", name="Dry run", exact=True).click()
    expect(page.locator("#editor-error")).to_contain_text("rule 0 ('big orders'), when.value")
    value = page.get_by_label("Rule 0, group 0, condition 0: value")
    expect(value).to_have_attribute("aria-invalid", "true")
    value.fill("100.00")
    page.get_by_role("button", name="Dry run", exact=True).click()
    expect(page.locator("#trial-matched")).to_contain_text("1 of 2 order(s) would be touched.")
    expect(page.locator("#rules-trial")).to_contain_text(big["number"])
    expect(page.locator("#rules-trial")).to_contain_text("add_tag(tag=big); hold(reason=manual)")
    expect(page.locator("#history tbody tr")).to_have_count(1)  # nothing saved yet

    page.get_by_label("Note for this version (optional)").first.fill("big orders wait")
    page.get_by_role("button", name="Save and activate").first.click()
    expect(page.locator(".flash.ok")).to_contain_text("Automation rules version 1 is active")
    expect(page.locator("#rule-set")).to_contain_text("1. big orders")
    expect(page.locator("#history tbody tr")).to_have_count(2)
    expect(page.locator("#history")).to_contain_text("big orders wait")
    expect(page.get_by_role("button", name="Make version 0 active")).to_be_visible()  # rollback
    expect(page.get_by_label("Rule 0, group 0, condition 0: value")).to_have_value("100.00")
    screenshot(page, "settings-automation.png")
    context.close()

    with server.client() as client:
        active = client.get("/automation/rules").json()
    assert active["version"] == 1
    assert active["rule_set"]["rules"] == [
        {
            "name": "big orders",
            "enabled": True,
            "trigger": "order.placed",
            "when": {"field": "total", "op": ">=", "value": "100.00"},
            "then": [{"action": "add_tag", "tag": "big"}, {"action": "hold", "reason": "manual"}],
        }
    ]
