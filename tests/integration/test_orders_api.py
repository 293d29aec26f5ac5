"""Placing, routing, holding, cancelling and shipping orders through the API (both engines)."""

from __future__ import annotations

from support import Api, order_body, seed_store


def test_order_ships_whole_from_the_nearest_warehouse_with_stock(api: Api) -> None:
    seed_store(api, {("TEE", "EAST"): 5, ("TEE", "WEST"): 5})
    r = api.post("/orders", order_body([("TEE", 2)], external_id="1001"))
    assert r.status_code == 201, r.text
    order = r.json()
    assert order["number"] == "PD-100001"
    assert order["status"] == "ready"
    assert order["total"] == "39.98"
    assert [(s["warehouse"], s["lines"]) for s in order["shipments"]] == [
        ("WEST", [{"sku": "TEE", "quantity": 2}])
    ]
    inv = api.ok("get", "/inventory/TEE")
    assert (inv["on_hand"], inv["reserved"], inv["available"]) == (10, 2, 8)
    assert inv["channels"] == [{"channel": "web", "available": 8, "published": 8}]


def test_east_coast_order_ships_from_the_east(api: Api) -> None:
    seed_store(api, {("TEE", "EAST"): 5, ("TEE", "WEST"): 5})
    body = order_body([("TEE", 1)], external_id="e1")
    body["shipping_address"] = {
        "city": "Boston",
        "region": "MA",
        "postal_code": "02108",
        "country": "US",
    }
    order = api.ok("post", "/orders", body)
    assert order["shipments"][0]["warehouse"] == "EAST"


def test_two_line_order_is_not_split_when_one_warehouse_has_both(api: Api) -> None:
    seed_store(api, {("A", "WEST"): 1, ("B", "EAST"): 5, ("A", "EAST"): 5})
    order = api.ok("post", "/orders", order_body([("A", 1), ("B", 1)], external_id="x"))
    assert [s["warehouse"] for s in order["shipments"]] == ["EAST"]


def test_order_splits_only_when_no_single_warehouse_can_ship_it(api: Api) -> None:
    seed_store(api, {("A", "WEST"): 1, ("B", "EAST"): 1})
    order = api.ok("post", "/orders", order_body([("A", 1), ("B", 1)], external_id="s"))
    assert sorted(s["warehouse"] for s in order["shipments"]) == ["EAST", "WEST"]
    timeline = api.ok("get", f"/orders/{order['id']}/timeline")["items"]
    routed = next(e for e in timeline if e["type"] == "order.routed")
    assert "split across 2 warehouses" in routed["message"]


def test_replayed_order_returns_the_same_order(api: Api) -> None:
    seed_store(api, {("TEE", "EAST"): 5})
    first = api.post("/orders", order_body([("TEE", 1)], external_id="dup"))
    second = api.post("/orders", order_body([("TEE", 1)], external_id="dup"))
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert api.ok("get", "/inventory/TEE")["reserved"] == 1


def test_idempotency_key_replays_and_refuses_a_different_body(api: Api) -> None:
    seed_store(api, {("TEE", "EAST"): 5})
    h = {"Idempotency-Key": "k-123"}
    first = api.post("/orders", order_body([("TEE", 1)]), headers=h)
    again = api.post("/orders", order_body([("TEE", 1)]), headers=h)
    other = api.post("/orders", order_body([("TEE", 2)]), headers=h)
    renamed = order_body([("TEE", 1)])
    renamed["customer"]["name"] = "Someone Else"
    reused = api.post("/orders", renamed, headers=h)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert other.status_code == 409
    assert other.json()["error"]["code"] == "idempotency_conflict"  # the lines differ
    assert reused.status_code == 409
    assert reused.json()["error"]["code"] == "idempotency_key_reused"  # only the name differs


def test_shortage_with_reject_writes_nothing(api: Api) -> None:
    seed_store(api, {("TEE", "EAST"): 1})
    r = api.post("/orders", order_body([("TEE", 2)], external_id="short"))
    assert r.status_code == 409
    err = r.json()["error"]
    assert err["code"] == "insufficient_stock"
    assert err["details"]["lines"] == [{"sku": "TEE", "requested": 2, "available": 1}]
    assert api.ok("get", "/orders")["items"] == []
    assert api.ok("get", "/inventory/TEE")["reserved"] == 0


