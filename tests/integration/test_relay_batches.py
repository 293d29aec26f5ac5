"""The relay's per-pass subscribers (release to the warehouse, the capture policy) work on the
whole pass at once; each order must come out exactly as it would alone, and a redelivered pass
must change nothing."""

from __future__ import annotations

from typing import Any

from podium.bootstrap import Podium
from podium.fulfillment.release import release_orders
from podium.payments.service import settle_orders
from support import Api, order_body, seed_store


def _drain(podium: Podium) -> None:
    while podium.relay.run_once():
        pass


def _kinds(api: Api, order_id: str) -> list[tuple[str, str]]:
    items = api.ok("get", f"/orders/{order_id}/payments")["items"]
    return [(p["kind"], p["status"]) for p in items]


def _timeline(api: Api, order_id: str) -> list[str]:
    return [e["type"] for e in api.ok("get", f"/orders/{order_id}/timeline")["items"]]


def test_one_pass_settles_every_capture_policy_as_each_order_alone(
    api: Api, podium: Podium
) -> None:
    seed_store(api, {("TEE", "EAST"): 20, ("CAP", "WEST"): 20})
    policies = {"b2b": "on_shipment", "pos": "manual"}
    for code, capture in policies.items():
        settings = {"payment": {"capture": capture}}
        api.ok("post", "/channels", {"code": code, "name": code, "settings": settings})
    placed: dict[str, dict[str, Any]] = {}
    for channel in ("web", "b2b", "pos"):
        for n in range(2):
            body = order_body([("TEE", 1), ("CAP", 1)], external_id=f"{channel}-{n}")
            placed[f"{channel}-{n}"] = api.ok("post", "/orders", {**body, "channel": channel})
    api.ok("post", f"/orders/{placed['web-1']['id']}/cancel", {})
    api.ok("post", f"/orders/{placed['b2b-1']['id']}/cancel", {})

    _drain(podium)  # every order's events in one pass

    status = {k: api.ok("get", f"/orders/{o['id']}")["payment_status"] for k, o in placed.items()}
    assert status == {
        "web-0": "paid",
        "web-1": "pending",
        "b2b-0": "authorized",
        "b2b-1": "pending",
        "pos-0": "pending",
        "pos-1": "pending",
    }
    assert _kinds(api, placed["web-0"]["id"]) == [("capture", "succeeded")]
    assert _kinds(api, placed["b2b-0"]["id"]) == [("authorize", "succeeded")]
    for key in ("web-1", "b2b-1", "pos-0", "pos-1"):
        assert _kinds(api, placed[key]["id"]) == []
    assert _timeline(api, placed["web-0"]["id"]).count("payment.capture") == 1

    # the same pass again (a redelivery): nothing new
    ids = [o["id"] for o in placed.values()]
    settle_orders(podium.db, ids, podium.gateways)
    assert _kinds(api, placed["web-0"]["id"]) == [("capture", "succeeded")]
    assert _kinds(api, placed["b2b-0"]["id"]) == [("authorize", "succeeded")]


def test_one_pass_releases_ready_orders_and_leaves_held_cancelled_and_wave_ones(
    api: Api, podium: Podium
) -> None:
    seed_store(api, {("TEE", "EAST"): 20, ("CAP", "WEST"): 20})
    api.client.put(
        "/api/v1/warehouses/WEST/fulfillment", json={"release_mode": "wave"}, headers=api.headers()
    ).raise_for_status()
    split = api.ok("post", "/orders", order_body([("TEE", 1), ("CAP", 1)], external_id="s"))
    held = api.ok("post", "/orders", order_body([("TEE", 1)], external_id="h"))
    gone = api.ok("post", "/orders", order_body([("TEE", 1)], external_id="c"))
    api.ok("post", f"/orders/{held['id']}/hold", {"reason": "manual"})
    api.ok("post", f"/orders/{gone['id']}/cancel", {})

    released = release_orders(podium.db, [split["id"], held["id"], gone["id"], "ord_missing"])

    assert released == 1  # the split order's EAST half; WEST waits for a wave
    shipments = {s["warehouse"]: s for s in api.ok("get", f"/orders/{split['id']}")["shipments"]}
    assert shipments["EAST"]["status"] == "released"
    assert shipments["WEST"]["status"] == "pending"
    assert api.ok("get", f"/orders/{held['id']}")["shipments"][0]["status"] == "pending"
    assert _timeline(api, split["id"]).count("shipment.released") == 1
    assert release_orders(podium.db, [split["id"], held["id"]]) == 0  # redelivered
    assert _timeline(api, split["id"]).count("shipment.released") == 1
