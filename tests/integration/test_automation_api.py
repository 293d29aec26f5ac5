"""Automation rules through the API (both engines): versions, history, rollback, the 422s
that name the rule and field, the dry run, and rules applied by the relay to placed orders."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from podium.bootstrap import Podium
from podium.db.tables import outbox
from podium.events import Envelope
from support import Api, order_body, seed_store


def drain(podium: Podium) -> None:
    for _ in range(50):
        if podium.relay.run_once() == 0:
            return


def _rule(name: str, when: Any, *then: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"name": name, "trigger": "order.placed", "when": when, "then": list(then), **extra}


BIG = {"field": "total", "op": ">=", "value": "100.00"}
VIP = _rule("big orders", BIG, {"action": "add_tag", "tag": "big"})
HOLD_BIG = _rule(
    "hold big orders",
    {"all": [BIG, {"field": "tags", "op": "contains", "value": "big"}]},
    {"action": "hold", "reason": "fraud_review", "note": "check it"},
)


def _timeline(api: Api, order_id: str, kind: str) -> list[dict[str, Any]]:
    items = api.ok("get", f"/orders/{order_id}/timeline")["items"]
    return [e for e in items if e["type"] == kind]


def test_nothing_saved_reads_as_version_zero_with_no_rules(api: Api) -> None:
    found = api.ok("get", "/automation/rules")
    assert (found["version"], found["active"], found["rule_set"]) == (0, True, {"rules": []})


def test_saving_rules_makes_versions_and_rollback_brings_an_old_one_back(api: Api) -> None:
    first = api.client.put("/api/v1/automation/rules", json={"rules": [VIP]}, headers=api.headers())
    assert first.status_code == 200, first.text
    assert first.json()["version"] == 1
    second = api.client.put(
        "/api/v1/automation/rules", json={"rules": [VIP, HOLD_BIG]}, headers=api.headers()
    )
    assert second.json()["version"] == 2
    history = api.ok("get", "/automation/rules/history")["items"]
    assert [(v["version"], v["active"]) for v in history] == [(2, True), (1, False), (0, False)]
    back = api.ok("post", "/automation/rules/rollback", {"version": 1})
    assert (back["version"], back["note"]) == (3, "rollback to version 1")
    assert [r["name"] for r in back["rule_set"]["rules"]] == ["big orders"]
    assert api.ok("get", "/automation/rules")["version"] == 3
    assert api.get("/automation/rules/versions/9").status_code == 404


def test_an_invalid_rule_set_is_a_422_naming_the_rule_and_field_and_nothing_is_saved(
    api: Api,
) -> None:
    bad = _rule("bad op", {"all": [{"field": "total", "op": "matches", "value": "1"}]})
    bad["then"] = [{"action": "add_tag", "tag": "x"}]
    r = api.client.put(
        "/api/v1/automation/rules", json={"rules": [VIP, bad]}, headers=api.headers()
    )
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["code"] == "invalid_rule_set"
    assert error["details"] == {"field": "rules.1.when.all.0.op", "rule": 1, "name": "bad op"}
    assert "bad op" in error["message"]
    assert api.ok("get", "/automation/rules")["version"] == 0


def test_each_kind_of_fault_names_its_field(api: Api) -> None:
    cases = [
        ({**VIP, "trigger": "order.exploded"}, "rules.0.trigger"),
        ({**VIP, "then": [{"action": "launch"}]}, "rules.0.then.0.action"),
        ({**VIP, "then": [{"action": "hold", "reason": "whim"}]}, "rules.0.then.0.reason"),
        ({**VIP, "then": [{"action": "set_priority", "priority": 10}]}, "rules.0.then.0.priority"),
        ({**VIP, "when": {"field": "colour", "op": "==", "value": "x"}}, "rules.0.when.field"),
        ({**VIP, "when": {"field": "total", "op": ">", "value": 5}}, "rules.0.when.value"),
        (
            {**VIP, "when": {"field": "customer.email", "op": "matches", "value": "(a+)+$"}},
            "rules.0.when.value",
        ),
        ({**VIP, "then": [{"action": "route_to", "warehouse": ""}]}, "rules.0.then.0.warehouse"),
        ({**VIP, "enabled": "yes"}, "rules.0.enabled"),
    ]
    for rule, field in cases:
        r = api.client.put(
            "/api/v1/automation/rules", json={"rules": [rule]}, headers=api.headers()
        )
        assert r.status_code == 422, (field, r.text)
        assert r.json()["error"]["details"]["field"] == field, r.text


def test_two_rules_with_one_name_are_refused(api: Api) -> None:
    r = api.client.put(
        "/api/v1/automation/rules", json={"rules": [VIP, VIP]}, headers=api.headers()
    )
    assert r.status_code == 422
    assert r.json()["error"]["details"] == {
        "field": "rules.1.name",
        "rule": 1,
        "name": "big orders",
    }


def test_only_admins_change_rules(api: Api) -> None:
    r = api.client.put(
        "/api/v1/automation/rules", json={"rules": [VIP]}, headers=api.headers("operator")
    )
    assert r.status_code == 403
    assert api.get("/automation/rules", role="readonly").status_code == 200


def test_a_placed_order_is_tagged_and_held_by_rules_before_the_warehouse_gets_it(
    api: Api, podium: Podium
) -> None:
    seed_store(api, {("TEE", "EAST"): 20})
    saved = api.client.put(
        "/api/v1/automation/rules", json={"rules": [VIP, HOLD_BIG]}, headers=api.headers()
    ).json()
    big = api.ok("post", "/orders", order_body([("TEE", 6)], external_id="big"))
    small = api.ok("post", "/orders", order_body([("TEE", 1)], external_id="small"))
    drain(podium)
    held = api.ok("get", f"/orders/{big['id']}")
    assert held["tags"] == ["big"]
    assert held["status"] == "on_hold"
    assert [h["reason"] for h in held["holds"]] == ["fraud_review"]
    assert [s["status"] for s in held["shipments"]] == ["pending"]  # never released
    fired = _timeline(api, big["id"], "automation.fired")
    assert [(e["data"]["rule"], e["data"]["version"]) for e in fired] == [
        ("big orders", saved["version"]),
        ("hold big orders", saved["version"]),
    ]
    assert fired[1]["data"]["actions"] == ["hold (fraud_review)"]
    untouched = api.ok("get", f"/orders/{small['id']}")
    assert (untouched["tags"], untouched["status"]) == ([], "ready")
    assert [s["status"] for s in untouched["shipments"]] == ["released"]
    assert _timeline(api, small["id"], "automation.fired") == []


def test_a_redelivered_event_fires_nothing_twice(api: Api, podium: Podium) -> None:
    seed_store(api, {("TEE", "EAST"): 20})
    rules = [_rule("note it", None, {"action": "notify", "event": "seen"})]
    api.client.put("/api/v1/automation/rules", json={"rules": rules}, headers=api.headers())
    order = api.ok("post", "/orders", order_body([("TEE", 1)], external_id="once"))
    drain(podium)
    with podium.db.read() as conn:
        row = (
            conn.execute(sa.select(outbox).where(outbox.c.event_type == "order.created"))
            .mappings()
            .one()
        )
    again = Envelope(
        id=row["id"],
        aggregate_type=row["aggregate_type"],
        aggregate_id=row["aggregate_id"],
        type=row["event_type"],
        payload=dict(row["payload"]),
        created_at=row["created_at"],
        attempt=2,
    )
    handler = next(s.handler for s in podium.registry.subscriptions if s.name == "automation")
    assert handler is not None
    handler(again)  # at least once: the relay may hand the same event over again
    assert len(_timeline(api, order["id"], "automation.fired")) == 1


def test_a_disabled_rule_does_not_fire_and_release_undoes_a_hold_on_update(
    api: Api, podium: Podium
) -> None:
    seed_store(api, {("TEE", "EAST"): 20})
    rules = [
        {**VIP, "enabled": False},
        _rule("priority", None, {"action": "set_priority", "priority": 7}),
        _rule("express", None, {"action": "set_service_level", "service_level": "express"}),
    ]
    api.client.put("/api/v1/automation/rules", json={"rules": rules}, headers=api.headers())
    order = api.ok("post", "/orders", order_body([("TEE", 6)], external_id="dis"))
    drain(podium)
    found = api.ok("get", f"/orders/{order['id']}")
    assert found["tags"] == []
    assert (found["priority"], found["service_level"]) == (7, "express")


def test_a_cancel_rule_cancels_the_order_and_frees_its_stock(api: Api, podium: Podium) -> None:
    seed_store(api, {("TEE", "EAST"): 20})
    block = _rule(
        "blocked domain",
        {"field": "customer.email", "op": "matches", "value": "@example\\.com$"},
        {"action": "cancel", "reason": "blocked domain"},
    )
    api.client.put("/api/v1/automation/rules", json={"rules": [block]}, headers=api.headers())
    order = api.ok("post", "/orders", order_body([("TEE", 2)], external_id="blk"))
    drain(podium)
    assert api.ok("get", f"/orders/{order['id']}")["status"] == "cancelled"
    assert api.ok("get", "/inventory/TEE")["reserved"] == 0


def test_the_dry_run_says_what_each_rule_would_do_and_writes_nothing(
    api: Api, podium: Podium
) -> None:
    seed_store(api, {("TEE", "EAST"): 20})
    big = api.ok("post", "/orders", order_body([("TEE", 6)], external_id="d1"))
    api.ok("post", "/orders", order_body([("TEE", 1)], external_id="d2"))
    drain(podium)
    report = api.ok("post", "/automation/rules/test", {"rules": [VIP, HOLD_BIG], "last": 10})
    assert (report["orders_tried"], report["orders_matched"], report["version"]) == (2, 1, None)
    by_name = {r["name"]: r for r in report["rules"]}
    assert by_name["big orders"]["fired"] == 1
    assert by_name["big orders"]["orders"][0]["number"] == big["number"]
    assert by_name["big orders"]["orders"][0]["actions"] == ["add_tag(tag=big)"]
    # the second rule sees the tag the first one would have added
    assert by_name["hold big orders"]["fired"] == 1
    assert api.ok("get", f"/orders/{big['id']}")["tags"] == []
    assert api.ok("get", "/automation/rules")["version"] == 0
    bad = api.post("/automation/rules/test", {"rules": [{**VIP, "trigger": "x"}]})
    assert bad.status_code == 422
    assert bad.json()["error"]["details"]["field"] == "rules.0.trigger"


def test_a_first_order_rule_sees_how_many_orders_the_customer_has(api: Api, podium: Podium) -> None:
    seed_store(api, {("TEE", "EAST"): 20})
    first_order = _rule(
        "welcome",
        {"field": "customer.orders_count", "op": "==", "value": 1},
        {"action": "add_tag", "tag": "first-order"},
    )
    api.client.put("/api/v1/automation/rules", json={"rules": [first_order]}, headers=api.headers())
    first = api.ok("post", "/orders", order_body([("TEE", 1)], external_id="c1"))
    second = api.ok("post", "/orders", order_body([("TEE", 1)], external_id="c2"))
    drain(podium)
    assert api.ok("get", f"/orders/{first['id']}")["tags"] == ["first-order"]
    assert api.ok("get", f"/orders/{second['id']}")["tags"] == []


def test_the_tags_of_every_rule_that_fired_are_written_once(api: Api, podium: Podium) -> None:
    seed_store(api, {("TEE", "EAST"): 20})
    rules = [
        _rule("a", None, {"action": "add_tag", "tag": "one"}, {"action": "add_tag", "tag": "two"}),
        _rule("b", None, {"action": "add_tag", "tag": "three"}),
        _rule("c", {"field": "tags", "op": "contains", "value": "three"}, REMOVE_TWO),
    ]
    api.client.put("/api/v1/automation/rules", json={"rules": rules}, headers=api.headers())
    order = api.ok("post", "/orders", order_body([("TEE", 1)], external_id="tags"))
    drain(podium)
    assert api.ok("get", f"/orders/{order['id']}")["tags"] == ["one", "three"]
    (tagged,) = _timeline(api, order["id"], "order.tagged")
    assert (tagged["data"]["added"], tagged["data"]["removed"]) == (["one", "three"], [])
    assert tagged["data"]["rules"] == ["a", "b", "c"]
    fired = _timeline(api, order["id"], "automation.fired")
    assert [e["data"]["actions"] for e in fired] == [
        ["add_tag one", "add_tag two"],
        ["add_tag three"],
        ["remove_tag two"],
    ]


REMOVE_TWO = {"action": "remove_tag", "tag": "two"}