def test_backorder_holds_the_order_and_reserves_what_exists(api: Api) -> None:
    seed_store(api, {("TEE", "EAST"): 1})
    order = api.ok(
        "post", "/orders", order_body([("TEE", 3)], external_id="bo", on_shortage="backorder")
    )
    assert order["status"] == "on_hold"
    assert [h["reason"] for h in order["holds"]] == ["backorder"]
    assert order["lines"][0]["quantity_allocated"] == 1
    assert order["lines"][0]["quantity_backordered"] == 2
    assert api.ok("get", "/inventory/TEE")["reserved"] == 1
    # Stock arrives; releasing the hold allocates the rest and the order becomes ready.
    api.ok(
        "post",
        "/inventory/adjustments",
        {"sku": "TEE", "warehouse": "WEST", "quantity": 5, "reason": "receipt"},
    )
    released = api.ok("post", f"/orders/{order['id']}/release", {})
    assert released["status"] == "ready"
    assert released["holds"] == []
    assert released["lines"][0]["quantity_backordered"] == 0
    assert api.ok("get", "/inventory/TEE")["reserved"] == 3
    assert api.ok("get", "/doctor")["ok"] is True


def test_releasing_a_backorder_without_stock_keeps_it_on_hold(api: Api) -> None:
    seed_store(api, {("TEE", "EAST"): 0}, skus=["TEE"])
    order = api.ok(
        "post", "/orders", order_body([("TEE", 2)], external_id="bo2", on_shortage="backorder")
    )
    assert order["shipments"] == []
    again = api.ok("post", f"/orders/{order['id']}/release", {})
    assert again["status"] == "on_hold"
    assert [h["reason"] for h in again["holds"]] == ["backorder"]


def test_cancel_releases_reservations_and_cannot_happen_after_shipping(api: Api) -> None:
    seed_store(api, {("TEE", "EAST"): 5})
    a = api.ok("post", "/orders", order_body([("TEE", 2)], external_id="c1"))
    cancelled = api.ok("post", f"/orders/{a['id']}/cancel", {"reason": "customer asked"})
    assert cancelled["status"] == "cancelled"
    assert cancelled["shipments"][0]["status"] == "cancelled"
    assert api.ok("get", "/inventory/TEE")["reserved"] == 0
    again = api.post(f"/orders/{a['id']}/cancel", {})
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "invalid_transition"

    b = api.ok("post", "/orders", order_body([("TEE", 1)], external_id="c2"))
    api.ok("post", f"/shipments/{b['shipments'][0]['id']}/ship", {"tracking_number": "1Z999"})
    r = api.post(f"/orders/{b['id']}/cancel", {})
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "invalid_transition"
    assert api.ok("get", "/doctor")["ok"] is True


def test_order_status_follows_its_shipments(api: Api) -> None:
    seed_store(api, {("A", "WEST"): 1, ("B", "EAST"): 1})
    order = api.ok("post", "/orders", order_body([("A", 1), ("B", 1)], external_id="p"))
    first, second = order["shipments"]
    shipped = api.ok("post", f"/shipments/{first['id']}/ship", {"tracking_number": "T1"})
    assert shipped["status"] == "shipped"
    assert shipped["tracking_number"] == "T1"
    assert api.ok("get", f"/orders/{order['id']}")["status"] == "partially_shipped"
    api.ok("post", f"/shipments/{second['id']}/ship", {})
    final = api.ok("get", f"/orders/{order['id']}")
    assert final["status"] == "shipped"
    assert final["fulfillment_status"] == "fulfilled"
    inv = api.ok("get", "/inventory/A")
    assert (inv["on_hand"], inv["reserved"]) == (0, 0)
    again = api.post(f"/shipments/{first['id']}/ship", {})
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "invalid_transition"
    got = api.ok("get", f"/shipments/{first['id']}")
    assert got["order_id"] == order["id"]
    assert {"carrier", "service", "tracking_url", "lines"} <= set(got)


def test_held_order_cannot_ship_until_released(api: Api) -> None:
    seed_store(api, {("TEE", "EAST"): 5})
    order = api.ok("post", "/orders", order_body([("TEE", 1)], external_id="h"))
    held = api.ok(
        "post",
        f"/orders/{order['id']}/hold",
        {"reason": "fraud_review", "note": "mismatched address"},
        "support",
    )
    assert held["status"] == "on_hold"
    r = api.post(f"/shipments/{order['shipments'][0]['id']}/ship", {}, "warehouse")
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "order_on_hold"
    assert api.ok("post", f"/orders/{order['id']}/release", {}, "support")["status"] == "ready"
    types = [e["type"] for e in api.ok("get", f"/orders/{order['id']}/timeline")["items"]]
    assert types == [
        "order.placed",
        "order.routed",
        "order.held",
        "order.hold_released",
        "order.status_changed",
    ]


