"""`podium automation rules` and `podium orders tag` from the command line (both engines)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from podium.bootstrap import Podium
from podium.cli import app
from support import Api, order_body, seed_store

RULES = {
    "rules": [
        {
            "name": "big orders",
            "trigger": "order.placed",
            "when": {"field": "total", "op": ">=", "value": "100.00"},
            "then": [{"action": "add_tag", "tag": "big"}],
        }
    ]
}


def test_an_operator_sets_tries_and_rolls_back_rules_and_tags_orders(
    api: Api, podium: Podium, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PODIUM_DATABASE_URL", database_url)
    seed_store(api, {("TEE", "EAST"): 20})
    big = api.ok("post", "/orders", order_body([("TEE", 6)], external_id="big"))
    runner = CliRunner()
    rules = tmp_path / "rules.json"
    rules.write_text(json.dumps(RULES))

    tried = runner.invoke(app, ["automation", "rules", "test", str(rules), "--last", "5"])
    assert tried.exit_code == 0, tried.output
    assert "1 of 1 order(s) would be touched" in tried.output and big["number"] in tried.output

    saved = runner.invoke(app, ["automation", "rules", "set", str(rules)])
    assert saved.exit_code == 0, saved.output
    assert "version 1 is active (1 rules)" in saved.output
    shown = runner.invoke(app, ["automation", "rules", "show"])
    assert "# version 1 (active)" in shown.output and "big orders" in shown.output

    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"rules": [{**RULES["rules"][0], "trigger": "nope"}]}))
    refused = runner.invoke(app, ["automation", "rules", "set", str(bad)])
    assert refused.exit_code == 2 and "trigger" in refused.output

    back = runner.invoke(app, ["automation", "rules", "rollback", "0"])
    assert back.exit_code == 0, back.output
    history = runner.invoke(app, ["automation", "rules", "history"])
    assert history.exit_code == 0 and "big orders" in history.output
    versions = api.ok("get", "/automation/rules/history")["items"]
    assert (versions[0]["version"], versions[0]["note"]) == (2, "rollback to version 0")
    assert api.ok("get", "/automation/rules")["rule_set"] == {"rules": []}

    tagged = runner.invoke(app, ["orders", "tag", big["number"], "--add", "vip", "--add", "b2b"])
    assert tagged.exit_code == 0, tagged.output
    assert f"{big['number']}: vip, b2b" in tagged.output
    listed = runner.invoke(app, ["orders", "list", "--tag", "vip"])
    assert big["number"] in listed.output
