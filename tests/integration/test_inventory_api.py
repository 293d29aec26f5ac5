"""Stock through the API: adjustments, transfers, safety stock, channel availability, ledger."""

from __future__ import annotations

from podium.bootstrap import Podium
from podium.inventory.summary import stock_by_sku
from support import Api, order_body, seed_store


def test_adjustments_write_the_ledger_with_reason_reference_and_actor(api: Api) -> None:
    seed_store(api, {("TEE", "EAST"): 10})
    r = api.post(
        "/inventory/adjustments",
        {
            "sku": "TEE",
            "warehouse": "EAST",
            "quantity": -3,
            "reason": "damaged",
            "reference": "count-7",
        },
        "operator",
    )
    assert r.status_code == 201
    assert r.json() == {
        "warehouse": "EAST",
        "on_hand": 7,
        "reserved": 0,
        "safety_stock": 0,
        "available": 7,
    }
    moves = api.ok("get", "/inventory/TEE/movements")["items"]
    assert [(m["kind"], m["on_hand_delta"], m["reason"]) for m in moves] == [
        ("adjustment", -3, "damaged"),
        ("receipt", 10, "receipt"),
    ]
    assert moves[0]["reference"] == "count-7"
    assert moves[0]["actor"] == "key:test operator"
    assert moves[0]["at"].endswith("Z")


def test_safety_stock_lowers_available_but_never_below_zero(api: Api) -> None:
    seed_store(api, {("TEE", "EAST"): 3})
    r = api.client.put(
        "/api/v1/inventory/TEE/locations/EAST", json={"safety_stock": 5}, headers=api.headers()
    )
    assert r.status_code == 200
    assert r.json()["available"] == 0
    inv = api.ok("get", "/inventory/TEE")
    assert (inv["on_hand"], inv["available"]) == (3, 0)
    refused = api.post("/orders", order_body([("TEE", 1)], external_id="s"))
    assert refused.status_code == 409


def test_transfer_moves_units_between_warehouses(api: Api) -> None:
    seed_store(api, {("TEE", "EAST"): 10}, warehouses=("EAST", "WEST"))
    r = api.post(
        "/inventory/transfers", {"sku": "TEE", "from": "EAST", "to": "WEST", "quantity": 4}
    )
    assert r.status_code == 201, r.text
    locs = {
        loc["warehouse"]: loc["on_hand"] for loc in api.ok("get", "/inventory/TEE")["locations"]
    }
    assert locs == {"EAST": 6, "WEST": 4}
    too_many = api.post(
        "/inventory/transfers", {"sku": "TEE", "from": "EAST", "to": "WEST", "quantity": 7}
    )
    assert too_many.status_code == 409
    assert api.ok("get", "/doctor")["ok"] is True


def test_channel_availability_sums_the_warehouses_that_feed_it(api: Api) -> None:
    seed_store(api, {("TEE", "EAST"): 4, ("TEE", "WEST"): 6})
    api.ok(
        "post", "/channels", {"code": "pos", "name": "Store", "type": "pos", "warehouses": ["WEST"]}
    )
    channels = {c["channel"]: c["available"] for c in api.ok("get", "/inventory/TEE")["channels"]}
    assert channels == {"web": 10, "pos": 6}
    # A POS order can only take WEST stock, even though EAST is "nearer" to nobody.
    r = api.post("/orders", order_body([("TEE", 7)], channel="pos", external_id="p1"))
    assert r.status_code == 409
    order = api.ok("post", "/orders", order_body([("TEE", 6)], channel="pos", external_id="p2"))
    assert order["shipments"][0]["warehouse"] == "WEST"
    # An inactive warehouse neither sells nor counts.
    api.patch("/warehouses/EAST", {"active": False})
    channels = {c["channel"]: c["available"] for c in api.ok("get", "/inventory/TEE")["channels"]}
    assert channels == {"web": 0, "pos": 0}


def test_patching_a_warehouse_changes_only_what_is_sent(api: Api) -> None:
    seed_store(api, {}, warehouses=("EAST",))
    r = api.patch("/warehouses/EAST", {"daily_order_capacity": 500, "priority": 5})
    assert r.status_code == 200
    w = r.json()
    assert (w["daily_order_capacity"], w["priority"], w["name"]) == (500, 5, "Newark DC")
    w = api.patch("/warehouses/EAST", {"daily_order_capacity": None}).json()
    assert w["daily_order_capacity"] is None
    assert w["priority"] == 5
    assert api.patch("/warehouses/EAST", {"priority": 1}, "operator").status_code == 403


def test_the_dashboard_stock_list_sums_per_sku_searches_and_pages(api: Api, podium: Podium) -> None:
    seed_store(
        api,
        {("TEE", "EAST"): 10, ("TEE", "WEST"): 4, ("MUG", "EAST"): 2},
        skus=["CAP"],
        warehouses=("EAST", "WEST"),
    )
    r = api.client.put(
        "/api/v1/inventory/MUG/locations/EAST", json={"safety_stock": 5}, headers=api.headers()
    )
    assert r.status_code == 200
    api.patch("/warehouses/WEST", {"active": False})
    assert api.post("/orders", order_body([("TEE", 3)], external_id="d")).status_code == 201
    page, after = stock_by_sku(podium.db)
    assert after is None
    assert [(s.sku, s.on_hand, s.reserved, s.available, s.locations) for s in page] == [
        ("CAP", 0, 0, 0, 0),
        ("MUG", 2, 0, 0, 1),  # safety stock above on hand: never below zero
        ("TEE", 14, 3, 7, 2),  # WEST is inactive: its units are not available
    ]
    assert page[0].name == "Product CAP"
    first, after = stock_by_sku(podium.db, limit=2)
    assert [s.sku for s in first] == ["CAP", "MUG"] and after == "MUG"
    rest, after = stock_by_sku(podium.db, after="MUG", limit=2)
    assert [s.sku for s in rest] == ["TEE"] and after is None
    assert [s.sku for s in stock_by_sku(podium.db, q="product t")[0]] == ["TEE"]
    assert [s.sku for s in stock_by_sku(podium.db, q="m")[0]] == ["MUG"]
