"""The returns portal in a real browser (Debian's chromium driven by Playwright) on `podium
serve`, at a phone viewport (390×844) and a desktop one: a wrong e-mail gets the same answer
as an unknown order; a shopper returns an item with a photo, downloads the label once staff
approve, and sees the status change when staff receive it; then asks for an exchange; no
serious or critical axe-core violations on any page. Saves the README's screenshots
(docs/screenshots/returns-*.png) when PODIUM_SCREENSHOTS=1."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from browser_support import needs_chromium, screenshot
from support import order_body, seed_http

pytestmark = needs_chromium

AXE = Path(__file__).resolve().parents[1] / "vendor" / "axe-core" / "axe.min.js"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


@pytest.fixture(autouse=True)
def _uploads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The server keeps the photos under the test's own directory."""
    monkeypatch.setenv("PODIUM_UPLOADS_DIR", str(tmp_path / "uploads"))


def _shipped_order(server: Any) -> dict[str, Any]:
    with server.client() as client:
        seed_http(client, {("TEE", "EAST"): 5, ("MUG", "EAST"): 5})
        body = order_body(
            [("TEE", 2), ("MUG", 1)], customer={"email": "lea@example.com", "name": "Lea Park"}
        )
        order: dict[str, Any] = client.post("/orders", json=body).json()
        for s in order["shipments"]:
            shipped = client.post(f"/shipments/{s['id']}/ship", json={"tracking_number": "1Z9"})
            assert shipped.status_code == 200, shipped.text
    return order


def _serious_violations(page: Any) -> list[dict[str, Any]]:
    page.add_script_tag(path=str(AXE))
    found: list[dict[str, Any]] = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
            .filter(v => ['serious', 'critical'].includes(v.impact))
            .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.html)}))"""
    )
    return found


def _look_up(page: Any, number: str, email: str) -> None:
    page.get_by_label("Order number").fill(number)
    page.get_by_label("E-mail address").fill(email)
    page.get_by_role("button", name="Find my order").click()


def _staff(server: Any, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    with server.client() as client:
        done = client.request(method, path, json=body if body is not None else {})
        assert done.status_code < 300, done.text
        return done.json()


def _photo(tmp_path: Path) -> Path:
    path = tmp_path / "scuffed.png"
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (180, 40, 40)).save(out, "PNG")
    path.write_bytes(out.getvalue())
    return path


def test_a_shopper_returns_an_item_gets_the_label_and_sees_it_received_then_exchanges(
    server: Any, browser: Any, device: str, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    order = _shipped_order(server)
    viewport = PHONE if device == "phone" else DESKTOP
    context = browser.new_context(
        **viewport, bypass_csp=True, locale="en-US", accept_downloads=True
    )
    page = context.new_page()

    page.goto(f"{server.url}/returns/start")
    expect(page.get_by_role("heading", name="Return items")).to_be_visible()
    assert _serious_violations(page) == []
    _look_up(page, "PD-999999", "lea@example.com")
    unknown = page.get_by_role("alert").inner_text()
    _look_up(page, order["number"], "someone.else@example.com")
    expect(page.get_by_role("alert")).to_have_text(unknown)
    assert unknown == "We could not find an order with that number and e-mail address."
    screenshot(page, f"returns-lookup-{device}.png")
    _look_up(page, order["number"], "lea@example.com")
    page.wait_for_url(f"{server.url}/returns/start?order=*")

    heading = f"Return items from order {order['number']}"
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page.get_by_text("You can return items within 30 days of shipping.")).to_be_visible()
    assert _serious_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["viewport"]["width"]  # type: ignore[index]
    screenshot(page, f"returns-form-{device}.png")
    form_url = page.url
    tee = next(ln["name"] for ln in order["lines"] if ln["sku"] == "TEE")
    page.get_by_label(tee).select_option("1")
    page.get_by_label("Why are you returning them?").select_option(label="Arrived damaged")
    page.get_by_label("Anything else we should know? (optional)").fill("A seam came open.")
    page.get_by_label("A photo (optional").set_input_files(str(_photo(tmp_path)))
    page.get_by_label("Refund to my original payment").check()
    page.get_by_role("button", name="Confirm my return").click()
    page.wait_for_url(f"{server.url}/returns/status/*")

    status = page.locator("#return-status")
    expect(status).to_contain_text("Waiting for approval")
    expect(page.get_by_text("A refund")).to_be_visible()
    assert "lea@example.com" not in page.content()
    assert _serious_violations(page) == []
    screenshot(page, f"returns-status-{device}.png")

    with server.client() as client:
        (rma,) = client.get(f"/orders/{order['id']}/returns").json()["items"]
    _staff(server, "POST", f"/returns/{rma['id']}/approve")
    label = _staff(server, "POST", f"/returns/{rma['id']}/label")
    page.reload()
    expect(status).to_contain_text("Approved: send it back")
    expect(page.get_by_role("region", name="Your return label")).to_contain_text(
        label["tracking_number"]
    )
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the label (PDF)").click()
    saved = download.value.path()
    assert Path(saved).read_bytes().startswith(b"%PDF")
    assert _serious_violations(page) == []
    screenshot(page, f"returns-label-{device}.png")

    receive = {"lines": [{"sku": "TEE", "quantity": 1, "disposition": "restock"}]}
    _staff(server, "POST", f"/returns/{rma['id']}/receive", receive)
    page.reload()
    expect(status).to_contain_text("Received")

    # An exchange of the mug, through the same form (stock checked on the server).
    page.goto(form_url)
    mug = next(ln["name"] for ln in order["lines"] if ln["sku"] == "MUG")
    expect(page.get_by_text(f"{mug}: in stock for an exchange")).to_be_visible()
    page.get_by_label(mug).select_option("1")
    page.get_by_label("Why are you returning them?").select_option(label="Does not work")
    page.get_by_label("Exchange for a new one of the same item").check()
    page.get_by_role("button", name="Confirm my return").click()
    page.wait_for_url(f"{server.url}/returns/status/*")
    expect(page.get_by_text("An exchange")).to_be_visible()
    with server.client() as client:
        made = client.get(f"/orders/{order['id']}/returns").json()["items"]
    assert any("Shopper asks for an exchange: MUG × 1." in (r["note"] or "") for r in made)
    context.close()
