"""`podium planning po|transfer|incoming` in-process (CliRunner) on SQLite: create a PO,
receive part of it, see what is still incoming; ship a transfer; a bad line exits
2 naming the shape; a channel's pre-order cap is set."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from test_replenishment_api import supplier
from typer.testing import CliRunner

from podium.cli import app as cli
from support import Api, seed_store

Run = Callable[..., tuple[int, str]]


@pytest.fixture
def run(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Run:
    monkeypatch.setenv("PODIUM_DATABASE_URL", database_url)
    monkeypatch.setenv("COLUMNS", "200")
    runner = CliRunner()

    def invoke(*args: str) -> tuple[int, str]:
        result = runner.invoke(cli, ["planning", *args])
        return result.exit_code, result.output

    return invoke


@pytest.mark.sqlite_only
def test_a_po_and_a_transfer_from_the_command_line(api: Api, run: Run) -> None:
    seed_store(api, {("TEE", "EAST"): 10, ("TEE", "WEST"): 0})
    api.ok("post", "/planning/suppliers", supplier("ACME"))
    code, output = run("po", "create", "ACME", "WEST", "--line", "TEE:20:3.40", "--json")
    assert code == 0, output
    number = json.loads(output)["number"]
    code, output = run("po", "receive", number, "--line", "TEE:5", "--key", "k1")
    assert code == 0 and "partially_received" in output, output
    code, output = run("incoming", "--json")
    assert code == 0 and [r["quantity"] for r in json.loads(output)] == [15], output
    code, output = run("po", "receive", number, "--line", "TEE")
    assert code == 2 and "SKU:QUANTITY" in output
    code, output = run("transfer", "create", "EAST", "WEST", "--line", "TEE:4", "--json")
    assert code == 0, output
    moved = json.loads(output)["number"]
    code, output = run("transfer", "ship", moved)
    assert code == 0 and "in_transit" in output, output
    assert api.ok("get", "/inventory/TEE")["on_hand"] == 11
    code, output = run("preorder-cap", "web", "--cap", "5")
    assert code == 0 and "up to 5" in output, output
    assert api.ok("get", "/planning/preorder-caps")[0]["cap"] == 5
