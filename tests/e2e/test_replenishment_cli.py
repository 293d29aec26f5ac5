"""`podium planning suppliers|policy|replenish` as an operator runs them: add a supplier, link
a SKU with MOQ and case pack, and read what to buy; mistakes exit 2 naming the field."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from test_planning_cli import _podium, _store


@pytest.mark.sqlite_only
def test_suppliers_then_replenish_suggests_whole_cases_from_the_supplier(
    database_url: str, tmp_path: Path
) -> None:
    _store(database_url)
    end = date(2026, 5, 31)
    history = tmp_path / "history.csv"
    rows = ["date,sku,quantity,warehouse"] + [
        f"{end - timedelta(days=i)},TEE,{6 + i % 3},EAST" for i in range(60)
    ]
    history.write_text("\n".join(rows) + "\n")
    assert _podium(database_url, "planning", "history", "import", str(history)).returncode == 0
    assert _podium(database_url, "planning", "forecast", "--horizon", "14").returncode == 0
    bad = _podium(
        database_url, "planning", "suppliers", "add", "ACME", "--name", "Acme",
        "--currency", "EURO", "--lead-time", "5",
    )  # fmt: skip
    assert bad.returncode == 2 and "currency" in bad.stdout + bad.stderr
    added = _podium(
        database_url, "planning", "suppliers", "add", "ACME", "--name", "Acme",
        "--currency", "EUR", "--lead-time", "5", "--email", "sales@acme.example",
    )  # fmt: skip
    assert added.returncode == 0, added.stdout + added.stderr
    linked = _podium(
        database_url, "planning", "suppliers", "link", "ACME", "TEE", "--cost", "2.50",
        "--moq", "100", "--case-pack", "12", "--preferred",
    )  # fmt: skip
    assert linked.returncode == 0, linked.stdout + linked.stderr
    listed = _podium(database_url, "planning", "suppliers", "list")
    assert "ACME" in listed.stdout
    policy = _podium(database_url, "planning", "policy", "TEE", "--service-level", "0.98")
    assert policy.returncode == 0 and "98.0%" in policy.stdout
    shown = _podium(database_url, "planning", "replenish", "--json")
    assert shown.returncode == 0, shown.stdout + shown.stderr
    (row,) = json.loads(shown.stdout)["items"]
    assert (row["sku"], row["warehouse"], row["supplier"]) == ("TEE", "EAST", "ACME")
    assert row["quantity"] >= 100 and row["quantity"] % 12 == 0
    assert row["service_level"] == 0.98 and row["lead_time_days"] == 5
    table = _podium(database_url, "planning", "replenish")
    assert table.returncode == 0 and "now" in table.stdout
