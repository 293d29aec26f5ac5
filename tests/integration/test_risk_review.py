"""Risk at placement, address checks and the risk review, through the API (both engines)."""

from __future__ import annotations

from typing import Any

import pytest
from typer.testing import CliRunner

from podium.bootstrap import Podium
from podium.cli import app as cli
from risk_support import risky_order_body as _fraudy
from support import Api, order_body, seed_store


def _codes(order: dict[str, Any]) -> set[str]:
    return {s["code"] for s in order["risk"]["signals"]}


def _types(api: Api, order_id: str) -> list[str]:
    return [e["type"] for e in api.ok("get", f"/orders/{order_id}/timeline")["items"]]


def test_a_large_first_order_to_a_forwarder_is_held_for_risk(api: Api) -> None:
    seed_store(api, {("TV", "WEST"): 5, ("TEE", "WEST"): 5}, skus=["TV", "TEE"])
    order = api.ok("post", "/orders", _fraudy())
    assert order["status"] == "on_hold"
    assert [h["reason"] for h in order["holds"]] == ["risk"]
    assert order["risk"]["level"] == "high"
    assert 70 <= order["risk"]["score"] <= 100
    assert {
        "first_order_high_value",
        "disposable_email",
        "billing_country_mismatch",
        "freight_forwarder",
    } <= _codes(order)
    assert order["billing_address"]["country"] == "GB"
    assert order["client_ip"] == "203.0.113.7"
    again = api.ok("get", f"/orders/{order['id']}")
    assert again["risk"] == order["risk"]
    assert "order.risk_assessed" in _types(api, order["id"])
    queue = api.ok("get", "/risk/review")["items"]
    assert [o["id"] for o in queue] == [order["id"]]


def test_a_small_repeat_order_is_not_held(api: Api) -> None:
    seed_store(api, {("TEE", "WEST"): 5})
    api.ok("post", "/orders", order_body([("TEE", 1)], external_id="first"))
    body = order_body([("TEE", 1)], external_id="second")
    body["lines"][0]["unit_price"] = "30.00"
    order = api.ok("post", "/orders", body)
    assert order["status"] == "ready"
    assert order["holds"] == []
    assert order["risk"] == {"score": 0, "level": "low", "signals": []}


def test_approve_releases_the_risk_hold(api: Api) -> None:
    seed_store(api, {("TV", "WEST"): 5}, skus=["TV"])
    order = api.ok("post", "/orders", _fraudy())
    approved = api.ok("post", f"/orders/{order['id']}/risk/approve", {"note": "called them"})
    assert approved["status"] == "ready"
    assert approved["holds"] == []
    types = _types(api, order["id"])
    assert "order.risk_approved" in types and "order.hold_released" in types
    assert api.ok("get", "/risk/review")["items"] == []
    r = api.post(f"/orders/{order['id']}/risk/approve", {})
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "not_in_risk_review"


def test_reject_cancels_and_releases_the_stock(api: Api) -> None:
    seed_store(api, {("TV", "WEST"): 5}, skus=["TV"])
    order = api.ok("post", "/orders", _fraudy())
    assert api.ok("get", "/inventory/TV")["reserved"] == 1
    rejected = api.ok("post", f"/orders/{order['id']}/risk/reject", {"note": "stolen card"})
    assert rejected["status"] == "cancelled"
    assert api.ok("get", "/inventory/TV")["reserved"] == 0
    assert "order.risk_rejected" in _types(api, order["id"])


def test_reject_of_an_order_not_held_for_risk_is_409(api: Api) -> None:
    seed_store(api, {("TEE", "WEST"): 5})
    order = api.ok("post", "/orders", order_body([("TEE", 1)], external_id="ok"))
    r = api.post(f"/orders/{order['id']}/risk/reject", {})
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "not_in_risk_review"
    assert api.ok("get", f"/orders/{order['id']}")["status"] == "ready"


def test_seattle_with_a_new_york_zip_is_held_for_the_address(api: Api) -> None:
    seed_store(api, {("TEE", "WEST"): 5})
    body = order_body([("TEE", 1)], external_id="addr")
    body["shipping_address"] = {
        "line1": "1 Pike St",
        "city": "Seattle",
        "region": "WA",
        "postal_code": "10001",
        "country": "US",
    }
    order = api.ok("post", "/orders", body)
    assert order["status"] == "on_hold"
    assert [h["reason"] for h in order["holds"]] == ["address"]
    assert "10001" in (order["holds"][0]["note"] or "") and "NY" in order["holds"][0]["note"]
    held = next(
        e
        for e in api.ok("get", f"/orders/{order['id']}/timeline")["items"]
        if e["type"] == "order.held"
    )
    assert held["data"]["problems"][0]["code"] == "postal_region_mismatch"
    assert "postal_mismatch" in _codes(order)
    # Correcting the ZIP code releases the hold and routes the order again.
    body["shipping_address"]["postal_code"] = "98101"
    fixed = api.ok(
        "post", f"/orders/{order['id']}/edit", {"shipping_address": body["shipping_address"]}
    )
    assert fixed["status"] == "ready"
    assert fixed["holds"] == []
    assert [s["warehouse"] for s in fixed["shipments"] if s["status"] != "cancelled"] == ["WEST"]


