"""Stock-sync latency: a sale on one channel reaching every other channel's platform.

A real ``podium serve`` (fresh SQLite file by default, or a PostgreSQL database made for the
run), three fake Shopify shops on 127.0.0.1 (``a`` takes the orders; ``b`` and ``c`` are the
other channels, ``c`` with a buffer of 2 units), 100 SKUs listed on every channel. Then 1,000
one-unit sales spread over the 100 SKUs arrive as signed ``orders/create`` webhooks on ``a`` at
a steady rate. For each sale: the time from sending the webhook until *every other* channel's
fake server has accepted a count at or below what that sale leaves (a later, lower count also
answers it: coalescing may skip a value, never a sale). At the end, every channel's count must
equal what Podium publishes to it.

    .venv/bin/python benchmarks/sync_latency.py                       # 1,000 sales, 25/s
    .venv/bin/python benchmarks/sync_latency.py --engine postgres --rate 50
    .venv/bin/python benchmarks/sync_latency.py --sales 200 --output /tmp/smoke.json

Results: a table on the terminal and ``benchmarks/results/sync_latency.json``.

That is ``--scenario steady`` (the default). Under load, on PostgreSQL by default, with
``podium serve --workers 2`` and the orders sent by a separate process (``sync_load.py``,
``sync_crash.py``; results in ``benchmarks/results/sync_latency_<scenario>_<engine>.json``):

    .venv/bin/python benchmarks/sync_latency.py --scenario load     # 200 orders/s, 50 SKUs, 30 s
    .venv/bin/python benchmarks/sync_latency.py --scenario flash    # one SKU, 3,000 units sell out
    .venv/bin/python benchmarks/sync_latency.py --scenario crash    # kill -9 under load, restart
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import time
import uuid
from bisect import bisect_left
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from rich.console import Console
from rich.table import Table
from sync_common import (
    BUFFERS,
    ROOT,
    SECRET,
    compare,
    database,
    order_payload,
    seed,
    serve,
    wait_until,
)

from fakes.channels.shopify import FakeShopify, shopify_webhook
from podium.inventory.availability import Availability, published_quantity

RESULTS = ROOT / "benchmarks" / "results"
DEFAULT_OUTPUT = RESULTS / "sync_latency.json"
console = Console(width=120)


def run(p: argparse.Namespace) -> dict[str, Any]:
    skus = [f"SKU-{i:03d}" for i in range(p.skus)]
    shops = {
        code: FakeShopify(token=f"tok-{code}", restore=p.shopify_restore).start()
        for code in BUFFERS
    }
    others = [c for c in shops if c != "a"]
    try:
        with database(p.engine) as url, serve(url) as (base, key):
            api = httpx.Client(
                base_url=f"{base}/api/v1", headers={"Authorization": f"Bearer {key}"}, timeout=30
            )
            console.print(f"Seeding {len(skus)} SKUs on {len(shops)} channels…")
            seed(api, shops, skus, p.stock)
            if not wait_until(lambda: all(len(s.levels) == len(skus) for s in shops.values()), 60):
                raise SystemExit("initial stock push did not complete")
            start_marks = {c: len(s.received) for c, s in shops.items()}
            hook = httpx.Client(base_url=f"{base}/api/v1", timeout=30)
            sold: dict[str, int] = defaultdict(int)
            sales: list[tuple[float, str, int]] = []  # (sent, sku, units sold so far)
            answered: list[float] = []  # webhook round trips
            interval = 1.0 / p.rate
            console.print(f"Sending {p.sales} sales at {p.rate}/s…")
            t_start = time.monotonic()
            for n in range(p.sales):
                due = t_start + n * interval
                now = time.monotonic()
                if due > now:
                    time.sleep(due - now)
                sku = skus[n % len(skus)]
                body, headers = shopify_webhook(
                    "orders/create", order_payload(n, sku), SECRET, str(uuid.uuid4())
                )
                sent = time.monotonic()
                r = hook.post("/channels/a/webhooks", content=body, headers=headers)
                answered.append(time.monotonic() - sent)
                if r.status_code != 200 or r.json()["status"] != "created":
                    raise SystemExit(f"sale {n}: {r.status_code} {r.text}")
                sold[sku] += 1
                sales.append((sent, sku, sold[sku]))
            send_seconds = time.monotonic() - t_start

            def settled() -> bool:
                return all(
                    shops[c].level(str(1000 + i), "1")
                    == published_quantity(p.stock - sold[sku], Availability(buffer=BUFFERS[c]))
                    for c in others
                    for i, sku in enumerate(skus)
                )

            wait_until(settled, 30)
            latencies = measure(shops, others, skus, sales, p.stock, start_marks)
            final = compare(api, shops, skus)
            pushes = sum(len(shops[c].received) - start_marks[c] for c in others)
    finally:
        for s in shops.values():
            s.stop()
    missing = sum(1 for x in latencies if x is None)
    seen = sorted(x for x in latencies if x is not None)
    q = statistics.quantiles(seen, n=100) if len(seen) > 1 else [0.0] * 99
    return {
        "engine": p.engine,
        "sales": p.sales,
        "skus": p.skus,
        "rate_per_second": p.rate,
        "shopify_restore_points_per_second": p.shopify_restore,
        "platform_requests": {c: s.requests for c, s in shops.items()},
        "send_seconds": round(send_seconds, 2),
        "other_channels": len(others),
        "p50_ms": round(statistics.median(seen) * 1000, 1) if seen else None,
        "p95_ms": round(q[94] * 1000, 1),
        "p99_ms": round(q[98] * 1000, 1),
        "max_ms": round(seen[-1] * 1000, 1) if seen else None,
        "webhook_p50_ms": round(statistics.median(answered) * 1000, 1),
        "webhook_p99_ms": round(statistics.quantiles(answered, n=100)[98] * 1000, 1),
        "never_arrived": missing,
        "pushes_per_sale": round(pushes / p.sales, 3),
        "pushes_per_sale_per_channel": round(pushes / p.sales / len(others), 3),
        "throttled_by_platforms": sum(s.throttled for s in shops.values()),
        "final_counts_exact": final["exact"],
        "final_mismatches": final["mismatches"],
    }


def measure(
    shops: dict[str, FakeShopify],
    others: list[str],
    skus: list[str],
    sales: list[tuple[float, str, int]],
    stock: int,
    marks: dict[str, int],
) -> list[float | None]:
    """Per sale: seconds until every other channel accepted a count ≤ what it leaves."""
    index = {
        sku: f"gid://shopify/InventoryItem/{1000 + i}@gid://shopify/Location/1"
        for i, sku in enumerate(skus)
    }
    arrivals: dict[tuple[str, str], list[tuple[float, int]]] = defaultdict(list)
    for c in others:
        for rec in shops[c].received[marks[c] :]:
            arrivals[(c, rec.key)].append((rec.at, rec.quantity))
    out: list[float | None] = []
    for sent, sku, n in sales:
        worst: float | None = 0.0
        for c in others:
            target = published_quantity(stock - n, Availability(buffer=BUFFERS[c]))
            seq = arrivals[(c, index[sku])]
            times = [at for at, _ in seq]
            hit = next((at for at, q in seq[bisect_left(times, sent) :] if q <= target), None)
            if hit is None:
                worst = None
                break
            worst = max(worst or 0.0, hit - sent)
        out.append(worst)
    return out


SCENARIOS = ("steady", "load", "flash", "crash")
# Per scenario: engine, sales, SKUs, rate, stock (None: enough never to run out), seconds.
DEFAULTS: dict[str, tuple[str, int, int, float, int | None, float]] = {
    "steady": ("sqlite", 1000, 100, 25.0, 50, 0.0),
    "load": ("postgres", 0, 50, 200.0, None, 30.0),
    "flash": ("postgres", 0, 1, 200.0, 3000, 0.0),
    "crash": ("postgres", 0, 50, 150.0, None, 10.0),  # seconds: of load after the restart
}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--scenario",
        choices=SCENARIOS,
        default="steady",
        help="steady: one sale at a time (default); load: 200 orders/s over 50 SKUs; "
        "flash: one SKU sells out; crash: kill -9 of the server under load, then a restart",
    )
    ap.add_argument(
        "--engine", choices=("sqlite", "postgres"), help="steady: sqlite; else postgres"
    )
    ap.add_argument("--sales", type=int, help="steady only (default 1000)")
    ap.add_argument("--skus", type=int, help="default 100 (steady), 50 (load, crash), 1 (flash)")
    ap.add_argument(
        "--rate", type=float, help="sales per second: 25 steady, 200 load/flash, 150 crash"
    )
    ap.add_argument("--stock", type=int, help="units of each SKU at the start (flash: 3000)")
    ap.add_argument("--seconds", type=float, help="load: 30; crash: of load after the restart, 10")
    ap.add_argument("--workers", type=int, default=2, help="podium serve --workers (not steady)")
    ap.add_argument(
        "--intake",
        choices=("webhook", "api"),
        default="webhook",
        help="not steady: orders as signed Shopify webhooks to channel a (default), or as "
        "POST /orders on channel a (the API intake path)",
    )
    ap.add_argument("--concurrency", type=int, default=32, help="requests in flight at most")
    ap.add_argument("--kill-after", type=float, default=10.0, help="crash: seconds into the load")
    ap.add_argument(
        "--settle-timeout", type=float, default=300.0, help="seconds to wait for the channels"
    )
    ap.add_argument(
        "--outbox-timeout",
        type=float,
        default=120.0,
        help="load, flash: seconds more to wait for the outbox to empty (its drain time)",
    )
    ap.add_argument(
        "--shopify-restore",
        type=float,
        default=50.0,
        help="fake shops' GraphQL cost points restored per second (bucket 1000; default 50)",
    )
    ap.add_argument("--output", type=Path)
    p = ap.parse_args(argv)
    engine, sales, skus, rate, stock, seconds = DEFAULTS[p.scenario]
    p.engine = p.engine or engine
    p.sales = p.sales or sales
    p.skus = p.skus or skus
    p.rate = p.rate or rate
    p.seconds = p.seconds or seconds
    if p.stock is None:  # enough never to run out
        seconds = p.seconds + (p.kill_after + 60 if p.scenario == "crash" else 0)
        p.stock = stock if stock is not None else int(2 * p.rate * seconds / p.skus) + 100
    if p.output is None:
        p.output = (
            DEFAULT_OUTPUT
            if p.scenario == "steady"
            else RESULTS / f"sync_latency_{p.scenario}_{p.engine}.json"
        )
    return p


def main(argv: list[str] | None = None) -> int:
    p = parse_args(argv)
    if p.scenario != "steady":
        from sync_report import run_scenario  # the runs under load, in modules of their own

        return run_scenario(p)
    started = datetime.now(UTC)
    result = run(p)
    table = Table(
        "engine",
        "sales",
        "rate/s",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "max ms",
        "pushes/sale",
        "final counts exact",
    )
    table.add_row(
        result["engine"],
        str(result["sales"]),
        str(result["rate_per_second"]),
        str(result["p50_ms"]),
        str(result["p95_ms"]),
        str(result["p99_ms"]),
        str(result["max_ms"]),
        str(result["pushes_per_sale"]),
        "yes" if result["final_counts_exact"] else "NO",
    )
    console.print(table)
    target = (
        result["p99_ms"] is not None and result["p99_ms"] < 1000 and result["final_counts_exact"]
    )
    console.print("target (p99 < 1 s, final counts exact): " + ("met" if target else "NOT met"))
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    ).stdout.strip()
    p.output.parent.mkdir(parents=True, exist_ok=True)
    p.output.write_text(
        json.dumps(
            {
                "benchmark": "sync_latency",
                "started_at": started.isoformat(timespec="seconds"),
                "machine": {
                    "cpu_count": os.cpu_count(),
                    "python": platform.python_version(),
                    "platform": platform.platform(),
                    "commit": commit,
                },
                "target": {"p99_ms_below": 1000, "final_counts_exact": True, "met": target},
                "result": result,
            },
            indent=2,
        )
        + "\n"
    )
    console.print(f"Wrote {p.output}")
    return 0 if target else 1


if __name__ == "__main__":
    raise SystemExit(main())
