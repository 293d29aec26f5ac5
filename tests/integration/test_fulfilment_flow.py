"""Shipments through the warehouse: release (auto or in waves), pick, pack, ship, short pick;
the order follows its shipments."""

from __future__ import annotations

from fulfilment_fakes import drain
from podium.bootstrap import Podium
from support import Api, order_body, seed_store


def _types(api: Api, order_id: str) -> list[str]:
    return [e["type"] for e in api.ok("get", f"/orders/{order_id}/timeline")["items"]]


def _events(api: Api) -> list[str]:
    return [e["type"] for e in api.ok("get", "/events?limit=500")["items"]]


def test_a_placed_order_is_released_to_its_warehouse_by_the_relay(api: Api, podium: Podium) -> None:
    seed_store(api, {("TEE", "EAST"): 5})
    order = api.ok("post", "/orders", order_body([("TEE", 2)], external_id="r1"))
    shipment_id = order["shipments"][0]["id"]
    assert order["shipments"][0]["status"] == "pending"
    drain(podium)
    assert api.ok("get", f"/shipments/{shipment_id}")["status"] == "released"
    assert "shipment.released" in _types(api, order["id"])
    assert "shipment.released" in _events(api)
    drain(podium)  # a redelivery releases nothing twice
    assert _types(api, order["id"]).count("shipment.released") == 1


def test_a_wave_warehouse_keeps_shipments_pending_until_a_wave_is_released(
    api: Api, podium: Podium
) -> None:
    seed_store(api, {("TEE", "EAST"): 5})
    settings = api.client.put(
        "/api/v1/warehouses/EAST/fulfillment",
        json={"release_mode": "wave"},
        headers=api.headers(),
    )
    assert settings.status_code == 200, settings.text
    assert settings.json()["release_mode"] == "wave"
    first = api.ok("post", "/orders", order_body([("TEE", 1)], external_id="w1"))
    second = api.ok("post", "/orders", order_body([("TEE", 1)], external_id="w2"))
    drain(podium)
    assert api.ok("get", f"/shipments/{first['shipments'][0]['id']}")["status"] == "pending"
    queue = api.ok("get", "/warehouses/EAST/shipments?status=pending", role="warehouse")["items"]
    assert [s["id"] for s in queue] == [first["shipments"][0]["id"], second["shipments"][0]["id"]]
    assert api.get("/warehouses/EAST/shipments?status=lost").status_code == 422
    assert api.get("/warehouses/NOPE/shipments").status_code == 404
    wave = api.post("/warehouses/EAST/waves", {}, "warehouse")
    assert wave.status_code == 201, wave.text
    ids = [first["shipments"][0]["id"], second["shipments"][0]["id"]]
    assert wave.json()["shipments"] == ids
    assert {api.ok("get", f"/shipments/{i}")["status"] for i in ids} == {"released"}


def test_pick_pack_ship_walks_the_machine_and_the_order_follows(api: Api, podium: Podium) -> None:
    seed_store(api, {("TEE", "EAST"): 5, ("CAP", "WEST"): 5})
    order = api.ok("post", "/orders", order_body([("TEE", 1), ("CAP", 1)], external_id="p1"))
    drain(podium)
    east, west = sorted(order["shipments"], key=lambda s: s["warehouse"])
    assert api.ok("post", f"/shipments/{east['id']}/pick", {}, "warehouse")["status"] == "picking"
    assert api.ok("post", f"/shipments/{east['id']}/pack", {}, "warehouse")["status"] == "packed"
    again = api.post(f"/shipments/{east['id']}/pick", {}, "warehouse")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "invalid_transition"
    api.ok("post", f"/shipments/{east['id']}/ship", {"tracking_number": "T-1"}, "warehouse")
    assert api.ok("get", f"/orders/{order['id']}")["status"] == "partially_shipped"
    api.ok("post", f"/shipments/{west['id']}/ship", {}, "warehouse")
    got = api.ok("get", f"/orders/{order['id']}")
    assert (got["status"], got["fulfillment_status"]) == ("shipped", "fulfilled")
    types = _types(api, order["id"])
    for kind in ("shipment.released", "shipment.picking", "shipment.packed", "shipment.shipped"):
        assert kind in types
    assert {"shipment.picking", "shipment.packed", "shipment.shipped"} <= set(_events(api))


def test_a_short_pick_backorders_the_missing_units_and_the_rest_ships(
    api: Api, podium: Podium
) -> None:
    seed_store(api, {("TEE", "EAST"): 3, ("CAP", "EAST"): 1})
    order = api.ok("post", "/orders", order_body([("TEE", 3), ("CAP", 1)], external_id="s1"))
    drain(podium)
    shipment_id = order["shipments"][0]["id"]
    short = api.post(
        f"/shipments/{shipment_id}/short-pick",
        {"lines": [{"sku": "TEE", "quantity": 1}]},
        "warehouse",
    )
    assert short.status_code == 200, short.text
    assert {ln["sku"]: ln["quantity"] for ln in short.json()["lines"]} == {"TEE": 2, "CAP": 1}
    held = api.ok("get", f"/orders/{order['id']}")
    assert held["status"] == "on_hold"
    assert [h["reason"] for h in held["holds"]] == ["backorder"]
    assert held["lines"][0]["quantity_backordered"] == 1
    stock = api.ok("get", "/inventory/TEE")
    assert (stock["on_hand"], stock["reserved"]) == (2, 2)  # the missing unit is not on the shelf
    shipped = api.post(f"/shipments/{shipment_id}/ship", {}, "warehouse")
    assert shipped.status_code == 200, shipped.text
    assert "shipment.short_picked" in _types(api, order["id"])
    # Stock arrives: the backorder filler allocates the missing unit and releases it.
    api.ok(
        "post",
        "/inventory/adjustments",
        {"sku": "TEE", "warehouse": "WEST", "quantity": 4, "reason": "receipt"},
    )
    drain(podium)
    got = api.ok("get", f"/orders/{order['id']}")
    assert (got["status"], got["holds"]) == ("partially_shipped", [])
    second = next(s for s in got["shipments"] if s["id"] != shipment_id)
    assert (second["warehouse"], second["status"]) == ("WEST", "released")
    assert second["lines"] == [{"sku": "TEE", "quantity": 1}]
    assert api.ok("get", "/doctor")["ok"] is True


