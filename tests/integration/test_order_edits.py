"""Editing an order before shipment: stock re-reserved, routing re-run, totals recomputed,
before and after on the timeline; nothing half-written when the edit is refused."""

from __future__ import annotations

from typing import Any

from podium.bootstrap import Podium
from podium.inventory.doctor import examine
from support import Api, order_body, seed_store


def _reserved(api: Api, sku: str) -> int:
    return int(api.ok("get", f"/inventory/{sku}")["reserved"])


def _order(api: Api) -> dict[str, Any]:
    seed_store(api, {("TEE", "EAST"): 5, ("MUG", "WEST"): 5, ("HAT", "EAST"): 1})
    body = order_body([("TEE", 2), ("MUG", 1)], shipping_total="5.00")
    return dict(api.ok("post", "/orders", body))


def test_edit_changes_quantities_adds_and_removes_lines_and_rereserves(
    api: Api, podium: Podium
) -> None:
    order = _order(api)
    assert (_reserved(api, "TEE"), _reserved(api, "MUG")) == (2, 1)
    edited = api.patch(
        f"/orders/{order['id']}",
        {
            "lines": [
                {"sku": "TEE", "quantity": 3},
                {"sku": "MUG", "quantity": 0},
                {"sku": "HAT", "quantity": 1, "unit_price": "12.00"},
            ],
            "note": "customer called",
        },
    )
    assert edited.status_code == 200, edited.text
    view = edited.json()
    assert view["subtotal"] == "71.97"  # 3 × 19.99 + 12.00
    assert view["total"] == "76.97"
    live = {ln["sku"]: ln["quantity"] - ln["quantity_cancelled"] for ln in view["lines"]}
    assert live == {"TEE": 3, "MUG": 0, "HAT": 1}
    assert (_reserved(api, "TEE"), _reserved(api, "MUG"), _reserved(api, "HAT")) == (3, 0, 1)
    open_ships = [s for s in view["shipments"] if s["status"] != "cancelled"]
    assert {s["warehouse"] for s in open_ships} == {"EAST"}
    entry = next(
        e
        for e in api.ok("get", f"/orders/{order['id']}/timeline")["items"]
        if e["type"] == "order.edited"
    )
    assert entry["data"]["before"]["total"] == "64.97"
    assert entry["data"]["after"]["total"] == "76.97"
    assert {ln["sku"] for ln in entry["data"]["before"]["lines"]} == {"TEE", "MUG"}
    assert examine(podium.db).ok


def test_edit_changes_the_address_and_reroutes(api: Api) -> None:
    seed_store(api, {("TEE", "EAST"): 5, ("TEE", "WEST"): 5})
    order = api.ok("post", "/orders", order_body([("TEE", 1)], postal_code="94105"))
    assert order["shipments"][0]["warehouse"] == "WEST"
    moved = api.ok(
        "post",
        f"/orders/{order['id']}/edit",
        {
            "shipping_address": {
                "line1": "1 Broad St",
                "city": "New York",
                "region": "NY",
                "postal_code": "10004",
                "country": "US",
            }
        },
    )
    assert moved["shipping_address"]["city"] == "New York"
    live = [s for s in moved["shipments"] if s["status"] != "cancelled"]
    assert [s["warehouse"] for s in live] == ["EAST"]


def test_an_edit_short_of_stock_is_refused_and_nothing_changes(api: Api, podium: Podium) -> None:
    order = _order(api)
    r = api.patch(f"/orders/{order['id']}", {"lines": [{"sku": "TEE", "quantity": 9}]})
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "insufficient_stock"
    again = api.ok("get", f"/orders/{order['id']}")
    assert again["total"] == order["total"]
    assert [s["status"] for s in again["shipments"]] == [s["status"] for s in order["shipments"]]
    assert (_reserved(api, "TEE"), _reserved(api, "MUG")) == (2, 1)
    assert examine(podium.db).ok


def test_edit_refusals_are_explained(api: Api) -> None:
    order = _order(api)
    path = f"/orders/{order['id']}"
    new_without_price = api.patch(path, {"lines": [{"sku": "HAT", "quantity": 1}]})
    assert new_without_price.json()["error"]["code"] == "unit_price_required"
    unknown = api.patch(path, {"lines": [{"sku": "NOPE", "quantity": 1, "unit_price": "1.00"}]})
    assert unknown.json()["error"]["code"] == "unknown_sku"
    empty = api.patch(
        path, {"lines": [{"sku": "TEE", "quantity": 0}, {"sku": "MUG", "quantity": 0}]}
    )
    assert empty.json()["error"]["code"] == "no_lines_left"
    assert (
        api.patch(path, {"lines": [{"sku": "TEE", "quantity": 1}]}, role="support").status_code
        == 403
    )
    for s in order["shipments"]:
        api.ok("post", f"/shipments/{s['id']}/ship", {})
    shipped = api.patch(path, {"lines": [{"sku": "TEE", "quantity": 1}]})
    assert shipped.status_code == 409
    assert shipped.json()["error"]["code"] == "order_not_editable"
