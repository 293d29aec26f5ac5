"""Growth benchmark (issue 19 item 7): do the dashboard and the API stay as fast with a million
orders as with ten thousand?

One fresh database (PostgreSQL by default) grows step by step, bulk-seeded with SQL as
``benchmarks/dashboard.py`` seeds it (orders with lines, shipments, timeline events, holds and
returns; never through the API): 10,000 orders, measured; grown to 100,000, measured; to
1,000,000, measured. The store is a steady one: ``--per-day`` orders a day (3,333 by default,
dashboard.py's 100,000 in 30 days), so each step adds older history, and only the last two
days' orders are still open; today's volume and the open backlog stay the same while the
history grows, which is the question. ``--dense`` instead puts every step's orders in the last
30 days (dashboard.py's shape: the day's volume and the open backlog grow with the step).

At each step, after ``ANALYZE``, each page or call
is requested ``--requests`` times in-process (the first not counted) and the table sizes are
recorded. Prints the growth curve (p50/p95 per page and step) and writes
``benchmarks/results/growth.json``.

    .venv/bin/python benchmarks/growth.py                                  # 10k, 100k, 1M
    .venv/bin/python benchmarks/growth.py --steps 10000,100000 --engine sqlite

Seeding a million orders took 16 minutes here (most of the run); 10M needs ~20 GB and hours, so it
is for a dedicated machine: ``--steps 10000,100000,1000000,10000000``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from dashboard import DEFAULT_PG_ADMIN_URL, fresh_database, percentile, seed, signed_in
from rich.console import Console
from rich.table import Table

from podium.access import create_key
from podium.bootstrap import bootstrap
from podium.config import Settings

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "benchmarks" / "results" / "growth.json"
TABLES = ("orders", "order_lines", "order_events", "shipments", "stock_movements", "outbox")


def pages(client: Any, sample: dict[str, Any]) -> dict[str, str]:
    first = client.get("/orders").text
    cursor = re.search(r'href="/orders\?cursor=([^"]+)" rel="next"', first)
    return {
        "home /": "/",
        "queue /orders": "/orders",
        "queue page 2": f"/orders?cursor={cursor.group(1) if cursor else ''}",
        "queue ?status=on_hold": "/orders?status=on_hold",
        "queue ?q=<number>": f"/orders?q={sample['number']}",
        "order page": f"/orders/{sample['id']}",
        "inventory/{sku}": "/inventory/SKU-0042",
        "exceptions": "/exceptions",
        "API GET /orders": "/api/v1/orders?limit=50",
        "API GET /orders/{id}": f"/api/v1/orders/{sample['id']}",
        "API GET /orders/{id}/timeline": f"/api/v1/orders/{sample['id']}/timeline",
    }


def measure(client: Any, key: str, paths: dict[str, str], requests: int) -> dict[str, Any]:
    found = {}
    for name, path in paths.items():
        headers = {"Authorization": f"Bearer {key}"} if path.startswith("/api/") else {}
        timings = []
        for i in range(requests + 1):
            start = time.perf_counter()
            response = client.get(path, headers=headers)
            elapsed = (time.perf_counter() - start) * 1000
            assert response.status_code == 200, (path, response.status_code)
            if i:  # the first warms caches
                timings.append(elapsed)
        found[name] = {
            "p50_ms": round(statistics.median(timings), 1),
            "p95_ms": round(percentile(timings, 95), 1),
        }
    return found


def sizes(engine: sa.Engine) -> dict[str, Any]:
    with engine.connect() as conn:
        rows = {
            t: int(conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar_one()) for t in TABLES
        }
        if engine.dialect.name != "postgresql":
            return {"rows": rows}
        size = conn.execute(sa.text("SELECT pg_database_size(current_database())")).scalar_one()
    return {"rows": rows, "database_mb": round(int(size) / 2**20)}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--engine", default="postgres", choices=("postgres", "sqlite"))
    parser.add_argument("--steps", default="10000,100000,1000000")
    parser.add_argument("--requests", type=int, default=10)
    parser.add_argument("--per-day", type=float, default=3333.0)
    parser.add_argument("--dense", action="store_true", help="Every step within 30 days.")
    parser.add_argument("--pg-admin-url", default=DEFAULT_PG_ADMIN_URL)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args()
    steps = sorted(int(s) for s in args.steps.split(","))
    console = Console()
    load = os.getloadavg()
    report: dict[str, Any] = {
        "benchmark": "growth",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "engine": args.engine,
        "shape": "dense: all orders within 30 days" if args.dense else f"{args.per_day:g}/day",
        "requests_per_page": args.requests,
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "load_average_at_start": [round(x, 1) for x in load],
            "commit": subprocess.run(
                ["git", "rev-parse", "--short", "HEAD"],
                capture_output=True,
                text=True,
                cwd=ROOT,
                check=False,
            ).stdout.strip(),
        },
        "steps": [],
    }
    rng = random.Random(7)
    with fresh_database(args.engine, args.pg_admin_url) as url:
        podium = bootstrap(Settings(database_url=url))
        try:
            client = signed_in(podium)
            key = create_key(podium.db, "growth", "readonly")[1]
            done = 0
            for target in steps:
                began = time.perf_counter()
                per_day = None if args.dense else args.per_day
                sample = seed(podium.db.engine, target, rng, first_order=done, per_day=per_day)
                seeded = time.perf_counter() - began
                done = target
                console.print(f"{target:,} orders ({seeded:.0f} s to add {target:,} - previous)")
                results = measure(client, key, pages(client, sample), args.requests)
                report["steps"].append(
                    {
                        "orders": target,
                        "seed_seconds": round(seeded, 1),
                        "load_average": [round(x, 1) for x in os.getloadavg()],
                        **sizes(podium.db.engine),
                        "pages": results,
                    }
                )
                args.output.parent.mkdir(parents=True, exist_ok=True)
                args.output.write_text(json.dumps(report, indent=2) + "\n")
        finally:
            podium.close()
    table = Table(title=f"{args.engine}: p50 / p95 ms per page as the store grows")
    table.add_column("page")
    for step in report["steps"]:
        table.add_column(f"{step['orders']:,}", justify="right")
    for name in report["steps"][0]["pages"]:
        cells = [
            f"{s['pages'][name]['p50_ms']} / {s['pages'][name]['p95_ms']}" for s in report["steps"]
        ]
        table.add_row(name, *cells)
    console.print(table)
    console.print(f"Wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
