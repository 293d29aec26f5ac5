"""Automation rules that steer routing (both engines): ``route_to`` moves a routed, not yet
picked order to the named warehouse when it can ship it all (else it stays, and the timeline
says why); ``exclude_warehouse`` moves it off one and keeps it off for every later re-route."""

from __future__ import annotations

from typing import Any

from podium.bootstrap import Podium
from support import Api, order_body, seed_store


def drain(podium: Podium) -> None:
    for _ in range(50):
        if podium.relay.run_once() == 0:
            return


def _rules(api: Api, *then: dict[str, Any]) -> None:
    rule = {"name": "steer", "trigger": "order.placed", "when": None, "then": list(then)}
    r = api.client.put("/api/v1/automation/rules", json={"rules": [rule]}, headers=api.headers())
    assert r.status_code == 200, r.text


def _fired(api: Api, order_id: str) -> list[list[str]]:
    items = api.ok("get", f"/orders/{order_id}/timeline")["items"]
    return [e["data"]["actions"] for e in items if e["type"] == "automation.fired"]


def _open(order: dict[str, Any]) -> list[tuple[str, str]]:
    return [(s["warehouse"], s["status"]) for s in order["shipments"] if s["status"] != "cancelled"]


def test_route_to_moves_a_routed_order_to_the_named_warehouse(api: Api, podium: Podium) -> None:
    seed_store(api, {("TEE", "EAST"): 5, ("TEE", "WEST"): 5})
    _rules(api, {"action": "route_to", "warehouse": "EAST"})
    order = api.ok("post", "/orders", order_body([("TEE", 2)], external_id="r1"))
    assert [s["warehouse"] for s in order["shipments"]] == ["WEST"]  # nearest to Seattle
    drain(podium)
    moved = api.ok("get", f"/orders/{order['id']}")
    assert _open(moved) == [("EAST", "released")]
    assert "routing:only:EAST" in moved["tags"]
    assert _fired(api, order["id"]) == [["route_to EAST: moved from WEST"]]
    assert api.ok("get", "/inventory/TEE")["reserved"] == 2
    by_place = {w["warehouse"]: w for w in api.ok("get", "/inventory/TEE")["locations"]}
    assert (by_place["EAST"]["reserved"], by_place["WEST"]["reserved"]) == (2, 0)


def test_route_to_a_warehouse_that_cannot_ship_it_leaves_the_order_where_it_is(
    api: Api, podium: Podium
) -> None:
    seed_store(api, {("TEE", "EAST"): 1, ("TEE", "WEST"): 5})
    _rules(api, {"action": "route_to", "warehouse": "EAST"})
    order = api.ok("post", "/orders", order_body([("TEE", 3)], external_id="r2"))
    drain(podium)
    kept = api.ok("get", f"/orders/{order['id']}")
    assert _open(kept) == [("WEST", "released")]
    assert _fired(api, order["id"]) == [["route_to EAST: EAST cannot ship 2 x TEE; stays at WEST"]]


def test_route_to_an_unknown_warehouse_is_skipped_and_said(api: Api, podium: Podium) -> None:
    seed_store(api, {("TEE", "WEST"): 5})
    _rules(api, {"action": "route_to", "warehouse": "NORTH"})
    order = api.ok("post", "/orders", order_body([("TEE", 1)], external_id="r3"))
    drain(podium)
    assert _open(api.ok("get", f"/orders/{order['id']}")) == [("WEST", "released")]
    assert _fired(api, order["id"]) == [["route_to NORTH: skipped, no active warehouse NORTH"]]


def test_exclude_warehouse_moves_the_order_and_later_re_routes_never_go_back(
    api: Api, podium: Podium
) -> None:
    seed_store(api, {("TEE", "EAST"): 5, ("TEE", "WEST"): 5})
    _rules(api, {"action": "exclude_warehouse", "warehouse": "WEST"})
    order = api.ok("post", "/orders", order_body([("TEE", 2)], external_id="x1"))
    drain(podium)
    moved = api.ok("get", f"/orders/{order['id']}")
    assert _open(moved) == [("EAST", "released")]
    assert "routing:not:WEST" in moved["tags"]
    assert _fired(api, order["id"]) == [["exclude_warehouse WEST: moved from WEST"]]
    east = next(s for s in moved["shipments"] if s["status"] == "released")
    after = api.ok("post", f"/shipments/{east['id']}/reject", {"reason": "flooded"})
    assert _open(after) == []  # WEST has the stock, but the rule keeps the order off it
    assert [h["reason"] for h in after["holds"]] == ["backorder"]


def test_routing_tags_are_podiums_own(api: Api, podium: Podium) -> None:
    seed_store(api, {("TEE", "WEST"): 5})
    order = api.ok("post", "/orders", order_body([("TEE", 1)], external_id="t1"))
    r = api.client.post(
        f"/api/v1/orders/{order['id']}/tags",
        json={"add": ["routing:only:EAST"]},
        headers=api.headers(),
    )
    assert r.status_code == 422
    r2 = api.client.put(
        "/api/v1/automation/rules",
        json={
            "rules": [
                {
                    "name": "sneaky",
                    "trigger": "order.placed",
                    "then": [{"action": "add_tag", "tag": "routing:not:WEST"}],
                }
            ]
        },
        headers=api.headers(),
    )
    assert r2.status_code == 422
    assert r2.json()["error"]["details"]["field"] == "rules.0.then.0.tag"
