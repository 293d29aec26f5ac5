"""The returns pages over HTTP (TestClient), on both engines: the list's filters, search and
pages; one return's page and every action on it, with role checks and refusals."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from dashboard_support import Browser, cheap_passwords, sign_in
from fastapi import FastAPI
from fastapi.testclient import TestClient

from fulfilment_fakes import drain
from podium.bootstrap import Podium
from support import Api, order_body, seed_store


@pytest.fixture
def app(podium: Podium, api: Api) -> FastAPI:
    seed_store(api, {("TEE", "EAST"): 20, ("MUG", "EAST"): 10}, warehouses=("EAST",))
    api.ok("post", "/channels", {"code": "pos", "name": "Shop counter", "type": "manual"})
    assert isinstance(api.client.app, FastAPI)
    return cheap_passwords(api.client.app)


def _shipped(api: Api, podium: Podium, email: str = "ann@example.com", **extra: Any) -> Any:
    body = order_body([("TEE", 2), ("MUG", 1)], customer={"email": email, "name": "Ann"}, **extra)
    order = api.ok("post", "/orders", body)
    for s in order["shipments"]:
        api.ok("post", f"/shipments/{s['id']}/ship", {"tracking_number": "1Z999"})
    drain(podium)  # the payment is captured by the relay
    return order


def _return(api: Api, order: Any, approve: bool = False, sku: str = "TEE") -> Any:
    body = {"lines": [{"sku": sku, "quantity": 1, "reason": "size_fit"}], "approve": approve}
    return api.ok("post", f"/orders/{order['id']}/returns", body)


def _flash(browser: Browser, path: str) -> str:
    found = re.search(r'<div class="flash (\w+)"[^>]*>([^<]*)</div>', browser.get(path).text)
    assert found, "no flash message"
    return f"{found.group(1)}: {found.group(2)}"


def _listed(browser: Browser, **params: str) -> list[str]:
    response = browser.get("/returns", params=params)
    assert response.status_code == 200, response.text[:300]
    return re.findall(r'<td><a href="/returns/(rma_[0-9A-Z]+)">', response.text)


def test_the_list_filters_searches_and_pages_newest_first(
    app: FastAPI, podium: Podium, api: Api
) -> None:
    ann = _shipped(api, podium)
    bo = _shipped(api, podium, email="bo@example.com", channel="pos")
    first = _return(api, ann)
    second = _return(api, ann, approve=True, sku="MUG")
    third = _return(api, bo)
    browser = sign_in(app, podium, "readonly")
    assert _listed(browser) == [third["id"], second["id"], first["id"]]
    page = browser.get("/returns").text
    assert f'href="/orders/{ann["id"]}">#{ann["number"]}' in page and "size fit" in page
    assert _listed(browser, status="approved") == [second["id"]]
    assert _listed(browser, channel="pos") == [third["id"]]
    assert _listed(browser, q="BO@example.com") == [third["id"]]
    assert _listed(browser, q=ann["number"]) == [second["id"], first["id"]]
    assert _listed(browser, q=ann["number"].removeprefix("PD-")) == [second["id"], first["id"]]
    assert _listed(browser, q=first["id"].lower()) == [first["id"]]
    assert _listed(browser, q="nobody@example.com") == []
    today = datetime.now(UTC).date()
    assert len(_listed(browser, **{"from": today.isoformat(), "to": today.isoformat()})) == 3
    assert _listed(browser, **{"from": (today + timedelta(days=1)).isoformat()}) == []
    assert _listed(browser, to=(today - timedelta(days=1)).isoformat()) == []
    seen: list[str] = []
    url = "/returns?limit=2"
    while url:
        text = browser.get(url).text
        seen += re.findall(r'<td><a href="/returns/(rma_[0-9A-Z]+)">', text)
        nxt = re.search(r'href="(/returns\?[^"]*cursor=[^"]+)" rel="next"', text)
        url = nxt.group(1).replace("&amp;", "&") if nxt else ""
    assert seen == [third["id"], second["id"], first["id"]]
    for params in ({"status": "lost"}, {"from": "monday"}, {"cursor": "!!"}, {"limit": "0"}):
        bad = browser.get("/returns", params=params)
        assert bad.status_code == 422 and 'role="alert"' in bad.text, params
    assert "/returns" in browser.get("/").text  # in the menu


def test_an_operator_walks_a_return_from_approval_to_a_closed_refund(
    app: FastAPI, podium: Podium, api: Api
) -> None:
    order = _shipped(api, podium)
    rma = _return(api, order)
    browser = sign_in(app, podium, "operator")
    path = f"/returns/{rma['id']}"
    page = browser.get(path).text
    assert "Approve return" in page and f'action="{path}/refund"' not in page
    assert browser.post(f"{path}/approve").status_code == 303
    assert _flash(browser, path) == "ok: Return approved."
    assert browser.post(f"{path}/label", {"warehouse": ""}).status_code == 303
    assert _flash(browser, path).startswith("ok: Return label bought")
    label = api.ok("get", f"{path}/label")
    page = browser.get(path).text
    assert label["tracking_number"] in page and f'href="{path}/label.pdf"' in page
    pdf = browser.get(f"{path}/label.pdf")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    zpl = browser.get(f"{path}/label.zpl")
    assert zpl.text.startswith("^XA") and label["tracking_number"] in zpl.text
    assert browser.post(f"{path}/ship", {"carrier": "", "tracking_number": ""}).status_code == 303
    assert api.ok("get", path)["status"] == "in_transit"
    on_hand = api.ok("get", "/inventory/TEE")["on_hand"]
    received = browser.post(
        f"{path}/receive",
        {
            "receive_sku": "TEE",
            "receive_quantity": "1",
            "receive_disposition": "restock",
            "receive_warehouse": "",
        },
    )
    assert received.status_code == 303
    assert _flash(browser, path) == "ok: Received 1 unit(s); the return is inspected."
    assert api.ok("get", "/inventory/TEE")["on_hand"] == on_hand + 1
    refunded = browser.post(f"{path}/refund", {"amount": "", "method": "original_payment"})
    assert refunded.status_code == 303
    assert _flash(browser, path) == "ok: Refunded 19.99 USD."
    done = api.ok("get", path)
    assert done["status"] == "closed" and done["refunds"][0]["amount"] == "19.99"
    page = browser.get(path).text
    assert 'id="return-status">closed<' in page and "nothing is left to do" in page
    for event in ("return.approved", "return.label_created", "return.in_transit"):
        assert event in page, event
    assert "return.received" in page and "refund.issued" in page
    timeline = api.ok("get", f"/orders/{order['id']}/timeline")["items"]
    assert {e["actor"] for e in timeline if e["type"] == "refund.issued"} == {
        "user:operator@example.com"
    }
    assert "refund" in browser.get(f"/orders/{order['id']}").text


def test_reject_void_close_and_exchange_from_the_page(
    app: FastAPI, podium: Podium, api: Api
) -> None:
    order = _shipped(api, podium)
    browser = sign_in(app, podium, "operator")
    rejected = _return(api, order)
    path = f"/returns/{rejected['id']}"
    assert browser.post(f"{path}/reject", {"note": "worn"}).status_code == 303
    assert api.ok("get", path)["status"] == "rejected"
    voided = _return(api, order, approve=True)
    path = f"/returns/{voided['id']}"
    browser.post(f"{path}/label", {})
    assert browser.post(f"{path}/label/void").status_code == 303
    assert _flash(browser, path) == "ok: Return label voided."
    assert api.get(f"{path}/label").status_code == 404
    assert browser.post(f"{path}/close").status_code == 303  # approved: refund-only, closed
    assert api.ok("get", path)["status"] == "closed"
    swapped = _return(api, order, approve=True, sku="MUG")
    path = f"/returns/{swapped['id']}"
    made = browser.post(
        f"{path}/exchange", {"sku": "MUG", "quantity": "1", "unit_price": "0", "advance": "yes"}
    )
    assert made.status_code == 303
    assert "placed (held until the return arrives)" in _flash(browser, path)
    replacement = api.ok("get", path)["exchange_order_id"]
    assert replacement and api.ok("get", f"/orders/{replacement}")["status"] == "on_hold"
    assert f'href="/orders/{replacement}"' in browser.get(path).text


def test_roles_see_only_their_actions_and_cross_role_or_forged_posts_change_nothing(
    app: FastAPI, podium: Podium, api: Api
) -> None:
    order = _shipped(api, podium)
    rma = _return(api, order)
    path = f"/returns/{rma['id']}"
    readonly = sign_in(app, podium, "readonly")
    page = readonly.get(path).text
    assert f'action="{path}/' not in page and "<button" not in page.split("<main")[1]
    support = sign_in(app, podium, "support")
    warehouse = sign_in(app, podium, "warehouse")
    operator = sign_in(app, podium, "operator")
    receive = {
        "receive_sku": "TEE",
        "receive_quantity": "1",
        "receive_disposition": "restock",
        "receive_warehouse": "",
    }
    refused = [
        (readonly, "approve", {}),
        (warehouse, "approve", {}),
        (readonly, "reject", {}),
        (support, "receive", receive),
        (support, "refund", {}),
        (warehouse, "refund", {}),
        (support, "close", {}),
        (support, "exchange", {"sku": "TEE"}),
        (readonly, "label", {}),
    ]
    for who, act, form in refused:
        assert who.post(f"{path}/{act}", form).status_code == 403, (who, act)
    assert operator.post(f"{path}/approve", csrf="forged").status_code == 403
    stranger = TestClient(app).post(f"{path}/approve", data={"csrf_token": operator.csrf})
    assert stranger.status_code == 403
    assert api.ok("get", path)["status"] == "requested"
    assert 'action="' + path + '/receive"' not in support.get(path).text
    assert support.post(f"{path}/approve").status_code == 303
    assert api.ok("get", path)["status"] == "approved"
    page = warehouse.get(path).text
    assert f'action="{path}/receive"' in page and f'action="{path}/refund"' not in page
    assert warehouse.post(f"{path}/refund", {}).status_code == 403
    assert api.ok("get", f"/orders/{order['id']}/refunds")["items"] == []


def test_bad_receipts_and_refunds_are_told_and_change_nothing(
    app: FastAPI, podium: Podium, api: Api
) -> None:
    order = _shipped(api, podium)
    rma = _return(api, order, approve=True)
    path = f"/returns/{rma['id']}"
    browser = sign_in(app, podium, "operator")
    on_hand = api.ok("get", "/inventory/TEE")["on_hand"]
    cases = {
        "more than this return still expects": {"receive_quantity": "2"},
        "Enter how many units arrived": {"receive_quantity": "0"},
        "must be a whole number": {"receive_quantity": "one"},
        "disposition": {"receive_quantity": "1", "receive_disposition": "burn"},
        "Unknown warehouse": {"receive_quantity": "1", "receive_warehouse": "MOON"},
    }
    for expected, form in cases.items():
        body = {
            "receive_sku": "TEE",
            "receive_disposition": "restock",
            "receive_warehouse": "",
            **form,
        }
        assert browser.post(f"{path}/receive", body).status_code == 303
        flash = _flash(browser, path)
        assert flash.startswith("error:") and expected in flash, (expected, flash)
    assert api.ok("get", path)["lines"][0]["quantity_received"] == 0
    assert api.ok("get", "/inventory/TEE")["on_hand"] == on_hand
    for amount, expected in (("500.00", "Refusing to refund"), ("abc", "amount")):
        browser.post(f"{path}/refund", {"amount": amount})
        flash = _flash(browser, path)
        assert flash.startswith("error:") and expected in flash, flash
    assert api.ok("get", f"/orders/{order['id']}/refunds")["items"] == []
    assert browser.post(f"{path}/reject", {"note": ""}).status_code == 303
    assert browser.post(f"{path}/approve").status_code == 303
    assert "A return that is rejected cannot become approved." in _flash(browser, path)
    missing = browser.get("/returns/rma_nope")
    assert missing.status_code == 404 and "No return" in missing.text
    assert browser.get("/returns/rma_nope/label.pdf").status_code == 404
    assert browser.get(f"{path}/label.pdf").status_code == 404  # no label bought
