"""Orders whose goods already changed hands (issue 14) and tax-inclusive prices, through the
REST API and the dashboard: a till sale takes its store's stock with nothing to ship, a
channel-fulfilled sale is recorded with no Podium stock, and prices that include tax are
totalled once."""

from __future__ import annotations

from typing import Any

import pytest
from dashboard_support import cheap_passwords, sign_in
from fastapi import FastAPI

from podium.bootstrap import Podium
from support import Api, order_body, seed_store


@pytest.fixture
def store(api: Api) -> Api:
    seed_store(api, {("TEE", "EAST"): 5, ("TEE", "WEST"): 5})
    return api


def _level(api: Api, warehouse: str) -> tuple[int, int]:
    found = api.ok("get", "/inventory/TEE")["locations"]
    level = next(x for x in found if x["warehouse"] == warehouse)
    return level["on_hand"], level["reserved"]


def test_a_till_sale_through_the_api_takes_the_stores_stock_at_once(store: Api) -> None:
    body = order_body([("TEE", 2)], external_id="till-1", handed_over="in_store", warehouse="WEST")
    r = store.post("/orders", body)
    assert r.status_code == 201, r.text
    order = r.json()
    assert order["status"] == "delivered" and order["handed_over"] == "in_store"
    assert [(s["warehouse"], s["status"]) for s in order["shipments"]] == [("WEST", "delivered")]
    assert _level(store, "WEST") == (3, 0) and _level(store, "EAST") == (5, 0)
    again = store.post("/orders", body)
    assert again.status_code == 200 and again.json()["id"] == order["id"]
    assert _level(store, "WEST") == (3, 0)


def test_a_till_sale_without_its_store_is_refused_naming_the_field(store: Api) -> None:
    r = store.post("/orders", order_body([("TEE", 1)], handed_over="in_store"))
    assert r.status_code == 422
    assert r.json()["error"]["details"]["field"] == "warehouse"
    r = store.post("/orders", order_body([("TEE", 1)], warehouse="WEST"))
    assert r.status_code == 422
    assert r.json()["error"]["details"]["field"] == "warehouse"
    r = store.post("/orders", order_body([("TEE", 1)], handed_over="in_store", warehouse="NOPE"))
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "unknown_warehouse"
    assert store.ok("get", "/orders")["items"] == []  # nothing half-written


def test_a_till_sale_short_of_stock_is_refused_like_any_order(store: Api) -> None:
    body = order_body([("TEE", 9)], handed_over="in_store", warehouse="WEST")
    r = store.post("/orders", body)
    assert r.status_code == 409 and r.json()["error"]["code"] == "insufficient_stock"


def test_a_channel_fulfilled_sale_is_recorded_without_podium_stock(store: Api) -> None:
    r = store.post("/orders", order_body([("TEE", 2)], handed_over="by_channel"))
    assert r.status_code == 201, r.text
    order = r.json()
    assert order["status"] == "shipped"
    assert order["fulfillment_status"] == "fulfilled_by_channel"
    assert order["shipments"] == []
    assert _level(store, "EAST") == (5, 0) and _level(store, "WEST") == (5, 0)
    listed = store.ok("get", "/orders?status=shipped")["items"]
    assert [o["id"] for o in listed] == [order["id"]]
    refused = store.post(f"/orders/{order['id']}/cancel", {})
    assert refused.status_code == 409


def test_a_handed_over_tag_sent_on_an_ordinary_order_is_not_taken(store: Api) -> None:
    body = order_body([("TEE", 1)], tags=["handed_over:by_channel", "vip"])
    order = store.ok("post", "/orders", body)
    assert order["handed_over"] is None and order["tags"] == ["vip"]
    assert order["status"] == "ready" and len(order["shipments"]) == 1


def test_a_channel_fulfilled_sale_from_a_mapped_warehouse_takes_its_stock(store: Api) -> None:
    body = order_body([("TEE", 1)], handed_over="by_channel", warehouse="EAST")
    order = store.ok("post", "/orders", body)
    assert order["status"] == "delivered"
    assert _level(store, "EAST") == (4, 0)


def test_tax_inclusive_prices_are_totalled_once(store: Api) -> None:
    body = order_body([("TEE", 1)], tax_total="3.33", shipping_total="0.00", taxes_included=True)
    order = store.ok("post", "/orders", body)
    assert order["total"] == "19.99" and order["tax_total"] == "3.33"
    assert order["taxes_included"] is True
    plain = store.ok("post", "/orders", order_body([("TEE", 1)], tax_total="3.33"))
    assert plain["total"] == "23.32" and plain["taxes_included"] is False


def test_the_order_page_says_the_tax_is_included(store: Api, podium: Podium, api: Any) -> None:
    body = order_body([("TEE", 1)], tax_total="3.33", taxes_included=True)
    order = store.ok("post", "/orders", body)
    assert isinstance(api.client.app, FastAPI)
    browser = sign_in(cheap_passwords(api.client.app), podium, "readonly")
    page = browser.get(f"/orders/{order['id']}").text
    assert "incl. tax" in page and "Tax (incl. in prices)" in page
