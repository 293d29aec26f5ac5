"""`podium reports NAME` from the command line, in process: table, CSV, JSON, a bad range.
SQLite only; the API tests run the same reports on both engines."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from podium.cli import app
from support import Api, order_body, seed_store


@pytest.mark.sqlite_only
def test_an_operator_reads_a_report_as_a_table_csv_or_json(
    api: Api, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PODIUM_DATABASE_URL", database_url)
    seed_store(api, {("TEE", "EAST"): 20})
    api.ok("post", "/orders", order_body([("TEE", 3)], external_id="1"))
    runner = CliRunner()
    table = runner.invoke(app, ["reports", "sales-by-sku"])
    assert table.exit_code == 0, table.output
    assert "Sales by SKU" in table.output and "TEE" in table.output and "59.97" in table.output
    as_csv = runner.invoke(app, ["reports", "sales-by-channel", "--csv"])
    assert as_csv.exit_code == 0, as_csv.output
    assert list(csv.reader(io.StringIO(as_csv.output)))[1] == ["web", "1", "3", "59.97", "USD"]
    as_json = runner.invoke(app, ["reports", "fulfilment", "--json", "--warehouse", "EAST"])
    assert as_json.exit_code == 0, as_json.output
    assert json.loads(as_json.output)["rows"][0]["warehouse"] == "EAST"
    bad = runner.invoke(
        app, ["reports", "sales-by-day", "--from", "2026-03-05", "--to", "2026-03-01"]
    )
    assert bad.exit_code == 2 and "before" in bad.output
    unknown = runner.invoke(app, ["reports", "best-sellers"])
    assert unknown.exit_code == 2 and "sales-by-day" in unknown.output
