"""An exchange for another size in the returns portal, in a real browser at a phone viewport
(390×844): the shopper sees the other sizes with their stock (the one without stock cannot
be picked), picks one, and staff see the replacement asked for (issue 17)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from browser_support import needs_chromium, screenshot
from support import order_body, seed_http

pytestmark = needs_chromium

AXE = Path(__file__).resolve().parents[1] / "vendor" / "axe-core" / "axe.min.js"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def _serious_violations(page: Any) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    found: list[dict[str, Any]] = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
            .filter(v => ['serious', 'critical'].includes(v.impact))
            .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.html)}))"""
    )
    return found


def _order_of_a_medium_tee(server: Any) -> dict[str, Any]:
    with server.client() as client:
        seed_http(client, {("TEE-M", "EAST"): 2, ("TEE-L", "EAST"): 4})
        for sku, size in (("TEE-S", "S"), ("TEE-M", "M"), ("TEE-L", "L")):
            if sku == "TEE-S":
                made = client.post("/products", json={"sku": sku, "name": "Tee S"})
                assert made.status_code == 201, made.text
            body = {"group": "TEE", "options": {"size": size, "colour": "Blue"}}
            assert client.patch(f"/products/{sku}", json=body).status_code == 200
        body = order_body([("TEE-M", 1)], customer={"email": "lea@example.com", "name": "Lea"})
        order: dict[str, Any] = client.post("/orders", json=body).json()
        for s in order["shipments"]:
            shipped = client.post(f"/shipments/{s['id']}/ship", json={"tracking_number": "1Z9"})
            assert shipped.status_code == 200, shipped.text
    return order


def test_a_shopper_on_a_phone_exchanges_a_tee_for_another_size(server: Any, browser: Any) -> None:
    from playwright.sync_api import expect

    order = _order_of_a_medium_tee(server)
    context = browser.new_context(**PHONE, bypass_csp=True, locale="en-US")
    page = context.new_page()
    page.goto(f"{server.url}/returns/start")
    page.get_by_label("Order number").fill(order["number"])
    page.get_by_label("E-mail address").fill("lea@example.com")
    page.get_by_role("button", name="Find my order").click()
    page.wait_for_url(f"{server.url}/returns/start?order=*")

    page.locator('select[name="quantity_TEE-M"]').select_option("1")
    page.get_by_label("Why are you returning them?").select_option(label="Size or fit")
    page.get_by_label("Exchange for a new one, or another size or colour").check()
    sizes = page.get_by_label("Exchange Product TEE-M for")
    expect(sizes.locator("option")).to_have_text(
        ["The same: M / Blue — in stock", "L / Blue — in stock", "S / Blue — out of stock"]
    )
    expect(sizes.locator('option[value="TEE-S"]')).to_be_disabled()
    sizes.select_option(label="L / Blue — in stock")
    assert _serious_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "returns-exchange-size-phone.png")
    page.get_by_role("button", name="Confirm my return").click()
    page.wait_for_url(f"{server.url}/returns/status/*")
    expect(page.get_by_text("An exchange")).to_be_visible()

    with server.client() as client:
        (rma,) = client.get(f"/orders/{order['id']}/returns").json()["items"]
    assert rma["exchange_for"] == {"TEE-M": "TEE-L"}
    context.close()
