"""`podium planning` as an operator runs it: import history, forecast with a progress bar,
read a SKU's forecast and the backtest; rejected files exit 1 with their lines."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from podium.catalog.model import ProductIn, WarehouseIn
from podium.catalog.service import create_product, create_warehouse
from podium.db.database import Database
from podium.db.engine import build_engine
from podium.db.migrate import upgrade

PODIUM = Path(sys.executable).with_name("podium")


def _podium(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PODIUM_DATABASE_URL": database_url, "COLUMNS": "200"}
    return subprocess.run(
        [str(PODIUM), *args], env=env, capture_output=True, text=True, timeout=180, check=False
    )


def _store(database_url: str) -> None:
    engine = build_engine(database_url)
    upgrade(engine)
    db = Database(engine)
    create_warehouse(
        db,
        WarehouseIn.model_validate({"code": "EAST", "name": "East", "address": {"country": "US"}}),
    )
    create_product(db, ProductIn(sku="TEE", name="Tee"))
    db.dispose()


@pytest.mark.sqlite_only
def test_history_import_then_forecast_then_show(database_url: str, tmp_path: Path) -> None:
    _store(database_url)
    end = date(2026, 5, 31)
    rows = ["date,sku,quantity,warehouse"]
    rows += [f"{end - timedelta(days=i)},TEE,{4 + (i % 7 == 0) * 5},EAST" for i in range(90)]
    good = tmp_path / "history.csv"
    good.write_text("\n".join(rows) + "\n")
    bad = tmp_path / "bad.csv"
    bad.write_text("date,sku,quantity\n2026-02-30,TEE,1\n")
    refused = _podium(database_url, "planning", "history", "import", str(bad))
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "invalid_date" in refused.stdout
    done = _podium(database_url, "planning", "history", "import", str(good))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "90" in done.stdout
    run = _podium(database_url, "planning", "forecast", "--horizon", "7")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 series, 7 days from 2026-06-01" in run.stdout
    shown = _podium(database_url, "planning", "show", "TEE", "--json")
    assert shown.returncode == 0, shown.stdout + shown.stderr
    view = json.loads(shown.stdout)
    assert view["daily"][0]["date"] == "2026-06-01" and len(view["daily"]) == 7
    tested = _podium(database_url, "planning", "backtest")
    assert tested.returncode == 0 and "RMSSE" in tested.stdout
