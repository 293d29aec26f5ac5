"""The shopper's order status page in a real browser (Debian's chromium driven by Playwright)
on `podium serve`, at a phone viewport (390×844) and a desktop one: the look-up by number and
e-mail (a wrong e-mail first), the status page with two parcels and a carrier's event, no
serious or critical axe-core violations, and the page's weight and time to first render.
Saves the README's screenshots (docs/screenshots/track-*.png) when PODIUM_SCREENSHOTS=1."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from browser_support import needs_chromium, screenshot
from podium import fulfillment
from podium.db.database import Database
from podium.db.engine import build_engine
from support import order_body, seed_http

pytestmark = needs_chromium

AXE = Path(__file__).resolve().parents[1] / "vendor" / "axe-core" / "axe.min.js"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


def _split_order(server: Any) -> dict[str, Any]:
    """Two parcels from two warehouses; the first shipped and out for delivery."""
    with server.client() as client:
        seed_http(client, {("TEE", "EAST"): 5, ("MUG", "WEST"): 5})
        body = order_body(
            [("TEE", 2), ("MUG", 1)],
            customer={"email": "lea@example.com", "name": "Lea Park"},
            promised_date="2031-03-02",
        )
        order: dict[str, Any] = client.post("/orders", json=body).json()
        first = order["shipments"][0]["id"]
        shipped = client.post(
            f"/shipments/{first}/ship", json={"tracking_number": "1Z999AA10123456784"}
        )
        assert shipped.status_code == 200, shipped.text
    db = Database(build_engine(server.database_url, pool_size=1))
    try:  # what a carrier's webhook does
        with db.write() as conn:
            fulfillment.apply_tracking(
                conn, first, "out_for_delivery", "On the van, Seattle WA", "carrier:ups"
            )
    finally:
        db.dispose()
    return order


def _serious_violations(page: Any) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    found: list[dict[str, Any]] = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
            .filter(v => ['serious', 'critical'].includes(v.impact))
            .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.html)}))"""
    )
    return found


def _figures(page: Any) -> dict[str, float]:
    """Bytes over the wire (document and everything it loaded) and paint times (ms)."""
    figures: dict[str, float] = page.evaluate(
        """async () => {
            // Paint entries may land just after the load event: wait for them (buffered).
            const paints = await new Promise(resolve => {
                const seen = () => performance.getEntriesByType('paint');
                if (seen().length >= 2) return resolve(seen());
                new PerformanceObserver(() => {
                    if (seen().length >= 2) resolve(seen());
                }).observe({type: 'paint', buffered: true});
                setTimeout(() => resolve(seen()), 3000);
            });
            const nav = performance.getEntriesByType('navigation')[0];
            const loaded = performance.getEntriesByType('resource');
            const paint = Object.fromEntries(paints.map(p => [p.name, p.startTime]));
            return {
                document_bytes: nav.encodedBodySize,
                transfer_bytes: nav.transferSize + loaded.reduce((s, r) => s + r.transferSize, 0),
                decoded_bytes:
                    nav.decodedBodySize + loaded.reduce((s, r) => s + r.decodedBodySize, 0),
                requests: 1 + loaded.length,
                response_end_ms: nav.responseEnd,
                first_paint_ms: paint['first-paint'] ?? -1,
                first_contentful_paint_ms: paint['first-contentful-paint'] ?? -1,
            };
        }"""
    )
    return figures


def _look_up(page: Any, url: str, number: str, email: str) -> None:
    page.get_by_label("Order number").fill(number)
    page.get_by_label("E-mail address").fill(email)
    page.get_by_role("button", name="Find my order").click()


def test_a_shopper_finds_their_order_and_sees_where_each_parcel_is(
    server: Any, browser: Any, device: str
) -> None:
    from playwright.sync_api import expect

    order = _split_order(server)
    context = browser.new_context(
        **(PHONE if device == "phone" else DESKTOP), bypass_csp=True, locale="en-US"
    )
    page = context.new_page()

    page.goto(f"{server.url}/track")
    expect(page.get_by_role("heading", name="Track your order")).to_be_visible()
    assert _serious_violations(page) == []
    _look_up(page, server.url, order["number"], "someone.else@example.com")
    expect(page.get_by_role("alert")).to_have_text(
        "We could not find an order with that number and e-mail address."
    )
    screenshot(page, f"track-lookup-{device}.png")
    _look_up(page, server.url, order["number"], "lea@example.com")
    page.wait_for_url(f"{server.url}/track/*")

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Order {order['number']}")
    expect(page.get_by_text("Hello Lea, here is where your order is.")).to_be_visible()
    expect(page.get_by_text("no single warehouse had every item")).to_be_visible()
    first = page.get_by_role("region", name="Parcel 1 of 2: Out for delivery")
    expect(first.locator('[aria-current="step"]')).to_contain_text("Out for delivery")
    expect(first).to_contain_text("1Z999AA10123456784")
    expect(first).to_contain_text("On the van, Seattle WA")
    expect(page.get_by_role("region", name="Parcel 2 of 2: Being prepared")).to_be_visible()
    expect(page.get_by_text("March 2, 2031").first).to_be_visible()
    expect(page.get_by_role("link", name="Start a return")).to_be_visible()
    assert "lea@example.com" not in page.content()
    assert _serious_violations(page) == []
    # Nothing runs off the side of the screen.
    width = (PHONE if device == "phone" else DESKTOP)["viewport"]
    assert isinstance(width, dict)
    assert page.evaluate("document.documentElement.scrollWidth") <= width["width"]
    screenshot(page, f"track-{device}.png")

    # A cold load in a fresh browser context for the figures (nothing cached, no axe script).
    cold = browser.new_context(**(PHONE if device == "phone" else DESKTOP))
    fresh = cold.new_page()
    fresh.goto(page.url, wait_until="load")
    figures = _figures(fresh)
    cold.close()
    print(f"\nshopper status page ({device}): {json.dumps(figures)}")
    assert figures["transfer_bytes"] < 60_000
    assert 0 < figures["first_contentful_paint_ms"] < 5_000

    # The same page in German, by the language links at its foot.
    page.get_by_role("link", name="Deutsch").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Bestellung {order['number']}")
    expect(page.get_by_text("2. März 2031").first).to_be_visible()
    assert _serious_violations(page) == []
    if device == "phone":
        screenshot(page, "track-phone-de.png")
    context.close()
