"""The dashboard over HTTP (TestClient), on both engines: sign-in, roles, CSRF, pages, actions."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from dashboard_support import PASSWORD, add_user, cheap_passwords, csrf_of, login, sign_in
from fastapi import FastAPI
from fastapi.testclient import TestClient

from podium.api.app import create_app
from podium.bootstrap import Podium
from podium.db.tables import shipments
from podium.users.service import disable_user
from support import Api, order_body, seed_store

PAGES = [
    "/",
    "/orders",
    "/orders/rows",
    "/inventory",
    "/inventory/SKU-1",
    "/exceptions",
    "/warehouse",
    "/warehouse?warehouse=EAST&status=released",
    "/channels",
    "/settings/warehouses",
    "/settings/routing-rules",
    "/settings/automation-rules",
    "/settings/channels",
    "/settings/keys",
    "/settings/users",
]


@pytest.fixture
def app(podium: Podium, api: Api) -> FastAPI:
    seed_store(api, {("SKU-1", "EAST"): 10, ("SKU-2", "WEST"): 5})
    assert isinstance(api.client.app, FastAPI)
    return cheap_passwords(api.client.app)


def _order(api: Api, **extra: Any) -> dict[str, Any]:
    placed: dict[str, Any] = api.ok("post", "/orders", order_body([("SKU-1", 1)], **extra))
    return placed


def _found(pattern: str, text: str) -> str:
    match = re.search(pattern, text)
    assert match, pattern
    return match.group(1)


def test_without_a_valid_session_nothing_opens(app: FastAPI, podium: Podium) -> None:
    client = TestClient(app)
    response = client.get("/orders?status=ready", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/orders%3Fstatus%3Dready"
    assert client.get("/", follow_redirects=False).headers["location"] == "/login"
    polled = client.get("/orders/rows", headers={"HX-Request": "true"})
    assert polled.status_code == 401 and polled.headers["HX-Redirect"] == "/login"
    assert client.get("/docs").status_code == 200
    browser = sign_in(app, podium, "readonly")
    token = browser.client.cookies["podium_session"]
    body, _, mac = token.partition(".")
    browser.client.cookies.set("podium_session", body[:-2] + "xx." + mac)
    assert browser.get("/").status_code == 303
    add_user(podium, "ops@example.com", "operator")
    client = TestClient(app)
    done = client.post(
        "/login", data={"email": "ops@example.com", "password": PASSWORD}, follow_redirects=False
    )
    assert done.status_code == 403
    assert client.get("/", follow_redirects=False).status_code == 303


def test_sign_in_sets_an_httponly_samesite_session_and_never_redirects_off_site(
    app: FastAPI, podium: Podium
) -> None:
    add_user(podium, "ops@example.com", "operator")
    client = TestClient(app)
    page = client.get("/login?next=/inventory")
    done = client.post(
        "/login",
        data={
            "email": "OPS@example.com",
            "password": PASSWORD,
            "csrf_token": csrf_of(page.text),
            "next": "/inventory",
        },
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == "/inventory"
    cookie = done.headers["set-cookie"].lower()
    assert "podium_session=" in cookie and "httponly" in cookie and "samesite=lax" in cookie
    assert "ops@example.com" in client.get("/").text
    add_user(podium, "ops@example.com", "operator")
    client = TestClient(app)
    page = client.get("/login")
    done = client.post(
        "/login",
        data={
            "email": "ops@example.com",
            "password": PASSWORD,
            "csrf_token": csrf_of(page.text),
            "next": "//evil.example/",
        },
        follow_redirects=False,
    )
    assert done.headers["location"] == "/"


def test_wrong_passwords_are_refused_then_rate_limited_with_429(
    app: FastAPI, podium: Podium
) -> None:
    add_user(podium, "ops@example.com", "operator")
    client = TestClient(app)
    codes = [login(client, "ops@example.com", "wrong password!").status_code for _ in range(6)]
    assert codes[:5] == [401] * 5
    assert codes[5] == 429
    limited = login(client, "ops@example.com")  # even the right password waits now
    assert limited.status_code == 429 and "Retry-After" in limited.headers
    assert "podium_session" not in limited.headers.get("set-cookie", "")


def test_every_page_renders_and_unknown_things_are_404_pages(
    app: FastAPI, podium: Podium, api: Api
) -> None:
    order = _order(api)
    browser = sign_in(app, podium, "admin")
    for path in [*PAGES, f"/orders/{order['id']}"]:
        response = browser.get(path)
        assert response.status_code == 200, (path, response.text[:500])
        assert "text/html" in response.headers["content-type"]
        assert "default-src 'self'" in response.headers["content-security-policy"]
    browser = sign_in(app, podium, "readonly")
    assert browser.get("/orders/ord_nope").status_code == 404
    assert browser.get("/inventory/NOPE").status_code == 404


def test_search_finds_an_order_by_email_number_external_id_and_name(
    app: FastAPI, podium: Podium, api: Api
) -> None:
    wanted = api.ok(
        "post",
        "/orders",
        order_body(
            [("SKU-1", 1)],
            external_id="SHOP-77",
            customer={"email": "zoe@example.com", "name": "Zoë Quinn"},
        ),
    )
    other = _order(api)
    browser = sign_in(app, podium, "support")
    digits = wanted["number"].removeprefix("PD-")
    for q in ["ZOE@example.com", wanted["number"], f"#{digits}", digits, "SHOP-77", "quinn"]:
        page = browser.get("/orders", params={"q": q}).text
        assert f"/orders/{wanted['id']}" in page, q
        assert f"/orders/{other['id']}" not in page, q


def test_queue_filters_pages_and_refuses_bad_filters_with_422(
    app: FastAPI, podium: Podium, api: Api
) -> None:
    tagged = _order(api, tags=["vip"])
    held = _order(api)
    api.ok("post", f"/orders/{held['id']}/hold", {"reason": "fraud_review"})
    browser = sign_in(app, podium, "readonly")
    on_hold = browser.get("/orders", params={"status": "on_hold"}).text
    assert held["id"] in on_hold and tagged["id"] not in on_hold
    fraud = browser.get("/orders", params={"hold_reason": "fraud_review"}).text
    assert held["id"] in fraud and tagged["id"] not in fraud
    vip = browser.get("/orders", params={"tag": "vip"}).text
    assert tagged["id"] in vip and held["id"] not in vip
    by_wh = browser.get("/orders", params={"warehouse": "WEST"}).text
    assert tagged["id"] not in by_wh
    ids = {_order(api)["id"] for _ in range(7)}
    browser = sign_in(app, podium, "readonly")
    seen: list[str] = []
    url = "/orders?limit=3&sort=oldest"
    while url:
        page = browser.get(url).text
        seen += re.findall(r'href="/orders/(ord_[0-9A-Z]+)"', page)
        nxt = re.search(r'href="(/orders\?[^"]*cursor=[^"]+)" rel="next"', page)
        url = nxt.group(1).replace("&amp;", "&") if nxt else ""
    assert len(seen) == len(set(seen)) == 9 and ids <= set(seen)
    browser = sign_in(app, podium, "readonly")
    for params in ({"status": "lost"}, {"from": "yesterday"}, {"cursor": "!!"}, {"sort": "x"}):
        response = browser.get("/orders", params=params)
        assert response.status_code == 422, params
        assert 'role="alert"' in response.text


def test_hold_and_release_from_the_order_page_write_the_timeline(
    app: FastAPI, podium: Podium, api: Api
) -> None:
    order = _order(api)
    browser = sign_in(app, podium, "support")
    held = browser.post(
        f"/orders/{order['id']}/hold", {"reason": "address", "note": "Check flat number"}
    )
    assert held.status_code == 303
    page = browser.get(f"/orders/{order['id']}").text
    assert "On hold (address): Check flat number" in page
    assert "by user:support@example.com" in page
    hold_id = api.ok("get", f"/orders/{order['id']}")["holds"][0]["id"]
    assert browser.post(f"/orders/{order['id']}/release", {"hold_id": hold_id}).status_code == 303
    view = api.ok("get", f"/orders/{order['id']}")
    assert view["status"] == "ready" and view["holds"] == []
    timeline = api.ok("get", f"/orders/{order['id']}/timeline")["items"]
    types = [e["type"] for e in timeline]
    assert types.index("order.held") < types.index("order.hold_released")
    assert timeline[-1]["actor"] == "user:support@example.com"
    page = browser.get(f"/orders/{order['id']}").text
    assert page.index("order.hold_released") < page.index("order.held")  # newest first


def test_notes_and_cancel_go_through_the_lifecycle_and_bad_input_is_told(
    app: FastAPI, podium: Podium, api: Api
) -> None:
    order = _order(api)
    browser = sign_in(app, podium, "operator")
    assert (
        browser.post(f"/orders/{order['id']}/notes", {"message": "Called Ann"}).status_code == 303
    )
    assert browser.post(f"/orders/{order['id']}/cancel", {"reason": "asked"}).status_code == 303
    view = api.ok("get", f"/orders/{order['id']}")
    assert view["status"] == "cancelled"
    types = [e["type"] for e in api.ok("get", f"/orders/{order['id']}/timeline")["items"]]
    assert "note.added" in types and "order.cancelled" in types
    again = browser.post(f"/orders/{order['id']}/cancel", {})
    assert again.status_code == 303  # refused by the status machine: told, not crashed
    assert "cannot become cancelled" in browser.get(f"/orders/{order['id']}").text
    order = _order(api)
    browser = sign_in(app, podium, "support")
    browser.post(f"/orders/{order['id']}/notes", {"message": "  "})
    assert 'class="flash error"' in browser.get(f"/orders/{order['id']}").text
    types = [e["type"] for e in api.ok("get", f"/orders/{order['id']}/timeline")["items"]]
    assert "note.added" not in types


def test_a_post_without_the_csrf_token_is_refused_and_the_htmx_header_works(
    app: FastAPI, podium: Podium, api: Api
) -> None:
    order = _order(api)
    browser = sign_in(app, podium, "admin")
    assert browser.post(f"/orders/{order['id']}/hold", {}, csrf="").status_code == 403
    assert browser.post(f"/orders/{order['id']}/hold", {}, csrf="forged").status_code == 403
    stranger = TestClient(app)
    assert (
        stranger.post(f"/orders/{order['id']}/hold", data={"csrf_token": browser.csrf}).status_code
        == 403
    )
    assert api.ok("get", f"/orders/{order['id']}")["status"] == "ready"
    order = _order(api)
    browser = sign_in(app, podium, "support")
    response = browser.client.post(
        f"/orders/{order['id']}/notes",
        data={"message": "via htmx"},
        headers={"X-CSRF-Token": browser.csrf},
        follow_redirects=False,
    )
    assert response.status_code == 303


def test_readonly_sees_no_actions_and_cross_role_requests_are_forbidden(
    app: FastAPI, podium: Podium, api: Api
) -> None:
    order = _order(api)
    browser = sign_in(app, podium, "readonly")
    page = browser.get(f"/orders/{order['id']}").text
    for action in ("/hold", "/release", "/cancel", "/notes"):
        assert f'action="/orders/{order["id"]}{action}"' not in page
    assert "/adjust" not in browser.get("/inventory/SKU-1").text
    assert browser.post(f"/orders/{order['id']}/hold", {}).status_code == 403
    assert (
        browser.post("/inventory/SKU-1/adjust", {"warehouse": "EAST", "quantity": "5"}).status_code
        == 403
    )
    assert api.ok("get", f"/orders/{order['id']}")["status"] == "ready"
    assert api.ok("get", "/inventory/SKU-1")["on_hand"] == 10
    support = sign_in(app, podium, "support")
    assert support.get("/settings/users").status_code == 403
    assert support.get("/settings/keys").status_code == 403
    assert (
        support.post("/settings/users", {"email": "x@example.com", "role": "admin"}).status_code
        == 403
    )
    assert (
        "Users" not in support.get("/settings/warehouses").text.split("<main")[1].split("</nav>")[0]
    )
    warehouse = sign_in(app, podium, "warehouse")
    assert (
        warehouse.post(
            "/inventory/SKU-1/adjust", {"warehouse": "EAST", "quantity": "1"}
        ).status_code
        == 403
    )


def test_inventory_search_and_adjusting_stock_from_the_sku_page(
    app: FastAPI, podium: Podium, api: Api
) -> None:
    browser = sign_in(app, podium, "readonly")
    page = browser.get("/inventory", params={"q": "SKU-2"}).text
    assert "/inventory/SKU-2" in page and "/inventory/SKU-1" not in page
    browser = sign_in(app, podium, "operator")
    done = browser.post(
        "/inventory/SKU-1/adjust",
        {"warehouse": "EAST", "quantity": "-3", "reason": "damaged", "reference": "CS-9"},
    )
    assert done.status_code == 303
    assert api.ok("get", "/inventory/SKU-1")["on_hand"] == 7
    page = browser.get("/inventory/SKU-1").text
    assert "on hand is now 7" in page
    assert "CS-9" in page and "damaged" in page and "user:operator@example.com" in page
    bad = browser.post("/inventory/SKU-1/adjust", {"warehouse": "EAST", "quantity": "-99"})
    assert bad.status_code == 303
    assert "Not enough stock" in browser.get("/inventory/SKU-1").text
    browser.post("/inventory/SKU-1/adjust", {"warehouse": "EAST", "quantity": "lots"})
    assert "whole number" in browser.get("/inventory/SKU-1").text
    assert api.ok("get", "/inventory/SKU-1")["on_hand"] == 7


def test_bulk_release_from_exceptions(app: FastAPI, podium: Podium, api: Api) -> None:
    orders = [_order(api) for _ in range(3)]
    for o in orders:
        api.ok("post", f"/orders/{o['id']}/hold", {"reason": "fraud_review"})
    browser = sign_in(app, podium, "support")
    page = browser.get("/exceptions").text
    assert "Fraud review" in page and page.count('name="hold"') == 3
    boxes = re.findall(r'name="hold" value="([^"]+)"', page)
    assert (
        browser.client.post(
            "/exceptions/release",
            data={"csrf_token": browser.csrf, "hold": boxes[:2]},
            follow_redirects=False,
        ).status_code
        == 303
    )
    assert [api.ok("get", f"/orders/{o['id']}")["status"] for o in orders].count("ready") == 2
    browser.post("/exceptions/release", {"reason": "fraud_review"})
    assert all(api.ok("get", f"/orders/{o['id']}")["status"] == "ready" for o in orders)


def test_admin_manages_keys_users_and_warehouses(app: FastAPI, podium: Podium, api: Api) -> None:
    admin = sign_in(app, podium, "admin")
    made = admin.post("/settings/keys", {"name": "erp", "role": "readonly"})
    assert made.status_code == 201
    secret = _found(r'id="new-key" class="secret">(pdm_[^<]+)<', made.text)
    assert (
        api.client.get("/api/v1/orders", headers={"Authorization": f"Bearer {secret}"}).status_code
        == 200
    )
    key_id = next(k["id"] for k in api.ok("get", "/keys")["items"] if k["name"] == "erp")
    assert admin.post(f"/settings/keys/{key_id}/revoke").status_code == 303
    assert (
        api.client.get("/api/v1/orders", headers={"Authorization": f"Bearer {secret}"}).status_code
        == 401
    )
    admin.post(
        "/settings/users", {"email": "new@example.com", "role": "support", "password": "short"}
    )
    assert "at least 10 characters" in admin.get("/settings/users").text
    admin.post(
        "/settings/users", {"email": "new@example.com", "role": "support", "password": PASSWORD}
    )
    assert "new@example.com" in admin.get("/settings/users").text
    assert login(TestClient(app), "new@example.com").status_code == 303
    listed = api.ok("get", "/users")["items"]
    assert {u["email"] for u in listed} >= {"admin@example.com", "new@example.com"}
    made_by_api = api.post(
        "/users", {"email": "Api@Example.com", "role": "readonly", "password": PASSWORD}
    )
    assert made_by_api.status_code == 201 and made_by_api.json()["email"] == "api@example.com"
    weak = api.post("/users", {"email": "weak@example.com", "role": "readonly", "password": "x"})
    assert weak.status_code == 422 and weak.json()["error"]["code"] == "weak_password"
    assert (
        api.post(
            "/users",
            {"email": "s@example.com", "role": "admin", "password": PASSWORD},
            role="operator",
        ).status_code
        == 403
    )
    disabled = api.post(f"/users/{made_by_api.json()['id']}/disable")
    assert disabled.status_code == 200 and disabled.json()["active"] is False
    assert api.post("/users/usr_nope/disable").status_code == 404
    admin = sign_in(app, podium, "admin")
    done = admin.post(
        "/settings/warehouses/WEST",
        {"name": "Oakland hub", "priority": "5", "daily_order_capacity": "300"},
    )
    assert done.status_code == 303
    west = api.ok("get", "/warehouses/WEST")
    assert (west["name"], west["priority"], west["active"], west["daily_order_capacity"]) == (
        "Oakland hub",
        5,
        False,
        300,
    )


def test_disabled_users_lose_their_session_and_processes_share_the_key(
    app: FastAPI, podium: Podium
) -> None:
    browser = sign_in(app, podium, "support")
    disable_user(podium.db, "support@example.com")
    assert browser.get("/orders").status_code == 303
    assert login(TestClient(app), "support@example.com").status_code == 401
    browser = sign_in(app, podium, "readonly")
    other = cheap_passwords(
        create_app(podium, run_relay=False)
    )  # a second process' app: no key in memory
    client = TestClient(other)
    client.cookies.set("podium_session", browser.client.cookies["podium_session"])
    assert client.get("/", follow_redirects=False).status_code == 200


def test_home_figures_chart_and_the_live_rows_fragment(
    app: FastAPI, podium: Podium, api: Api
) -> None:
    for _ in range(2):
        _order(api)
    browser = sign_in(app, podium, "readonly")
    page = browser.get("/").text
    assert "39.98 USD" in page
    assert page.count("<rect") == 24
    assert "Orders per hour, last 24 hours: 2 in all" in page
    assert '>0</span><span class="caption">shipments late' in page
    assert "events waiting · oldest " in page  # no relay runs in these tests: events wait
    channels = browser.get("/settings/channels").text
    assert "the oldest has waited" in channels and "none yet" not in channels
    with podium.db.write() as conn:  # one shipment was promised for three days ago
        first = conn.execute(sa.select(shipments.c.id).limit(1)).scalar_one()
        conn.execute(
            shipments.update()
            .where(shipments.c.id == first)
            .values(promised_by=(datetime.now(UTC) - timedelta(days=3)).date())
        )
    page = browser.get("/").text
    assert '>1</span><span class="caption">shipments late' in page
    assert "No order matches" in browser.get("/orders/rows?q=nobody@example.com").text
    order = _order(api)
    fragment = browser.get("/orders/rows").text
    assert f"/orders/{order['id']}" in fragment and "<html" not in fragment
    assert 'hx-trigger="every 5s"' in browser.get("/orders").text