def test_an_edit_to_a_bad_address_holds_the_order(api: Api) -> None:
    seed_store(api, {("TEE", "WEST"): 5})
    order = api.ok("post", "/orders", order_body([("TEE", 1)], external_id="e"))
    bad = {"line1": "Pike Street", "city": "Seattle", "region": "WA", "postal_code": "98101"}
    edited = api.ok(
        "post", f"/orders/{order['id']}/edit", {"shipping_address": {**bad, "country": "US"}}
    )
    assert edited["status"] == "on_hold"
    assert [h["reason"] for h in edited["holds"]] == ["address"]
    assert "house number" in (edited["holds"][0]["note"] or "")


def test_a_bad_client_ip_is_422_naming_the_field(api: Api) -> None:
    seed_store(api, {("TEE", "WEST"): 5})
    body = order_body([("TEE", 1)], external_id="ip", client_ip="999.1.1.1")
    r = api.post("/orders", body)
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["code"] == "invalid_ip"
    assert error["details"]["field"] == "client_ip"


def test_velocity_per_ip_and_email_within_the_window(api: Api) -> None:
    seed_store(api, {("TEE", "WEST"): 20})
    for i in range(3):
        api.ok("post", "/orders", order_body([("TEE", 1)], external_id=f"v{i}", client_ip="::1"))
    order = api.ok("post", "/orders", order_body([("TEE", 1)], external_id="v3", client_ip="::1"))
    assert {"velocity_ip", "velocity_email", "velocity_address"} <= _codes(order)
    assert order["risk"]["level"] == "medium"  # 45 points: noted, not held
    assert order["status"] == "ready"
    assert "order.risk_assessed" in _types(api, order["id"])


def test_automation_rules_read_the_risk_and_the_billing_address(api: Api, podium: Podium) -> None:
    """The two halves of issue 15 meet: a rule on ``risk.level`` and ``billing_address.*``
    tags the risky order and leaves the quiet one alone."""
    seed_store(api, {("TV", "WEST"): 5, ("TEE", "WEST"): 5}, skus=["TV", "TEE"])
    rule = {
        "name": "risky abroad",
        "enabled": True,
        "trigger": "order.placed",
        "when": {
            "all": [
                {"field": "risk.level", "op": "==", "value": "high"},
                {"field": "billing_address.country", "op": "!=", "value": "US"},
            ]
        },
        "then": [{"action": "add_tag", "tag": "risky-abroad"}],
    }
    saved = api.client.put(
        "/api/v1/automation/rules", json={"rules": [rule]}, headers=api.headers()
    )
    assert saved.status_code == 200, saved.text
    risky = api.ok("post", "/orders", _fraudy())
    quiet = api.ok("post", "/orders", order_body([("TEE", 1)], external_id="quiet"))
    while podium.relay.run_once():
        pass
    assert "risky-abroad" in api.ok("get", f"/orders/{risky['id']}")["tags"]
    assert "risky-abroad" not in api.ok("get", f"/orders/{quiet['id']}")["tags"]
    assert "automation.fired" in _types(api, risky["id"])


def test_releasing_a_risk_hold_the_generic_way_records_the_approval(api: Api) -> None:
    seed_store(api, {("TV", "WEST"): 5}, skus=["TV"])
    order = api.ok("post", "/orders", _fraudy())
    released = api.ok("post", f"/orders/{order['id']}/release", {})
    assert (released["status"], released["holds"]) == ("ready", [])
    items = api.ok("get", f"/orders/{order['id']}/timeline")["items"]
    (approved,) = [e for e in items if e["type"] == "order.risk_approved"]
    assert approved["data"] == {
        "decision": "approved",
        "note": "hold released",
        "score": order["risk"]["score"],
    }
    assert "order.hold_released" in [e["type"] for e in items]


def test_releasing_another_hold_records_no_risk_decision(api: Api) -> None:
    seed_store(api, {("TEE", "WEST"): 5})
    order = api.ok("post", "/orders", order_body([("TEE", 1)], external_id="plain"))
    api.ok("post", f"/orders/{order['id']}/hold", {"reason": "manual", "note": "wait"})
    api.ok("post", f"/orders/{order['id']}/release", {})
    assert "order.risk_approved" not in _types(api, order["id"])


def test_the_cli_shows_the_risk_and_releases_the_hold_as_an_approval(
    api: Api, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_store(api, {("TV", "WEST"): 5}, skus=["TV"])
    order = api.ok("post", "/orders", _fraudy())
    monkeypatch.setenv("PODIUM_DATABASE_URL", database_url)
    shown = CliRunner().invoke(cli, ["orders", "show", order["number"]])
    assert shown.exit_code == 0, shown.output
    risk = order["risk"]
    assert f"risk: {risk['score']}/100 high" in shown.output
    for signal in risk["signals"]:
        assert f"+{signal['points']} {signal['code']}" in shown.output
    assert "(risk)" in shown.output  # the hold
    done = CliRunner().invoke(cli, ["orders", "release", order["number"]])
    assert done.exit_code == 0, done.output
    assert f"{order['number']} is ready." in done.output
    assert "order.risk_approved" in _types(api, order["id"])
