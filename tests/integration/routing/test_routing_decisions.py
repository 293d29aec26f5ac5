"""Routing decisions through the real placement path, on both engines."""

from __future__ import annotations

from typing import Any

from podium.bootstrap import Podium
from podium.inventory.doctor import examine
from support import Api, order_body, seed_store

MONDAY_AFTERNOON = "2026-11-23T15:00:00Z"


def _warehouses(order: dict[str, Any]) -> list[str]:
    return sorted(s["warehouse"] for s in order["shipments"] if s["status"] != "cancelled")


def _routed(api: Api, order_id: str, kind: str = "order.routed") -> dict[str, Any]:
    timeline = api.ok("get", f"/orders/{order_id}/timeline")["items"]
    found: dict[str, Any] = [e for e in timeline if e["type"] == kind][-1]
    return found


def test_seattle_order_ships_from_california_not_new_jersey(api: Api) -> None:
    seed_store(api, {("TEE", "EAST"): 5, ("TEE", "WEST"): 5})
    order = api.ok("post", "/orders", order_body([("TEE", 1)], external_id="sea"))
    assert _warehouses(order) == ["WEST"]
    routed = _routed(api, order["id"])
    assert routed["data"]["rule"] == "whole-order-on-time"
    assert {c["warehouse"] for c in routed["data"]["candidates"]} == {"EAST", "WEST"}
    assert routed["data"]["cost"] > 0
    assert "whole order from WEST" in routed["message"]


def test_full_capacity_at_the_nearest_location_moves_orders_to_the_next(api: Api) -> None:
    seed_store(api, {("TEE", "EAST"): 5, ("TEE", "WEST"): 5})
    api.ok("patch", "/warehouses/WEST", {"daily_order_capacity": 1})
    first = api.ok("post", "/orders", order_body([("TEE", 1)], external_id="c1"))
    second = api.ok("post", "/orders", order_body([("TEE", 1)], external_id="c2"))
    assert (_warehouses(first), _warehouses(second)) == (["WEST"], ["EAST"])
    excluded = {
        c["warehouse"]: c["excluded"] for c in _routed(api, second["id"])["data"]["candidates"]
    }
    assert excluded["WEST"] == "no capacity left today"


def test_two_line_order_is_not_split_when_one_location_has_both(api: Api) -> None:
    # WEST is nearer to Seattle but holds only one of the lines; EAST holds both.
    seed_store(api, {("A", "EAST"): 2, ("B", "EAST"): 2, ("A", "WEST"): 2})
    order = api.ok("post", "/orders", order_body([("A", 1), ("B", 1)], external_id="two"))
    assert _warehouses(order) == ["EAST"]
    assert len(order["shipments"]) == 1


def test_promise_filter_picks_the_location_that_delivers_in_time_or_holds(api: Api) -> None:
    seed_store(api, {("TEE", "EAST"): 5, ("TEE", "WEST"): 5})
    api.ok("patch", "/warehouses/EAST", {"priority": 1})  # EAST would win on priority alone
    rules = {
        "rules": [
            {
                "name": "on-time",
                "locations": {"meets_promise": True},
                "sort": ["priority"],
                "action": "allocate_whole",
                "if_unfilled": "hold",
                "queue": "late-risk",
            }
        ]
    }
    assert (
        api.client.put("/api/v1/routing/rules", json=rules, headers=api.headers()).status_code
        == 200
    )
    body = order_body(
        [("TEE", 1)],
        external_id="p1",
        service_level="express",
        promised_date="2026-11-25",  # Oakland→Seattle express: 2 days; Newark: 3
        placed_at=MONDAY_AFTERNOON,
    )
    on_time = api.ok("post", "/orders", body)
    assert (_warehouses(on_time), on_time["status"]) == (["WEST"], "ready")
    assert (on_time["promised_date"], on_time["service_level"]) == ("2026-11-25", "express")
    derived = api.ok(
        "post",
        "/orders",
        {**body, "external_id": "p0", "promised_date": None, "service_level": "standard"},
    )
    assert derived["promised_date"] == "2026-11-30"  # five business days from Monday
    impossible = api.ok(
        "post",
        "/orders",
        {**body, "external_id": "p2", "promised_date": "2026-11-24"},
    )
    assert impossible["status"] == "on_hold"
    assert [(h["reason"], h["note"]) for h in impossible["holds"]] == [("routing", "late-risk")]
    routed = _routed(api, impossible["id"])
    assert routed["data"]["hold_queue"] == "late-risk"
    assert routed["data"]["late"]  # shipped anyway from the fallback, flagged late
    assert api.ok("get", "/routing/queues")["items"] == [{"queue": "late-risk", "orders": 1}]
    queued = api.ok("get", "/routing/queues/late-risk")["items"]
    assert [o["id"] for o in queued] == [impossible["id"]]
    released = api.ok("post", f"/orders/{impossible['id']}/release")
    assert (released["status"], released["holds"]) == ("ready", [])  # an operator's call
    assert api.get("/routing/queues/late-risk").status_code == 404


