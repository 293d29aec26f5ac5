"""CSV import benchmark: a 10,000-line order file (and a stock file) through the import service.

For each engine (a temporary SQLite file; a PostgreSQL database made for the run and dropped
afterwards): a catalogue (channel, 3 warehouses, N SKUs) whose stock is itself loaded by a
stock-count import, then an order file of ``--lines`` rows (1–3 lines per order, US
addresses) is imported three times: a dry run, the real import (one transaction), and the same
file again (every order already present). Afterwards the stock doctor must say ok and the
database must hold exactly the file's orders.

    .venv/bin/python benchmarks/import_csv.py                 # both engines, 10,000 lines
    .venv/bin/python benchmarks/import_csv.py --engines sqlite --lines 2000

Results: a table on the terminal and ``benchmarks/results/import_csv.json``. Peak memory is the
process's peak resident set size after each step (ru_maxrss), so it includes the interpreter,
the geocoding indexes and the file itself.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import platform
import random
import resource
import secrets
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from rich.console import Console
from rich.table import Table

from podium.bootstrap import Podium, bootstrap
from podium.catalog.model import ProductIn, WarehouseIn
from podium.catalog.service import create_product, create_warehouse
from podium.channels.records import ChannelIn, create_channel
from podium.config import Settings
from podium.imports.model import ImportReport
from podium.imports.service import import_inventory, import_orders
from podium.inventory.doctor import examine

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "benchmarks" / "results" / "import_csv.json"
DEFAULT_PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/test"
WAREHOUSES = (
    ("EAST", "Newark", "NJ", "07102", 40.73, -74.17),
    ("SOUTH", "Dallas", "TX", "75201", 32.78, -96.80),
    ("WEST", "Reno", "NV", "89501", 39.53, -119.81),
)
DESTINATIONS = (
    ("Seattle", "WA", "98101"),
    ("Chicago", "IL", "60601"),
    ("Boston", "MA", "02108"),
    ("Denver", "CO", "80202"),
    ("Miami", "FL", "33131"),
    ("Austin", "TX", "78701"),
)
console = Console()


@dataclass
class Step:
    name: str
    seconds: float
    rows: int
    rows_per_s: float
    orders: int
    peak_rss_mib: float


@dataclass
class EngineResult:
    engine: str
    steps: list[Step] = field(default_factory=list)
    orders_in_file: int = 0
    orders_in_database: int = 0
    doctor_ok: bool = False
    failure: str | None = None


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("--engines", default="sqlite,postgres")
    p.add_argument("--lines", type=int, default=10_000, help="order-file rows (default 10,000)")
    p.add_argument("--skus", type=int, default=500)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--pg-admin-url", default=DEFAULT_PG_ADMIN_URL)
    p.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    return p.parse_args(argv)


def order_file(lines: int, skus: int, seed: int) -> tuple[bytes, int]:
    rng = random.Random(seed)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(
        [
            *("Name", "Email", "Currency", "Lineitem sku", "Lineitem quantity", "Lineitem price"),
            *("Shipping Name", "Shipping Address1", "Shipping City", "Shipping Province"),
            *("Shipping Zip", "Shipping Country", "Created at"),
        ]
    )
    written = orders = 0
    while written < lines:
        orders += 1
        city, region, zip_code = rng.choice(DESTINATIONS)
        for i in range(min(rng.randint(1, 3), lines - written)):
            first = i == 0
            w.writerow(
                [f"#{100000 + orders}", f"c{orders}@example.com" if first else ""]
                + ["USD" if first else "", f"SKU-{rng.randrange(skus):04d}", rng.randint(1, 3)]
                + [f"{rng.randint(500, 9999) / 100:.2f}"]
                + (
                    [f"Customer {orders}", f"{orders} Main St", city, region, zip_code, "US"]
                    if first
                    else ["", "", "", "", "", ""]
                )
                + ["2024-03-01 12:00:00 -0500" if first else ""]
            )
            written += 1
    return buf.getvalue().encode(), orders


def stock_file(skus: int) -> bytes:
    rows = ["sku,warehouse,on_hand"]
    rows += [f"SKU-{s:04d},{w[0]},100000" for s in range(skus) for w in WAREHOUSES]
    return ("\n".join(rows) + "\n").encode()


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@contextmanager
def database(engine: str, admin_url: str) -> Iterator[str]:
    if engine == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite:///{tmp}/bench.db"
        return
    name = f"podium_bench_import_{secrets.token_hex(4)}"
    base = sa.make_url(admin_url.replace("postgresql://", "postgresql+psycopg://", 1))
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def seed(podium: Podium, skus: int) -> None:
    create_channel(podium.db, ChannelIn(code="oldshop", name="Old shop", type="csv"))
    for code, city, region, postal, lat, lon in WAREHOUSES:
        address = {"city": city, "region": region, "postal_code": postal, "country": "US"}
        create_warehouse(
            podium.db,
            WarehouseIn.model_validate(
                {"code": code, "name": city, "address": address, "latitude": lat, "longitude": lon}
            ),
        )
    for s in range(skus):
        create_product(podium.db, ProductIn(sku=f"SKU-{s:04d}", name=f"Product {s}"))
    podium.geocoder.preload()


def timed(name: str, rows: int, run: Any) -> tuple[Step, ImportReport]:
    started = time.perf_counter()
    report: ImportReport = run()
    seconds = time.perf_counter() - started
    if report.rejects:
        raise RuntimeError(f"{name}: {len(report.rejects)} rejects, first {report.rejects[0]}")
    orders = report.created + report.would_create + report.already_present
    return Step(
        name, round(seconds, 3), rows, round(rows / seconds, 1), orders, round(peak_rss_mib(), 1)
    ), report


def run_engine(engine: str, args: argparse.Namespace, data: bytes, orders: int) -> EngineResult:
    result = EngineResult(engine, orders_in_file=orders)
    with database(engine, args.pg_admin_url) as url:
        podium = bootstrap(Settings(database_url=url))
        try:
            seed(podium, args.skus)
            stock = stock_file(args.skus)
            n_stock = args.skus * len(WAREHOUSES)
            step, _ = timed(
                "stock count import",
                n_stock,
                lambda: import_inventory(podium.db, stock, actor="bench"),
            )
            result.steps.append(step)
            common: dict[str, Any] = {
                "channel": "oldshop",
                "allocator": podium.allocator,
                "actor": "bench",
            }
            for name, kwargs in (
                ("orders dry run", {"dry_run": True}),
                ("orders import", {}),
                ("orders re-import", {}),
            ):
                step, _ = timed(
                    name,
                    args.lines,
                    lambda kw=kwargs: import_orders(podium.db, data, **common, **kw),
                )
                result.steps.append(step)
            with podium.db.engine.connect() as conn:
                result.orders_in_database = conn.execute(
                    sa.text("SELECT count(*) FROM orders")
                ).scalar_one()
            result.doctor_ok = examine(podium.db).ok
        except Exception as exc:
            result.failure = f"{type(exc).__name__}: {exc}"
        finally:
            podium.close()
    return result


def print_table(results: list[EngineResult]) -> None:
    table = Table("engine", "step", "rows", "seconds", "rows/s", "orders", "peak RSS MiB")
    for r in results:
        for s in r.steps:
            table.add_row(
                r.engine,
                s.name,
                str(s.rows),
                f"{s.seconds:.2f}",
                f"{s.rows_per_s:,.0f}",
                str(s.orders),
                f"{s.peak_rss_mib:.0f}",
            )
        check = "ok" if r.doctor_ok and r.orders_in_database == r.orders_in_file else "FAILED"
        table.add_row(
            r.engine,
            f"check: {check}",
            "",
            "",
            "",
            f"{r.orders_in_database}/{r.orders_in_file}",
            "",
            end_section=True,
        )
        if r.failure:
            console.print(f"[red]{r.engine} failed:[/red] {r.failure}")
    console.print(table)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = datetime.now(UTC)
    load_before = os.getloadavg()[0]
    data, orders = order_file(args.lines, args.skus, args.seed)
    console.print(f"Order file: {args.lines} rows, {orders} orders, {len(data) / 1024:.0f} KiB")
    results = [run_engine(e, args, data, orders) for e in args.engines.split(",")]
    print_table(results)
    console.print(f"Load average (1 min) before/after: {load_before:.1f}/{os.getloadavg()[0]:.1f}")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    document = {
        "benchmark": "import_csv",
        "description": "podium.imports.service in-process (what `podium import` runs): "
        "rows/s = file rows / wall seconds of one import; peak_rss_mib = process peak RSS.",
        "date": started.isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "processor": platform.processor() or platform.machine(),
            "git_commit": _git_commit(),
            "cores": os.cpu_count(),
            # The machine is shared: a load above the core count means the figures are slowed.
            "load_average_1m": {"before": load_before, "after": os.getloadavg()[0]},
        },
        "parameters": {
            "lines": args.lines,
            "orders": orders,
            "skus": args.skus,
            "file_bytes": len(data),
            "seed": args.seed,
        },
        "results": [asdict(r) for r in results],
    }
    args.output.write_text(json.dumps(document, indent=2) + "\n")
    console.print(f"Wrote {args.output}")
    ok = all(
        not r.failure and r.doctor_ok and r.orders_in_database == r.orders_in_file for r in results
    )
    return 0 if ok else 1


def _git_commit() -> str | None:
    try:
        out = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


if __name__ == "__main__":
    sys.exit(main())
