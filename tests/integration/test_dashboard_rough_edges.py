"""The dashboard's first-hour rough edges: not-found pages, the favicon, offline API docs."""

from __future__ import annotations

import re

import pytest
from dashboard_support import cheap_passwords, sign_in
from fastapi import FastAPI
from fastapi.testclient import TestClient

from podium.bootstrap import Podium
from support import Api, seed_store


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
    assets = re.findall(r"""(?:src|href)=["']([^"']+)["']""", page.text)
    assets += re.findall(r"""url:\s*['"]([^'"]+)['"]""", page.text)
    assert assets, page.text
    assert not re.search(r"https?://", page.text.replace("http://www.w3.org", "")), page.text
    for asset in assets:
        assert asset.startswith("/"), asset
        assert client.get(asset).status_code == 200, asset
    assert client.get("/api/v1/openapi.json").status_code == 200
