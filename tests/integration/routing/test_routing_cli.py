"""`podium routing`: rules, optimise and simulate, as operators run them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from podium.cli import app as cli
from support import Api, order_body, seed_store


@pytest.fixture
def run(database_url: str, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("PODIUM_DATABASE_URL", database_url)
    runner = CliRunner()

    def invoke(*args: str) -> tuple[int, str]:
        result = runner.invoke(cli, ["routing", *args])
        return result.exit_code, result.output

    return invoke


def test_rules_set_show_history_and_rollback(api: Api, run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rules = tmp_path / "rules.json"
    rules.write_text(
        json.dumps({"rules": [{"name": "nearest", "sort": ["distance"]}], "note": "nearest"})
    )
    code, output = run("rules", "set", str(rules))
    assert code == 0, output
    assert "version 1 is active" in output
    code, output = run("rules", "show")
    assert code == 0 and "# version 1 (active)" in output and '"nearest"' in output
    code, output = run("rules", "history")
    assert code == 0 and "built-in" in output and "nearest" in output
    code, output = run("rules", "rollback", "0")
    assert code == 0 and "active again as version 2" in output
    assert api.ok("get", "/routing/rules")["rule_set"]["rules"][0]["name"] == "whole-order-on-time"


def test_bad_rule_files_print_one_line_and_exit_2(api: Api, run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"rules": [{"name": "h", "action": "hold"}]}))
    code, output = run("rules", "set", str(bad))
    assert code == 2 and "needs a queue" in output
    code, output = run("rules", "set", str(tmp_path / "missing.json"))
    assert code == 2 and "cannot read" in output
    code, output = run("rules", "show", "--version", "9")
    assert code == 2 and "rules_version_not_found" in output


def test_simulate_compares_current_rules_with_a_candidate(api: Api, run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    seed_store(api, {("A", "EAST"): 20, ("A", "WEST"): 20, ("B", "EAST"): 20})
    for i in range(4):
        api.ok("post", "/orders", order_body([("A", 1), ("B", 1)], external_id=f"s{i}"))
    api.ok("post", "/orders", order_body([("A", 2)], external_id="s-west"))
    candidate = tmp_path / "cand.json"
    candidate.write_text(
        json.dumps({"rules": [{"name": "east", "locations": {"warehouses": ["EAST"]}}]})
    )
    code, output = run("simulate", "--last", "10", "--rules", str(candidate), "--json")
    assert code == 0, output
    figures = json.loads(output)["results"]
    current, cand = figures["current (v0)"], figures["candidate"]
    assert current["orders"] == cand["orders"] == 5
    assert current["shipments_per_order"] == 1.0
    assert current["capacity_use"] == {"EAST": 4, "WEST": 1}
    assert cand["capacity_use"] == {"EAST": 5}
    assert cand["mean_distance_km"] > current["mean_distance_km"]
    code, table = run("simulate", "--last", "10", "--rules", str(candidate))
    assert code == 0 and "shipments per order" in table and "parcels from EAST" in table

    orders = tmp_path / "orders.json"
    orders.write_text(json.dumps([order_body([("A", 1)], external_id="f1", postal_code="10001")]))
    code, output = run("simulate", "--orders", str(orders), "--json")
    assert code == 0, output
    assert json.loads(output)["results"]["current (v0)"]["capacity_use"] == {"EAST": 1}
    code, output = run("simulate")
    assert code == 2 and "exactly one of" in output
    orders.write_text(json.dumps([{"channel": "web"}]))
    code, output = run("simulate", "--orders", str(orders))
    assert code == 2 and "Field required" in output.replace("\n", " ")


def test_optimise_dry_run_then_apply(api: Api, run) -> None:  # type: ignore[no-untyped-def]
    seed_store(api, {("TEE", "EAST"): 1, ("TEE", "WEST"): 1})
    api.ok("post", "/orders", order_body([("TEE", 1)], external_id="den", postal_code="80202"))
    api.ok("post", "/orders", order_body([("TEE", 1)], external_id="sf", postal_code="94103"))
    code, output = run("optimise")
    assert code == 0, output
    assert "2 order(s) to move (dry run" in output
    code, output = run("optimise", "--warehouse", "WEST", "--json")
    assert code == 0 and json.loads(output)["orders"] == 1  # only Denver ships from WEST
    code, output = run("optimise", "--apply")
    assert code == 0 and "2 moved" in output.replace("\n", " "), output
    code, output = run("optimise", "--warehouse", "NOPE")
    assert code == 2 and "warehouse_not_found" in output
