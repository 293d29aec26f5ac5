"""Backorders fill by themselves when stock arrives, oldest order first."""

from __future__ import annotations

from podium.bootstrap import Podium
from support import Api, order_body, seed_store


def _drain(podium: Podium) -> None:
    while podium.relay.run_once():
        pass


def test_receiving_stock_fills_the_oldest_backorder_first(api: Api, podium: Podium) -> None:
    seed_store(api, {("TEE", "EAST"): 0}, skus=["TEE"])
    first = api.ok(
        "post", "/orders", order_body([("TEE", 2)], external_id="b1", on_shortage="backorder")
    )
    second = api.ok(
        "post", "/orders", order_body([("TEE", 2)], external_id="b2", on_shortage="backorder")
    )
    _drain(podium)
    api.ok(
        "post",
        "/inventory/adjustments",
        {"sku": "TEE", "warehouse": "EAST", "quantity": 3, "reason": "receipt"},
    )
    _drain(podium)
    one = api.ok("get", f"/orders/{first['id']}")
    two = api.ok("get", f"/orders/{second['id']}")
    assert (one["status"], one["holds"]) == ("ready", [])
    assert two["status"] == "on_hold"
    assert two["lines"][0]["quantity_allocated"] == 1  # reserving what exists
    assert [h["reason"] for h in two["holds"]] == ["backorder"]
    timeline = api.ok("get", f"/orders/{first['id']}/timeline")["items"]
    # (auto-release to the warehouse follows, as shipment.* entries)
    timeline = [e for e in timeline if not e["type"].startswith("shipment.")]
    assert timeline[-2]["type"] == "order.hold_released"
    assert timeline[-2]["actor"] == "system:backorders"

    api.ok(
        "post",
        "/inventory/adjustments",
        {"sku": "TEE", "warehouse": "WEST", "quantity": 5, "reason": "receipt"},
    )
    _drain(podium)
    assert api.ok("get", f"/orders/{second['id']}")["status"] == "ready"
    assert api.ok("get", "/inventory/TEE")["reserved"] == 4
    assert api.ok("get", "/doctor")["ok"] is True


def test_a_manual_hold_survives_a_filled_backorder(api: Api, podium: Podium) -> None:
    seed_store(api, {("TEE", "EAST"): 0}, skus=["TEE"])
    order = api.ok(
        "post", "/orders", order_body([("TEE", 1)], external_id="m", on_shortage="backorder")
    )
    api.ok("post", f"/orders/{order['id']}/hold", {"reason": "manual", "note": "call customer"})
    api.ok(
        "post",
        "/inventory/adjustments",
        {"sku": "TEE", "warehouse": "EAST", "quantity": 1, "reason": "receipt"},
    )
    _drain(podium)
    got = api.ok("get", f"/orders/{order['id']}")
    assert got["status"] == "on_hold"
    assert [h["reason"] for h in got["holds"]] == ["manual"]
    assert got["lines"][0]["quantity_backordered"] == 0
    assert api.ok("post", f"/orders/{order['id']}/release", {})["status"] == "ready"
