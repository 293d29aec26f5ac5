"""The full order page and the returns pages in a real browser (Debian's chromium driven by
Playwright) on `podium serve`: an operator opens a shipped order, gets its label, creates a
return from the order page, finds it in /returns and settles it. Saves the README's
screenshots of these pages (docs/screenshots/order-full.png, returns.png, return.png)."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

from browser_support import add_users, needs_chromium, screenshot, sign_in
from support import order_body, seed_http

pytestmark = needs_chromium


def _shipped_order(server: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    with server.client() as client:
        seed_http(client, {("TEE", "EAST"): 10, ("MUG", "EAST"): 5}, warehouses=("EAST",))
        body = order_body(
            [("TEE", 2), ("MUG", 1)],
            customer={"email": "lea@example.com", "name": "Lea Park"},
            promised_date="2031-03-02",
        )
        order = client.post("/orders", json=body).json()
        shipment = order["shipments"][0]["id"]
        label = client.post(f"/shipments/{shipment}/label", json={}).json()
        assert client.post(f"/shipments/{shipment}/ship", json={}).status_code == 200
        client.post(f"/orders/{order['id']}/notes", json={"message": "Asked for gift wrap"})
        deadline = time.monotonic() + 30
        while client.get(f"/orders/{order['id']}/payments").json()["captured"] != "59.97":
            assert time.monotonic() < deadline, "the relay did not capture the payment"
            time.sleep(0.2)
    return order, label


def test_an_operator_returns_part_of_a_shipped_order_in_a_browser(
    server: Any, browser: Any
) -> None:
    from playwright.sync_api import expect

    order, label = _shipped_order(server)
    add_users(server, operator="ops@example.com", readonly="viewer@example.com")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    sign_in(page, server.url, "ops@example.com")

    # the shipped order: carrier, tracking, promise, documents, payments
    page.goto(f"{server.url}/orders/{order['id']}")
    shipments = page.locator("#shipments")
    expect(shipments).to_contain_text(label["tracking_number"])
    expect(shipments).to_contain_text("2031-03-02")
    pdf_link = page.get_by_role("link", name=re.compile(r"^Label PDF"))
    expect(pdf_link).to_be_visible()
    pdf = context.request.get(f"{server.url}{pdf_link.get_attribute('href')}")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"^Label ZPL")).click()
    zpl = Path(download.value.path()).read_text()
    assert zpl.startswith("^XA") and label["tracking_number"] in zpl
    expect(page.locator("#payments")).to_contain_text("capture")
    expect(page.locator("#net-paid")).to_have_text("59.97 USD")

    # create a return of one tee from the order page
    page.locator("#create-return summary").click()
    page.get_by_label("Units of TEE to return").fill("1")
    page.get_by_label("Reason for returning TEE").select_option("size_fit")
    page.locator("#return-note").fill("Too small")
    page.get_by_label("Approve it now").check()
    page.get_by_role("button", name="Create return").click()
    page.wait_for_url(re.compile(r"/returns/rma_"))
    rma_id = page.url.rsplit("/", 1)[1]
    expect(page.locator("#return-status")).to_have_text("approved")
    expect(page.locator("#timeline")).to_contain_text("return.created")

    # find it in the returns list by the customer's e-mail
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Returns").click()
    page.get_by_label("Search").fill("lea@example.com")
    page.get_by_role("button", name="Apply").click()
    expect(page.locator("#returns-list tbody tr")).to_have_count(1)
    expect(page.locator("#returns-list")).to_contain_text("size fit")
    screenshot(page, "returns.png")
    page.get_by_role("link", name=rma_id).click()
    page.wait_for_url(f"{server.url}/returns/{rma_id}")

    # buy its label, then receive the tee into stock and refund it
    page.get_by_role("button", name="Buy return label").click()
    expect(page.locator(".flash")).to_contain_text("Return label bought")
    expect(page.get_by_role("link", name="Return label PDF")).to_be_visible()
    screenshot(page, "return.png")
    page.get_by_label("Disposition of TEE").select_option("restock")
    page.get_by_role("button", name="Record receipt").click()
    expect(page.locator("#return-status")).to_have_text("inspected")
    expect(page.locator("#return-lines tbody tr").first).to_contain_text("1")
    page.get_by_role("button", name="Refund", exact=True).click()
    expect(page.locator(".flash")).to_contain_text("Refunded 19.99 USD.")
    expect(page.locator("#return-status")).to_have_text("closed")
    expect(page.locator("#timeline")).to_contain_text("refund.issued")

    # back on the order page: the return and its refund, the payments that follow
    page.get_by_role("link", name=f"#{order['number']}").click()
    expect(page.locator("#returns")).to_contain_text(rma_id)
    expect(page.locator("#returns")).to_contain_text("19.99 USD")
    expect(page.locator("#net-paid")).to_have_text("39.98 USD")
    screenshot(page, "order-full.png")
    context.close()

    with server.client() as client:
        assert client.get("/inventory/TEE").json()["on_hand"] == 9  # 10 − 2 shipped + 1 back
        assert client.get(f"/returns/{rma_id}").json()["status"] == "closed"

    # a read-only user sees the return but no action, and a forged POST changes nothing
    context = browser.new_context(viewport={"width": 820, "height": 1180})  # a tablet
    page = context.new_page()
    sign_in(page, server.url, "viewer@example.com")
    page.goto(f"{server.url}/returns/{rma_id}")
    expect(page.locator("#return-status")).to_have_text("closed")
    assert page.locator("main button").count() == 0
    page.goto(f"{server.url}/orders/{order['id']}")
    assert page.locator("main button").count() == 0
    assert page.locator("#create-return").count() == 0
    token = page.locator('input[name="csrf_token"]').first.get_attribute("value")
    refused = context.request.post(
        f"{server.url}/orders/{order['id']}/returns",
        form={"csrf_token": token, "return_sku": "TEE", "return_quantity": "1"},
        max_redirects=0,
    )
    assert refused.status == 403
    context.close()
    with server.client() as client:
        assert len(client.get(f"/orders/{order['id']}/returns").json()["items"]) == 1
