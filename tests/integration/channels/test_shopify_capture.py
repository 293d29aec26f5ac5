"""What a captured Shopify order means (issue 14), end to end through the webhook: prices that
include tax, POS sales handed over at the till, lines without a SKU, and bad input."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from channel_support import add_shopify_channel, drain, post_webhook
from fakes.channels.shopify import FakeShopify
from podium.bootstrap import Podium
from podium.channels.connector import Fulfilment
from support import Api, seed_store

SAMPLES = Path(__file__).parents[2] / "payloads" / "shopify"
STORE_LOCATION = "655441491"


def sample(name: str) -> Any:
    return json.loads((SAMPLES / name).read_text())


@pytest.fixture
def shop() -> Iterator[FakeShopify]:
    with FakeShopify() as fake:
        yield fake


@pytest.fixture
def store(api: Api, shop: FakeShopify) -> Api:
    seed_store(api, {("TEE-M", "EAST"): 5, ("TEE-M", "WEST"): 5})
    add_shopify_channel(api, "shop", shop, settings={"locations": {STORE_LOCATION: "WEST"}})
    return api


def _capture(api: Api, name: str, payload: Any = None) -> dict[str, Any]:
    r = post_webhook(api, "shop", "orders/create", payload or sample(name))
    assert r.status_code == 200, r.text
    order: dict[str, Any] = api.ok("get", f"/orders/{r.json()['order_id']}")
    return order


def _stock(api: Api, warehouse: str) -> tuple[int, int]:
    levels = api.ok("get", "/inventory/TEE-M")["locations"]
    level = next(x for x in levels if x["warehouse"] == warehouse)
    return level["on_hand"], level["reserved"]


def test_a_tax_inclusive_order_totals_what_was_paid_and_owes_nothing(store: Api) -> None:
    order = _capture(store, "order_taxes_included.json")
    assert order["total"] == "52.90"  # Shopify's total_price, not 52.90 + 8.82
    assert order["tax_total"] == "8.82"
    assert order["taxes_included"] is True
    assert order["payment_status"] == "paid"  # no balance due equal to the tax
    timeline = store.ok("get", f"/orders/{order['id']}/timeline")["items"]
    assert not any("total_price" in e["message"] for e in timeline)


def test_a_refund_of_a_tax_inclusive_line_is_the_price_paid(store: Api) -> None:
    order = _capture(store, "order_taxes_included.json")
    shipment = order["shipments"][0]["id"]
    assert store.post(f"/shipments/{shipment}/ship", {}, role="warehouse").status_code == 200
    rma = store.ok(
        "post", f"/orders/{order['id']}/returns", {"lines": [{"sku": "TEE-M", "quantity": 1}]}
    )
    store.ok("post", f"/returns/{rma['id']}/approve", {})
    store.ok(
        "post",
        f"/returns/{rma['id']}/receive",
        {"lines": [{"sku": "TEE-M", "quantity": 1, "disposition": "restock"}]},
    )
    refund = store.post(f"/returns/{rma['id']}/refund", {})
    assert refund.status_code == 201, refund.text
    assert refund.json()["amount"] == "24.00"  # the unit's price; its VAT is inside


def test_a_pos_sale_takes_the_stores_stock_and_needs_no_shipment(store: Api) -> None:
    order = _capture(store, "order_pos.json")
    assert order["handed_over"] == "in_store"
    assert order["status"] == "delivered"
    assert order["holds"] == []
    (shipment,) = order["shipments"]
    assert shipment["warehouse"] == "WEST"  # the mapped store, whatever routing prefers
    assert shipment["status"] == "delivered"
    assert shipment["carrier"] is None and shipment["tracking_number"] is None
    assert _stock(store, "WEST") == (4, 0)  # on hand down, nothing left reserved
    assert _stock(store, "EAST") == (5, 0)
    picks = store.post("/warehouses/WEST/pick-lists", {})
    assert picks.status_code >= 400 or picks.json()["shipments"] == []
    timeline = store.ok("get", f"/orders/{order['id']}/timeline")["items"]
    assert any(e["type"] == "order.handed_over" for e in timeline)
    assert not any(e["type"] == "shipment.shipped" for e in timeline)


def test_a_pos_sale_at_an_unmapped_store_is_held_not_lost(store: Api) -> None:
    payload = sample("order_pos.json")
    payload["location_id"] = 12345
    order = _capture(store, "", payload)
    assert order["status"] == "on_hold"
    assert [h["reason"] for h in order["holds"]] == ["location"]
    assert order["shipments"] == []  # nothing reserved anywhere, nothing to pick
    assert _stock(store, "WEST") == (5, 0) and _stock(store, "EAST") == (5, 0)
    refused = store.post(f"/orders/{order['id']}/release", {})
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "hand_over_required"
    done = store.post(f"/orders/{order['id']}/hand-over", {"warehouse": "EAST"}, role="operator")
    assert done.status_code == 200, done.text
    handed = done.json()
    assert handed["status"] == "delivered" and handed["holds"] == []
    assert [(s["warehouse"], s["status"]) for s in handed["shipments"]] == [("EAST", "delivered")]
    assert _stock(store, "EAST") == (4, 0)
    again = store.post(f"/orders/{order['id']}/hand-over", {"warehouse": "EAST"})
    assert again.status_code == 409


def test_a_line_without_sku_is_held_then_mapped_and_its_shipment_names_the_line(
    store: Api, podium: Podium, monkeypatch: pytest.MonkeyPatch
) -> None:
    order = _capture(store, "order_null_sku.json")
    assert order["status"] == "on_hold"
    assert [h["reason"] for h in order["holds"]] == ["unknown_sku"]
    assert order["lines"][0]["sku"] == "variant:9007199254740997"
    store.ok("post", "/products", {"sku": "BOWL", "name": "Bowl"})
    store.ok(
        "post",
        "/inventory/adjustments",
        {"sku": "BOWL", "warehouse": "EAST", "quantity": 2, "reason": "receipt"},
    )
    mapped = store.client.put(
        "/api/v1/channels/shop/listings/BOWL",
        json={"remote_id": "777", "remote_sku": "variant:9007199254740997"},
        headers=store.headers(),
    )
    assert mapped.status_code == 200, mapped.text
    released = store.ok("post", f"/orders/{order['id']}/release", {})
    assert released["lines"][0]["sku"] == "BOWL"
    sent: list[Fulfilment] = []
    connector = podium.connectors.for_type("shopify")
    assert connector is not None
    monkeypatch.setattr(connector, "mark_shipped", lambda _c, _s, f: sent.append(f))
    shipment = released["shipments"][0]["id"]
    assert store.post(f"/shipments/{shipment}/ship", {}, role="warehouse").status_code == 200
    drain(podium)
    assert [f.line_items for f in sent] == [[("9007199254740995", 1)]]


def test_a_line_without_sku_resolved_by_editing_the_order_ships_under_its_line_id(
    store: Api, podium: Podium, monkeypatch: pytest.MonkeyPatch
) -> None:
    order = _capture(store, "order_null_sku.json")
    store.ok("post", "/products", {"sku": "BOWL", "name": "Bowl"})
    store.ok(
        "post",
        "/inventory/adjustments",
        {"sku": "BOWL", "warehouse": "EAST", "quantity": 2, "reason": "receipt"},
    )
    lines = [
        {"sku": "variant:9007199254740997", "quantity": 0},
        {"sku": "BOWL", "quantity": 1, "unit_price": "40.00"},
    ]
    edited = store.post(f"/orders/{order['id']}/edit", {"lines": lines}, role="operator")
    assert edited.status_code == 200, edited.text
    released = store.ok("post", f"/orders/{order['id']}/release", {})
    assert released["status"] == "ready"
    sent: list[Fulfilment] = []
    connector = podium.connectors.for_type("shopify")
    assert connector is not None
    monkeypatch.setattr(connector, "mark_shipped", lambda _c, _s, f: sent.append(f))
    shipment = released["shipments"][0]["id"]
    assert store.post(f"/shipments/{shipment}/ship", {}, role="warehouse").status_code == 200
    drain(podium)
    assert [f.line_items for f in sent] == [[("9007199254740995", 1)]]


def test_odd_input_is_captured_with_exact_money(store: Api) -> None:
    order = _capture(store, "order_odd.json")
    assert order["external_id"] == "18446744073709551615"
    assert order["currency"] == "KWD"
    assert order["total"] == "12.750"
    assert order["lines"][0]["quantity"] == 2


def test_a_payload_that_is_not_an_order_is_refused_with_the_field(store: Api) -> None:
    r = post_webhook(store, "shop", "orders/create", {"currency": "USD", "line_items": []})
    assert r.status_code == 422
    assert r.json()["error"]["details"]["field"] == "id"
    odd = sample("order_odd.json")
    odd["currency"] = "XYZ"  # no such ISO 4217 code
    r = post_webhook(store, "shop", "orders/create", odd, delivery_id="w-odd")
    assert r.status_code == 422
    assert r.json()["error"]["details"]["field"] == "currency"
    # Never lost: both deliveries are kept, marked failed with their reason.
    assert store.ok("get", "/channels/shop/health")["failed_deliveries"] == 2
