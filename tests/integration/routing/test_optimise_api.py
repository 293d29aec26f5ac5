"""The wave optimiser over the API: a dry run, then applying it with the ledger kept clean."""

from __future__ import annotations

from typing import Any

from podium.bootstrap import Podium
from podium.inventory.doctor import examine
from support import Api, order_body, seed_store


def _wave(api: Api) -> tuple[dict[str, Any], dict[str, Any]]:
    # One unit in Oakland (WEST), one in Newark (EAST). Denver orders first and takes Oakland,
    # the nearest; San Francisco then ships from Newark. Swapping them is cheaper overall.
    seed_store(api, {("TEE", "EAST"): 1, ("TEE", "WEST"): 1})
    denver = api.ok(
        "post", "/orders", order_body([("TEE", 1)], external_id="den", postal_code="80202")
    )
    sf = api.ok("post", "/orders", order_body([("TEE", 1)], external_id="sf", postal_code="94103"))
    assert [s["warehouse"] for s in denver["shipments"]] == ["WEST"]
    assert [s["warehouse"] for s in sf["shipments"]] == ["EAST"]
    return denver, sf


def _live(order: dict[str, Any]) -> list[str]:
    return [x["warehouse"] for x in order["shipments"] if x["status"] != "cancelled"]


def test_dry_run_reports_the_cheaper_plan_and_changes_nothing(api: Api) -> None:
    denver, _ = _wave(api)
    report = api.ok("post", "/routing/optimise", {})
    assert (report["orders"], report["status"], report["changed"], report["applied"]) == (
        2,
        "optimal",
        2,
        0,
    )
    assert float(report["optimised_cost"]) < float(report["current_cost"])
    assert float(report["saving"]) > 0
    again = api.ok("get", f"/orders/{denver['id']}")
    assert [s["warehouse"] for s in again["shipments"]] == ["WEST"]


def test_applying_swaps_the_orders_and_keeps_the_ledger_clean(api: Api, podium: Podium) -> None:
    denver, sf = _wave(api)
    report = api.ok("post", "/routing/optimise", {"apply": True, "time_budget_seconds": 5})
    assert report["applied"] == 2 and report["skipped"] == [], report
    d = api.ok("get", f"/orders/{denver['id']}")
    s = api.ok("get", f"/orders/{sf['id']}")
    assert (_live(d), _live(s)) == (["EAST"], ["WEST"])
    timeline = api.ok("get", f"/orders/{denver['id']}/timeline")["items"]
    assert timeline[-1]["type"] == "order.rerouted"
    assert "Re-planned by the optimiser (was WEST)" in timeline[-1]["message"]
    assert examine(podium.db).ok
    inv = api.ok("get", "/inventory/TEE")
    assert (inv["reserved"], inv["available"]) == (2, 0)
    # Already optimal: a second run moves nothing.
    assert api.ok("post", "/routing/optimise", {"apply": True})["changed"] == 0


def test_optimise_is_refused_for_bad_input_and_roles(api: Api) -> None:
    seed_store(api, {("TEE", "EAST"): 1})
    assert api.post("/routing/optimise", {"warehouse": "NOPE"}).status_code == 404
    bad = api.post("/routing/optimise", {"time_budget_seconds": -1})
    assert bad.status_code == 422
    assert bad.json()["error"]["details"]["field"] == "time_budget_seconds"
    assert api.post("/routing/optimise", {}, role="readonly").status_code == 403
    assert api.ok("post", "/routing/optimise", {"warehouse": "EAST"})["orders"] == 0
