"""The podium command as an operator uses it: clear output, readable errors, honest exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa

from podium.catalog.model import ProductIn, WarehouseIn
from podium.catalog.service import create_product, create_warehouse
from podium.db.database import Database
from podium.db.engine import build_engine
from podium.db.migrate import head_revision
from podium.inventory.model import AdjustmentIn
from podium.inventory.service import adjust

PODIUM = Path(sys.executable).with_name("podium")


def _podium(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PODIUM_DATABASE_URL": database_url}
    return subprocess.run(
        [str(PODIUM), *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_keys_create_prints_the_key_alone_on_the_last_line(database_url: str) -> None:
    upgraded = _podium(database_url, "db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    assert f"revision {head_revision()}" in upgraded.stdout
    made = _podium(database_url, "keys", "create", "--name", "ci", "--role", "warehouse")
    assert made.returncode == 0, made.stderr
    last = made.stdout.strip().splitlines()[-1]
    assert last.startswith("pdm_")
    assert " " not in last
    listed = _podium(database_url, "keys", "list")
    assert "warehouse" in listed.stdout
    assert last not in listed.stdout


def test_operator_mistakes_get_a_sentence_not_a_traceback(database_url: str) -> None:
    bad_role = _podium(database_url, "keys", "create", "--name", "x", "--role", "wizard")
    assert bad_role.returncode == 2
    assert "role must be one of" in bad_role.stderr
    assert "Traceback" not in bad_role.stderr + bad_role.stdout
    bad_url = _podium("mysql://nobody@localhost/x", "doctor")
    assert bad_url.returncode == 2
    assert "PODIUM_DATABASE_URL must be" in bad_url.stderr
    assert "Traceback" not in bad_url.stderr
    unreachable = _podium("postgresql://nobody@127.0.0.1:1/none", "doctor")
    assert unreachable.returncode == 2
    assert "cannot use the database" in unreachable.stderr
    assert "Traceback" not in unreachable.stderr


def test_doctor_finds_a_balance_that_disagrees_with_the_ledger(database_url: str) -> None:
    assert _podium(database_url, "db", "upgrade").returncode == 0
    engine = build_engine(database_url)
    db = Database(engine)
    create_warehouse(
        db,
        WarehouseIn.model_validate({"code": "EAST", "name": "East", "address": {"country": "US"}}),
    )
    create_product(db, ProductIn(sku="TEE", name="Tee"))
    adjust(db, AdjustmentIn(sku="TEE", warehouse="EAST", quantity=5, reason="receipt"), "test")
    clean = _podium(database_url, "doctor")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "ok" in clean.stdout
    with engine.begin() as conn:  # someone edits a balance behind the ledger's back
        conn.execute(sa.text("UPDATE stock_levels SET on_hand = 9 WHERE sku = 'TEE'"))
    engine.dispose()
    broken = _podium(database_url, "doctor")
    assert broken.returncode == 1
    assert "TEE @ EAST: on_hand is 9 but the ledger sums to 5" in broken.stdout