def test_rejected_shipment_is_rerouted_and_the_ledger_stays_clean(api: Api, podium: Podium) -> None:
    seed_store(api, {("TEE", "EAST"): 5, ("TEE", "WEST"): 5})
    order = api.ok("post", "/orders", order_body([("TEE", 2)], external_id="r1"))
    west = order["shipments"][0]["id"]
    r = api.post(f"/shipments/{west}/reject", {"reason": "damaged stock"}, role="warehouse")
    assert r.status_code == 200, r.text
    after = r.json()
    assert _warehouses(after) == ["EAST"]
    assert api.ok("get", f"/shipments/{west}")["status"] == "cancelled"
    rerouted = _routed(api, order["id"], "order.rerouted")
    assert "away from WEST (rejected: damaged stock)" in rerouted["message"]
    inv = {loc["warehouse"]: loc for loc in api.ok("get", "/inventory/TEE")["locations"]}
    assert (inv["WEST"]["reserved"], inv["EAST"]["reserved"]) == (0, 2)
    assert examine(podium.db).ok
    again = api.post(f"/shipments/{west}/reject", {"reason": "twice"}, role="warehouse")
    assert (again.status_code, again.json()["error"]["code"]) == (409, "invalid_transition")


def test_rejected_shipment_with_no_other_stock_holds_the_order_as_backorder(api: Api) -> None:
    seed_store(api, {("TEE", "WEST"): 5})
    order = api.ok("post", "/orders", order_body([("TEE", 1)], external_id="r2"))
    after = api.ok("post", f"/shipments/{order['shipments'][0]['id']}/reject", {"reason": "flood"})
    assert after["status"] == "on_hold"
    assert [h["reason"] for h in after["holds"]] == ["backorder"]


def test_reject_is_refused_for_unknown_shipments_bad_bodies_and_readonly_keys(api: Api) -> None:
    seed_store(api, {("TEE", "WEST"): 5})
    order = api.ok("post", "/orders", order_body([("TEE", 1)], external_id="r3"))
    sid = order["shipments"][0]["id"]
    assert api.post("/shipments/shp_nope/reject", {"reason": "x"}).status_code == 404
    bad = api.post(f"/shipments/{sid}/reject", {"reason": ""})
    assert bad.status_code == 422 and bad.json()["error"]["details"]["field"] == "reason"
    assert api.post(f"/shipments/{sid}/reject", {"reason": "x"}, role="readonly").status_code == 403


def test_deactivating_a_location_moves_its_pending_shipments(api: Api, podium: Podium) -> None:
    seed_store(api, {("TEE", "EAST"): 5, ("TEE", "WEST"): 5})
    order = api.ok("post", "/orders", order_body([("TEE", 1)], external_id="d1"))
    assert _warehouses(order) == ["WEST"]
    api.ok("patch", "/warehouses/WEST", {"active": False})
    moved = api.ok("get", f"/orders/{order['id']}")
    assert _warehouses(moved) == ["EAST"]
    assert "location deactivated" in _routed(api, order["id"], "order.rerouted")["message"]
    assert examine(podium.db).ok
