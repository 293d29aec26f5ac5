"""The dashboard's first-hour rough edges: not-found pages, the favicon, offline API docs."""

from __future__ import annotations

import re
from typing import Any

import pytest
from dashboard_support import cheap_passwords, sign_in
from fastapi import FastAPI
from fastapi.testclient import TestClient

from podium.bootstrap import Podium
from support import Api, order_body, seed_store


@pytest.fixture
def app(podium: Podium, api: Api) -> FastAPI:
    seed_store(api, {("SKU-1", "EAST"): 10})
    assert isinstance(api.client.app, FastAPI)
    return cheap_passwords(api.client.app)


def test_an_unknown_order_says_not_found_and_a_forbidden_page_says_not_allowed(
    app: FastAPI, podium: Podium
) -> None:
    browser = sign_in(app, podium, "readonly")
    missing = browser.get("/orders/ord_nope")
    assert missing.status_code == 404
    assert "<h1>Not found</h1>" in missing.text and "Not allowed" not in missing.text
    forbidden = browser.get("/settings/users")
    assert forbidden.status_code == 403
    assert "<h1>Not allowed</h1>" in forbidden.text


def test_an_unknown_dashboard_page_is_an_html_404_and_the_api_keeps_json(
    app: FastAPI, podium: Podium, api: Api
) -> None:
    browser = sign_in(app, podium, "readonly")
    page = browser.get("/no-such-page")
    assert page.status_code == 404
    assert "text/html" in page.headers["content-type"]
    assert "<h1>Not found</h1>" in page.text and "/no-such-page" in page.text
    assert 'href="/orders"' in page.text  # the menu is there to find the way back
    anonymous = TestClient(app).get("/nothing/here")
    assert anonymous.status_code == 404 and "text/html" in anonymous.headers["content-type"]
    api_missing = api.client.get("/api/v1/no-such-thing")
    assert api_missing.status_code == 404
    assert api_missing.json()["error"]["code"] == "not_found"
    not_allowed = api.client.delete("/api/v1/health")
    assert not_allowed.status_code == 405 and "error" in not_allowed.json()


def test_the_favicon_is_served_and_linked_from_every_page(app: FastAPI, podium: Podium) -> None:
    client = TestClient(app)
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200
    assert icon.headers["content-type"] == "image/x-icon"
    assert icon.content[:4] == b"\x00\x00\x01\x00"
    svg = client.get("/static/favicon.svg")
    assert svg.status_code == 200 and b"<svg" in svg.content
    for html in (client.get("/login").text, sign_in(app, podium, "readonly").get("/").text):
        assert '<link rel="icon" href="/static/favicon.svg"' in html
        assert 'href="/favicon.ico"' in html


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_api_docs_load_every_asset_from_podium_itself(app: FastAPI, path: str) -> None:
    client = TestClient(app)
    page = client.get(path)
    assert page.status_code == 200
    assert page.headers["content-security-policy"] == "img-src 'self' data:"
    assets = re.findall(r"""(?:src|href)=["']([^"']+)["']""", page.text)
    assets += re.findall(r"""url:\s*['"]([^'"]+)['"]""", page.text)
    assert assets, page.text
    assert not re.search(r"https?://", page.text.replace("http://www.w3.org", "")), page.text
    for asset in assets:
        assert asset.startswith("/"), asset
        assert client.get(asset).status_code == 200, asset
    assert client.get("/api/v1/openapi.json").status_code == 200


def _big_backorder(api: Api) -> dict[str, Any]:
    body = order_body([("SKU-1", 13)], external_id="A-1001", on_shortage="backorder")
    body["lines"][0]["unit_price"] = "1234.50"
    body["shipping_total"] = "1000.00"
    placed: dict[str, Any] = api.ok("post", "/orders", body)
    return placed


def test_order_page_money_has_thousands_separators_and_a_currency_on_every_row(
    app: FastAPI, podium: Podium, api: Api
) -> None:
    order = _big_backorder(api)
    page = sign_in(app, podium, "readonly").get(f"/orders/{order['id']}").text
    assert '<td class="num">16,048.50 USD</td>' in page  # the line, and the subtotal
    assert '<th scope="row" colspan="6">Shipping</th><td class="num">1,000.00 USD</td>' in page
    assert '<th scope="row" colspan="6">Tax</th><td class="num">0.00 USD</td>' in page
    assert "17,048.50 USD" in page
    assert not re.search(r">\s*\d{4,}\.\d\d", page), "an amount without grouping"


def test_pages_name_the_channel_label_the_external_id_and_spell_out_hold_reasons(
    app: FastAPI, podium: Podium, api: Api
) -> None:
    order = _big_backorder(api)
    browser = sign_in(app, podium, "operator")
    page = browser.get(f"/orders/{order['id']}").text
    assert '<span id="order-channel">Web store</span>' in page
    assert 'external id <span id="external-id">A-1001</span>' in page
    assert "<strong>Waiting for stock</strong>" in page
    assert '<option value="fraud_review">Fraud review</option>' in page
    queue = browser.get("/orders").text
    assert "<td>Web store</td>" in queue and "<td>web</td>" not in queue
    assert "external id A-1001" in queue
    assert ">Waiting for stock</option>" in queue
    assert "Waiting for stock" in browser.get("/exceptions").text


def test_a_backorder_hold_says_what_is_short_on_the_order_page_and_in_exceptions(
    app: FastAPI, podium: Podium, api: Api
) -> None:
    order = _big_backorder(api)
    assert order["status"] == "on_hold"
    browser = sign_in(app, podium, "readonly")
    page = browser.get(f"/orders/{order['id']}").text
    assert '<span class="shortage">SKU-1 × 3 (10 of 13 allocated)</span>' in page
    exceptions = browser.get("/exceptions").text
    assert '<th scope="col">Short</th>' in exceptions
    assert "<td>SKU-1 × 3 (10 of 13 allocated)</td>" in exceptions
    queue = browser.get("/orders?status=on_hold").text
    assert "Waiting for stock: SKU-1 × 3 (10 of 13 allocated)" in queue
    assert "Waiting for stock: SKU-1" in browser.get("/orders/rows").text
