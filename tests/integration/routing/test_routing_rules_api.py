"""The routing rule set over the API: versioned saves, history, rollback, refusals."""

from __future__ import annotations

from typing import Any

from support import Api, seed_store

CUSTOM = {
    "rules": [
        {
            "name": "vip-east",
            "when": {"tags_any": ["vip"], "min_value": "10.00"},
            "locations": {"warehouses": ["EAST"]},
            "action": "allocate_whole",
        },
        {"name": "rest", "sort": ["distance"], "action": "allow_split"},
    ],
    "split_penalty": "4.00",
    "note": "vip orders from the east",
}


def _put(api: Api, body: Any, role: str = "admin") -> Any:
    return api.client.put("/api/v1/routing/rules", json=body, headers=api.headers(role))


def test_default_rules_are_version_zero_until_a_save(api: Api) -> None:
    found = api.ok("get", "/routing/rules")
    assert (found["version"], found["active"]) == (0, True)
    assert found["rule_set"]["rules"][0]["name"] == "whole-order-on-time"


def test_every_save_is_a_new_version_and_rollback_restores_an_old_one(api: Api) -> None:
    saved = _put(api, CUSTOM)
    assert saved.status_code == 200, saved.text
    assert saved.json()["version"] == 1
    second = _put(api, {**CUSTOM, "split_penalty": "9.00", "note": None}).json()
    assert second["version"] == 2
    history = api.ok("get", "/routing/rules/history")["items"]
    assert [v["version"] for v in history] == [2, 1, 0]
    assert [v["active"] for v in history] == [True, False, False]
    old = api.ok("get", "/routing/rules/versions/1")
    assert old["rule_set"]["split_penalty"] == "4.00" and old["created_by"]
    back = api.ok("post", "/routing/rules/rollback", {"version": 1})
    assert back["version"] == 3 and back["note"] == "rollback to version 1"
    assert api.ok("get", "/routing/rules")["rule_set"]["split_penalty"] == "4.00"
    assert (
        api.ok("post", "/routing/rules/rollback", {"version": 0})["rule_set"]["rules"][0]["name"]
        == "whole-order-on-time"
    )


def test_a_saved_rule_routes_the_next_order(api: Api) -> None:
    from support import order_body

    seed_store(api, {("TEE", "EAST"): 5, ("TEE", "WEST"): 5})
    _put(api, CUSTOM)
    vip = api.ok("post", "/orders", order_body([("TEE", 1)], external_id="v", tags=["vip"]))
    plain = api.ok("post", "/orders", order_body([("TEE", 1)], external_id="p"))
    assert [s["warehouse"] for s in vip["shipments"]] == ["EAST"]
    assert [s["warehouse"] for s in plain["shipments"]] == ["WEST"]
    timeline = api.ok("get", f"/orders/{vip['id']}/timeline")["items"]
    routed = next(e for e in timeline if e["type"] == "order.routed")
    assert (routed["data"]["rule"], routed["data"]["rules_version"]) == ("vip-east", 1)


def test_bad_rule_sets_are_refused_with_the_field_and_nothing_saved(api: Api) -> None:
    cases = [
        ({"rules": []}, "rules"),
        ({"rules": [{"name": "h", "action": "hold"}]}, "rules.0"),
        ({"rules": [{"name": "x", "sort": ["colour"]}]}, "rules.0.sort.0"),
        ({"rules": [{"name": "x", "when": {"min_value": 5}}]}, "rules.0.when.min_value"),
        ({"rules": [{"name": "x"}, {"name": "x"}]}, None),
        ({"rules": [{"name": "x", "surprise": 1}]}, "rules.0.surprise"),
        ({"rules": [{"name": "x", "scarcity_weight": -1}]}, "rules.0.scarcity_weight"),
    ]
    for body, field in cases:
        r = _put(api, body)
        assert r.status_code == 422, (body, r.text)
        if field is not None:
            assert r.json()["error"]["details"]["field"] == field, r.json()
    assert api.ok("get", "/routing/rules")["version"] == 0
    assert _put(api, CUSTOM, role="operator").status_code == 403
    assert api.get("/routing/rules/versions/7").status_code == 404
    assert api.post("/routing/rules/rollback", {"version": 7}).status_code == 404


def test_warehouse_routing_settings_round_trip_and_bad_ones_are_refused(api: Api) -> None:
    seed_store(api, {("TEE", "EAST"): 1})
    rates = {
        "weights_g": [1000, 5000],
        "prices": [[500, 900]] * 6,
        "extra_per_kg": [100] * 6,
    }
    patched = api.ok(
        "patch",
        "/warehouses/EAST",
        {
            "cutoff_time": "14:30",
            "time_zone": "America/New_York",
            "working_days": [6, 1, 2, 3, 4, 5],
            "serves_channels": ["web"],
            "serves_countries": ["us", "CA"],
            "ship_from_store": True,
            "shipping_rates": rates,
        },
    )
    assert patched["cutoff_time"] == "14:30"
    assert patched["working_days"] == [1, 2, 3, 4, 5, 6]
    assert patched["serves_countries"] == ["CA", "US"]
    assert patched["ship_from_store"] is True
    assert patched["shipping_rates"] == rates
    assert api.ok("get", "/warehouses/EAST")["time_zone"] == "America/New_York"
    for body, code, field in [
        ({"time_zone": "Mars/Olympus"}, "invalid_time_zone", "time_zone"),
        ({"cutoff_time": "25:00"}, None, "cutoff_time"),
        ({"working_days": [0]}, None, "working_days"),
        ({"shipping_rates": {"weights_g": [1]}}, "invalid_rate_table", "shipping_rates"),
        ({"ship_from_store": None}, "null_not_allowed", "ship_from_store"),
    ]:
        r = api.patch("/warehouses/EAST", body)
        assert r.status_code == 422, (body, r.text)
        err = r.json()["error"]
        assert err["details"]["field"] == field
        if code:
            assert err["code"] == code
    assert api.ok("patch", "/warehouses/EAST", {"cutoff_time": None})["cutoff_time"] is None


def test_a_cost_to_go_rule_with_its_scarcity_weight_is_saved_and_routes(api: Api) -> None:
    seed_store(api, {("TEE", "EAST"): 5})
    body = {"rules": [{"name": "to-go", "sort": ["cost_to_go"], "scarcity_weight": 1500}]}
    saved = _put(api, body)
    assert saved.status_code == 200, saved.text
    rule = api.ok("get", "/routing/rules")["rule_set"]["rules"][0]
    assert (rule["sort"], rule["scarcity_weight"]) == (["cost_to_go"], 1500)
    from support import order_body

    placed = api.ok("post", "/orders", order_body([("TEE", 1)], external_id="g"))
    assert [s["warehouse"] for s in placed["shipments"]] == ["EAST"]