def test_timeline_records_every_state_change_with_its_actor(api: Api) -> None:
    seed_store(api, {("TEE", "EAST"): 5})
    order = api.ok("post", "/orders", order_body([("TEE", 1)], external_id="t"), "operator")
    api.ok("post", f"/orders/{order['id']}/notes", {"message": "gift wrap"}, "support")
    api.ok("post", f"/orders/{order['id']}/cancel", {}, "operator")
    items = api.ok("get", f"/orders/{order['id']}/timeline", role="readonly")["items"]
    assert [e["type"] for e in items] == [
        "order.placed",
        "order.routed",
        "note.added",
        "order.cancelled",
    ]
    assert items[2]["actor"] == "key:test support"
    assert all(set(e) >= {"at", "type", "message", "data"} for e in items)


def test_order_list_pages_with_a_cursor_and_filters(api: Api) -> None:
    seed_store(api, {("TEE", "EAST"): 50})
    ids = [
        api.ok("post", "/orders", order_body([("TEE", 1)], external_id=f"o{i}"))["id"]
        for i in range(5)
    ]
    api.ok("post", f"/orders/{ids[0]}/cancel", {})
    page1 = api.ok("get", "/orders?limit=2")
    page2 = api.ok("get", f"/orders?limit=2&cursor={page1['next_cursor']}")
    page3 = api.ok("get", f"/orders?limit=2&cursor={page2['next_cursor']}")
    seen = [o["id"] for o in page1["items"] + page2["items"] + page3["items"]]
    assert seen == list(reversed(ids))
    assert page3["next_cursor"] is None
    cancelled = api.ok("get", "/orders?status=cancelled")["items"]
    assert [o["id"] for o in cancelled] == [ids[0]]
    assert api.get("/orders?status=bogus").status_code == 422


def test_keys_and_roles_guard_every_call(api: Api) -> None:
    seed_store(api, {("TEE", "EAST"): 5})
    assert api.client.get("/api/v1/orders").status_code == 401
    bad = api.client.get("/api/v1/orders", headers={"Authorization": "Bearer pdm_x_y"})
    assert bad.status_code == 401
    assert bad.json()["error"]["code"] == "invalid_api_key"
    r = api.post("/orders", order_body([("TEE", 1)]), "readonly")
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "forbidden"
    assert api.post("/orders", order_body([("TEE", 1)]), "support").status_code == 403
    assert api.post("/channels", {"code": "x", "name": "x"}, "operator").status_code == 403
    assert api.get("/orders", "readonly").status_code == 200
    assert api.client.get("/api/v1/health").json() == {"status": "ok"}


def test_a_revoked_key_stops_working_at_once(api: Api) -> None:
    made = api.ok("post", "/keys", {"name": "temp", "role": "readonly"})
    headers = {"Authorization": f"Bearer {made['key']}"}
    assert api.client.get("/api/v1/orders", headers=headers).status_code == 200
    assert made["key"] not in str(api.ok("get", "/keys"))
    assert api.client.delete(f"/api/v1/keys/{made['id']}", headers=api.headers()).status_code == 200
    r = api.client.get("/api/v1/orders", headers=headers)
    assert (r.status_code, r.json()["error"]["code"]) == (401, "invalid_api_key")


def test_a_deactivated_warehouse_gets_no_more_orders_at_once(api: Api) -> None:
    seed_store(api, {("TEE", "EAST"): 5, ("TEE", "WEST"): 5})
    first = api.ok("post", "/orders", order_body([("TEE", 1)], external_id="w1"))
    assert first["shipments"][0]["warehouse"] == "WEST"  # Seattle: the nearest
    api.patch("/warehouses/WEST", {"active": False})
    second = api.ok("post", "/orders", order_body([("TEE", 1)], external_id="w2"))
    assert second["shipments"][0]["warehouse"] == "EAST"
    api.ok("post", "/channels", {"code": "pos", "name": "Till", "type": "pos"})
    third = api.ok("post", "/orders", order_body([("TEE", 1)], channel="pos", external_id="p"))
    assert third["channel"] == "pos"
