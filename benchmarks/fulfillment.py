"""Fulfilment documents benchmark: pick lists and labels for N shipments (default 1,000).

In one process, on a fresh database (a temporary SQLite file, or a PostgreSQL database made
for the run and dropped afterwards), through the real service functions:

1. seeds a warehouse with bin locations, 50 SKUs and stock, and places N orders (1–3 lines)
   through ``place_order``, then releases their shipments (the relay's auto-release);
2. times pick lists of ``--per-list`` (100) shipments: taking them (status → picking, one
   transaction) and rendering the PDF, separately;
3. times labels: buying N labels from the built-in table-rate carrier (rating, a unique
   check-digited tracking number, the label row and the timeline, one transaction each), then
   rendering every label as PDF (reportlab, 4×6 with Code 128) and as ZPL;
4. prints a table and writes ``benchmarks/results/fulfillment.json``.

    .venv/bin/python benchmarks/fulfillment.py
    .venv/bin/python benchmarks/fulfillment.py --engine postgres --shipments 2000
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from rich.console import Console
from rich.table import Table

from podium.bootstrap import Podium, bootstrap
from podium.carriers import service as carriers
from podium.carriers.model import LabelIn
from podium.catalog import service as catalog
from podium.catalog.model import ProductIn, WarehouseAddress, WarehouseIn
from podium.channels import records as channels
from podium.channels.records import ChannelIn
from podium.config import Settings
from podium.fulfillment import documents, picking, release
from podium.fulfillment.model import BinIn, PickListIn
from podium.fulfillment.zpl import label_zpl
from podium.inventory import service as inventory
from podium.inventory.model import AdjustmentIn
from podium.orders.model import OrderIntake
from podium.orders.placement import place_order

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "benchmarks" / "results" / "fulfillment.json"
DEFAULT_PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/test"
CITIES = [
    ("Seattle", "WA", "98101"),
    ("Austin", "TX", "78701"),
    ("Denver", "CO", "80202"),
    ("Boston", "MA", "02108"),
    ("Miami", "FL", "33101"),
    ("Chicago", "IL", "60601"),
]


@contextmanager
def database(engine: str, admin_url: str) -> Iterator[str]:
    if engine == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite:///{tmp}/bench.db"
        return
    name = f"podium_bench_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(
        sa.make_url(admin_url).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield sa.make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def seed(podium: Podium, shipments: int, rng: random.Random) -> list[str]:
    db = podium.db
    channels.create_channel(db, ChannelIn(code="web", name="Web store"))
    catalog.create_warehouse(
        db,
        WarehouseIn(
            code="EAST",
            name="Newark DC",
            address=WarehouseAddress(
                line1="1 Port St", city="Newark", region="NJ", postal_code="07102", country="US"
            ),
            latitude=40.7357,
            longitude=-74.1724,
        ),
    )
    skus = [f"SKU-{i:04d}" for i in range(1, 51)]
    for i, sku in enumerate(skus):
        catalog.create_product(
            db, ProductIn(sku=sku, name=f"Product {sku}", weight_grams=rng.randint(80, 2500))
        )
        inventory.adjust(
            db, AdjustmentIn(sku=sku, warehouse="EAST", quantity=100_000, reason="receipt"), "bench"
        )
        release.put_bin(db, "EAST", sku, BinIn(bin=f"{'ABCDE'[i % 5]}-{i // 5:02d}-{i % 3 + 1}"))
    order_ids = []
    for n in range(shipments):
        city, region, postal = rng.choice(CITIES)
        lines = [
            {"sku": sku, "quantity": rng.randint(1, 3), "unit_price": "19.99"}
            for sku in rng.sample(skus, rng.randint(1, 3))
        ]
        intake = OrderIntake.model_validate(
            {
                "channel": "web",
                "external_id": f"bench-{n}",
                "currency": "USD",
                "customer": {"email": f"c{n}@example.com", "name": f"Customer {n}"},
                "shipping_address": {
                    "line1": f"{n} Main St",
                    "city": city,
                    "region": region,
                    "postal_code": postal,
                    "country": "US",
                    "latitude": 40.0,
                    "longitude": -90.0,
                },
                "lines": lines,
            }
        )
        order_ids.append(
            place_order(db, intake, allocator=podium.allocator, actor="bench").order.id
        )
    for order_id in order_ids:
        release.release_order(db, order_id, "bench")
    return order_ids


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def run(
    engine: str, shipments: int, per_list: int, admin_url: str, console: Console
) -> dict[str, Any]:
    rng = random.Random(5)
    with database(engine, admin_url) as url:
        podium = bootstrap(Settings(database_url=url))
        try:
            console.print(f"{engine}: seeding {shipments} orders…", markup=False)
            seed_seconds, _ = timed(lambda: seed(podium, shipments, rng))
            db = podium.db
            take_s = render_s = 0.0
            lists: list[str] = []
            pick_ids: list[str] = []
            while True:
                try:
                    t, made = timed(
                        lambda: picking.create_pick_list(
                            db, "EAST", PickListIn(max_shipments=per_list), "bench"
                        )
                    )
                except Exception:  # nothing left to pick
                    break
                take_s += t
                lists.append(made.id)
                pick_ids += made.shipments

                def render(pick_list_id: str = made.id) -> bytes:
                    doc = picking.pick_list_document(db, pick_list_id)
                    rows = [(r.bin, r.sku, r.name, r.quantity, r.orders) for r in doc.rows]
                    return documents.pick_list_pdf(
                        doc.id, doc.warehouse, doc.created_at, rows, doc.shipments
                    )

                t, _ = timed(render)
                render_s += t
            buy_s, _ = timed(
                lambda: [
                    carriers.buy_label(db, podium.carriers, sid, LabelIn(), "bench")
                    for sid in pick_ids
                ]
            )
            docs_s, docs = timed(lambda: [carriers.label_document(db, sid) for sid in pick_ids])
            pdf_s, pdfs = timed(lambda: [documents.label_pdf(d) for d in docs])
            zpl_s, zpls = timed(lambda: [label_zpl(d) for d in docs])
        finally:
            podium.close()
    per_k = 1000 / max(1, len(pick_ids))
    return {
        "engine": engine,
        "shipments": len(pick_ids),
        "pick_lists": len(lists),
        "shipments_per_pick_list": per_list,
        "seed_seconds": round(seed_seconds, 2),
        "pick_list_take_seconds_each": round(take_s / max(1, len(lists)), 4),
        "pick_list_pdf_seconds_each": round(render_s / max(1, len(lists)), 4),
        "label_buy_seconds_per_1000": round(buy_s * per_k, 3),
        "label_data_seconds_per_1000": round(docs_s * per_k, 3),
        "label_pdf_seconds_per_1000": round(pdf_s * per_k, 3),
        "label_zpl_seconds_per_1000": round(zpl_s * per_k, 4),
        "label_pdf_bytes_avg": int(sum(len(p) for p in pdfs) / max(1, len(pdfs))),
        "label_zpl_bytes_avg": int(sum(len(z) for z in zpls) / max(1, len(zpls))),
    }


def machine() -> dict[str, Any]:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "commit": commit,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--engine", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--shipments", type=int, default=1000)
    parser.add_argument("--per-list", type=int, default=100)
    parser.add_argument("--pg-admin-url", default=DEFAULT_PG_ADMIN_URL)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args()
    console = Console()
    result = run(args.engine, args.shipments, args.per_list, args.pg_admin_url, console)
    table = Table("measure", "value", title=f"Fulfilment documents ({args.engine})")
    r = result
    rows = [
        ("shipments", str(r["shipments"])),
        (f"pick list of {args.per_list}: take (s)", f"{r['pick_list_take_seconds_each']:.3f}"),
        (f"pick list of {args.per_list}: PDF (s)", f"{r['pick_list_pdf_seconds_each']:.3f}"),
        ("1,000 labels: buy, table rate (s)", f"{r['label_buy_seconds_per_1000']:.2f}"),
        ("1,000 labels: PDF (s)", f"{r['label_pdf_seconds_per_1000']:.2f}"),
        ("1,000 labels: ZPL (s)", f"{r['label_zpl_seconds_per_1000']:.3f}"),
        ("label PDF / ZPL bytes", f"{r['label_pdf_bytes_avg']} / {r['label_zpl_bytes_avg']}"),
    ]
    for row in rows:
        table.add_row(*row)
    console.print(table)
    report = {
        "benchmark": "fulfillment",
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "parameters": vars(args) | {"output": str(args.output)},
        "machine": machine(),
        "result": result,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n")
    console.print(f"Written to {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
