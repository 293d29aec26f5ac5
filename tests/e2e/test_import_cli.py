"""`podium import` as an operator runs it: a progress bar, a report, honest exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from podium.catalog.model import ProductIn, WarehouseIn
from podium.catalog.service import create_product, create_warehouse
from podium.channels.records import ChannelIn, create_channel
from podium.db.database import Database
from podium.db.engine import build_engine
from podium.db.migrate import upgrade
from podium.inventory.model import AdjustmentIn
from podium.inventory.service import adjust, availability
from podium.orders.lifecycle import list_orders
from podium.orders.queue import QueueQuery

PODIUM = Path(sys.executable).with_name("podium")

ORDERS = (
    "Name,Email,Currency,Lineitem sku,Lineitem quantity,Lineitem price,Shipping City,"
    "Shipping Zip,Shipping Country,Created at\n"
    "#1001,ann@example.com,USD,TEE,2,19.99,Seattle,98101,US,2024-01-15 10:30:00 -0500\n"
    "#1001,,,TEE,1,19.99,,,,\n"
    "#1002,bo@example.com,USD,TEE,1,19.99,Newark,07102,US,2024-01-15 11:00:00 -0500\n"
)


def _podium(
    database_url: str, *args: str, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PODIUM_DATABASE_URL": database_url, "COLUMNS": "200"}
    return subprocess.run(
        [str(PODIUM), *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _store(database_url: str) -> Database:
    engine = build_engine(database_url)
    upgrade(engine)
    db = Database(engine)
    create_channel(db, ChannelIn(code="shop", name="Old shop", type="csv"))
    create_warehouse(
        db,
        WarehouseIn.model_validate(
            {
                "code": "EAST",
                "name": "East",
                "address": {"country": "US"},
                "latitude": 40.7,
                "longitude": -74.1,
            }
        ),
    )
    create_product(db, ProductIn(sku="TEE", name="Tee"))
    adjust(db, AdjustmentIn(sku="TEE", warehouse="EAST", quantity=10, reason="receipt"), "test")
    return db


def test_import_orders_dry_runs_then_imports_with_a_json_report(
    database_url: str, tmp_path: Path
) -> None:
    db = _store(database_url)
    file = tmp_path / "orders.csv"
    file.write_text(ORDERS)
    dry = _podium(database_url, "import", "orders", str(file), "--channel", "shop", "--dry-run")
    assert dry.returncode == 0, dry.stdout + dry.stderr
    assert "would create" in dry.stdout and "Dry run" in dry.stdout
    assert list_orders(db, QueueQuery(channel="shop", limit=10)).items == []
    done = _podium(database_url, "import", "orders", str(file), "--channel", "shop", "--json")
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert (report["created"], report["rows_read"], report["written"]) == (2, 3, True)
    orders = list_orders(db, QueueQuery(channel="shop", limit=10)).items
    assert sorted(o.external_id or "" for o in orders) == ["#1001", "#1002"]
    assert availability(db, "TEE").reserved == 4
    db.dispose()


def test_rejected_rows_exit_1_with_their_lines_and_nothing_written(
    database_url: str, tmp_path: Path
) -> None:
    db = _store(database_url)
    file = tmp_path / "orders.csv"
    file.write_text(ORDERS + "#1003,cy@example.com,USD,HAT,1,1.005,Seattle,98101,US,\n")
    r = _podium(database_url, "import", "orders", str(file), "--channel", "shop")
    assert r.returncode == 1, r.stdout + r.stderr
    assert "Nothing was imported" in r.stdout
    assert "unknown_sku" in r.stdout and "invalid_money" in r.stdout
    rows = [ln for ln in r.stdout.splitlines() if ln.strip().startswith("│ 5")]
    assert len(rows) == 2  # both rejects name physical line 5
    assert list_orders(db, QueueQuery(channel="shop", limit=10)).items == []
    assert availability(db, "TEE").reserved == 0
    db.dispose()


def test_operator_mistakes_exit_2_with_one_line_and_no_traceback(
    database_url: str, tmp_path: Path
) -> None:
    _store(database_url).dispose()
    missing = _podium(
        database_url, "import", "orders", str(tmp_path / "nope.csv"), "--channel", "shop"
    )
    assert missing.returncode == 2
    assert "no such file" in missing.stderr
    file = tmp_path / "orders.csv"
    file.write_text(ORDERS)
    channel = _podium(database_url, "import", "orders", str(file), "--channel", "nowhere")
    assert channel.returncode == 2
    assert "Unknown or inactive channel nowhere" in channel.stderr
    for r in (missing, channel):
        assert "Traceback" not in r.stdout + r.stderr
        assert len(r.stderr.strip().splitlines()) == 1


def test_import_inventory_from_stdin_counts_and_adjusts(database_url: str) -> None:
    db = _store(database_url)
    counts = "sku;warehouse;on_hand\nTEE;EAST;7\n"
    r = _podium(database_url, "import", "inventory", "-", stdin=counts)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "-3" in r.stdout
    assert availability(db, "TEE").on_hand == 7
    repeat = _podium(database_url, "import", "inventory", "-", stdin=counts)
    assert repeat.returncode == 2
    assert "already imported" in repeat.stderr and "Traceback" not in repeat.stderr
    runs = _podium(database_url, "import", "history")
    assert runs.returncode == 0 and "inventory" in runs.stdout
    db.dispose()


def test_an_encoding_that_is_not_text_exits_2_naming_it(database_url: str, tmp_path: Path) -> None:
    _store(database_url).dispose()
    file = tmp_path / "orders.csv"
    file.write_text(ORDERS)
    for encoding in ("rot13", "base64", "zlib_codec"):
        got = _podium(
            database_url, "import", "orders", str(file), "--channel", "shop", "--encoding", encoding
        )
        assert got.returncode == 2, got.stderr
        assert "not a text encoding" in got.stderr and "invalid_encoding" in got.stderr
        assert "Traceback" not in got.stdout + got.stderr