def test_a_short_pick_of_everything_cancels_the_shipment(api: Api, podium: Podium) -> None:
    seed_store(api, {("TEE", "EAST"): 2})
    order = api.ok("post", "/orders", order_body([("TEE", 2)], external_id="s2"))
    shipment_id = order["shipments"][0]["id"]
    r = api.post(f"/shipments/{shipment_id}/short-pick", {"lines": [{"sku": "TEE", "quantity": 2}]})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "cancelled"
    assert api.ok("get", f"/orders/{order['id']}")["lines"][0]["quantity_backordered"] == 2
    assert api.ok("get", "/doctor")["ok"] is True


def test_short_picking_more_than_the_shipment_holds_is_refused_and_nothing_changes(
    api: Api,
) -> None:
    seed_store(api, {("TEE", "EAST"): 2})
    order = api.ok("post", "/orders", order_body([("TEE", 2)], external_id="s3"))
    shipment_id = order["shipments"][0]["id"]
    r = api.post(f"/shipments/{shipment_id}/short-pick", {"lines": [{"sku": "TEE", "quantity": 3}]})
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "short_exceeds_shipment"
    assert r.json()["error"]["details"]["field"] == "lines.0.quantity"
    assert api.ok("get", f"/shipments/{shipment_id}")["lines"] == [{"sku": "TEE", "quantity": 2}]
    assert api.ok("get", "/inventory/TEE")["on_hand"] == 2
    empty = api.post(f"/shipments/{shipment_id}/short-pick", {"lines": []})
    assert empty.status_code == 422
    missing = api.post("/shipments/shp_nope/short-pick", {"lines": [{"sku": "TEE", "quantity": 1}]})
    assert missing.status_code == 404


def test_warehouse_settings_are_validated_and_admin_only(api: Api) -> None:
    seed_store(api, {("TEE", "EAST"): 1})
    url = "/api/v1/warehouses/EAST/fulfillment"
    r = api.client.put(url, json={"handoff": "webhook"}, headers=api.headers())
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "handoff_incomplete"
    assert r.json()["error"]["details"]["field"] == "handoff_url"
    r = api.client.put(url, json={"release_mode": "sometimes"}, headers=api.headers())
    assert r.status_code == 422
    r = api.client.put(url, json={"release_mode": "wave"}, headers=api.headers("warehouse"))
    assert r.status_code == 403
    r = api.client.put(
        "/api/v1/warehouses/NOPE/fulfillment", json={"release_mode": "wave"}, headers=api.headers()
    )
    assert r.status_code == 404
    r = api.client.put(
        url,
        json={
            "handoff": "webhook",
            "handoff_url": "http://wms.example/in",
            "handoff_secret": "s" * 20,
        },
        headers=api.headers(),
    )
    assert r.status_code == 200
    assert r.json()["handoff_secret"] == "****ssss"
    assert api.ok("get", "/warehouses/EAST/fulfillment")["handoff_secret"] == "****ssss"


def test_a_held_order_goes_to_the_warehouse_only_once_its_hold_is_released(
    api: Api, podium: Podium
) -> None:
    seed_store(api, {("TEE", "EAST"): 5})
    order = api.ok("post", "/orders", order_body([("TEE", 1)], external_id="held"))
    api.ok("post", f"/orders/{order['id']}/hold", {"reason": "fraud_review"}, "support")
    drain(podium)
    shipment_id = order["shipments"][0]["id"]
    assert api.ok("get", f"/shipments/{shipment_id}")["status"] == "pending"
    wave = api.post("/warehouses/EAST/waves", {}, "warehouse")
    assert wave.json()["shipments"] == []  # waves skip held orders too
    api.ok("post", f"/orders/{order['id']}/release", {}, "support")
    drain(podium)
    assert api.ok("get", f"/shipments/{shipment_id}")["status"] == "released"


def test_a_short_pick_is_re_planned_at_once_from_a_warehouse_that_has_the_units(
    api: Api, podium: Podium
) -> None:
    seed_store(api, {("TEE", "EAST"): 2, ("TEE", "WEST"): 3})
    order = api.ok(
        "post", "/orders", order_body([("TEE", 2)], external_id="rp", postal_code="07030")
    )
    east = order["shipments"][0]
    assert east["warehouse"] == "EAST"
    r = api.post(f"/shipments/{east['id']}/short-pick", {"lines": [{"sku": "TEE", "quantity": 1}]})
    assert r.status_code == 200, r.text
    got = api.ok("get", f"/orders/{order['id']}")
    assert (got["status"], got["holds"]) == ("ready", [])
    west = next(s for s in got["shipments"] if s["warehouse"] == "WEST")
    assert west["lines"] == [{"sku": "TEE", "quantity": 1}]
    assert got["lines"][0]["quantity_backordered"] == 0
    drain(podium)
    assert api.ok("get", f"/shipments/{west['id']}")["status"] == "released"
    assert api.ok("get", "/doctor")["ok"] is True
