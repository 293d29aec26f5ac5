"""Soak (issue 18 item 5): steady order intake through the API for a long time, watching for
slow leaks: memory (RSS) of the server and its workers, the outbox and timeline tables (the
outbox must stay bounded: delivered events are pruned, see docs/operations.md "Data
lifecycle"), and the latency per minute (p99 steady).

A fresh database and a real ``podium serve`` (``benchmarks/intake.py``'s server and seeding),
then ``--rate`` orders per second, open loop (a slow answer does not slow the sender), for
``--minutes``. Every ``--sample-seconds``: RSS summed over the server's processes, the outbox
(total, pending), the timeline rows, and p50/p99 and errors of the orders answered in the
window. Prints a table, writes ``benchmarks/results/soak.json``, and exits 1 when memory grew
by more than ``--max-rss-growth`` (second half's mean over the first sample after warm-up),
the outbox kept growing past its retention, or any request failed.

The full run is a scheduled job, not part of ``make test``: one hour at half the intake
benchmark's rate, e.g.

    .venv/bin/python benchmarks/soak.py --minutes 60 --rate 60
    .venv/bin/python benchmarks/soak.py --minutes 5 --rate 30 --sample-seconds 30   # a look

Retention is shortened for the run (``--retain-seconds``, default 120 s, pruned every
``--prune-seconds``) so that pruning shows within minutes.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from intake import (
    API,
    DEFAULT_PG_ADMIN_URL,
    WAREHOUSE_SITES,
    Params,
    Server,
    _proc_stats,
    _sql_engine,
    fresh_database,
    seed,
)
from rich.console import Console
from rich.table import Table
from sqlalchemy import text

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "benchmarks" / "results" / "soak.json"
SKUS = 200
PLACES = (("Boston", "MA", "02108"), ("Chicago", "IL", "60601"), ("Denver", "CO", "80202"))


def rss_mb(session: int) -> float:
    """Resident memory of every process in the server's session (uvicorn and its workers)."""
    total = 0
    for pid, _, sid, _ in _proc_stats():
        if sid != session:
            continue
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return round(total / 1024, 1)


def order(n: int, rng: random.Random) -> dict[str, Any]:
    city, region, postal = rng.choice(PLACES)
    skus = rng.sample(range(1, SKUS + 1), rng.randint(1, 3))
    return {
        "channel": "web",
        "external_id": f"soak-{n}",
        "currency": "USD",
        "customer": {"email": f"soak{n % 5000}@example.com", "name": "Soak Shopper"},
        "shipping_address": {
            "line1": "1 Main St",
            "city": city,
            "region": region,
            "postal_code": postal,
            "country": "US",
        },
        "lines": [{"sku": f"SKU-{s:04d}", "quantity": 1, "unit_price": "19.99"} for s in skus],
    }


class Window:
    """Latencies and failures of the orders answered since the last sample."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.errors: dict[str, int] = {}

    def add(self, ms: float, status: int | str) -> None:
        with self.lock:
            if status == 201:
                self.latencies.append(ms)
            else:
                self.errors[str(status)] = self.errors.get(str(status), 0) + 1

    def take(self) -> tuple[list[float], dict[str, int]]:
        with self.lock:
            taken = self.latencies, self.errors
            self.latencies, self.errors = [], {}
        return taken


def counts(engine: Any) -> dict[str, int]:
    with engine.connect() as conn:
        row = conn.execute(
            text(
                "SELECT (SELECT count(*) FROM outbox),"
                " (SELECT count(*) FROM outbox WHERE status = 'pending'),"
                " (SELECT count(*) FROM order_events), (SELECT count(*) FROM orders)"
            )
        ).one()
    return dict(
        zip(("outbox", "outbox_pending", "order_events", "orders"), map(int, row), strict=True)
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--minutes", type=float, default=60)
    parser.add_argument("--rate", type=float, default=60, help="Orders per second.")
    parser.add_argument("--engine", default="sqlite", choices=("sqlite", "postgres"))
    parser.add_argument("--workers", type=int, default=1, help="API processes.")
    parser.add_argument("--sample-seconds", type=float, default=60)
    parser.add_argument("--retain-seconds", type=float, default=120)
    parser.add_argument("--prune-seconds", type=float, default=20)
    parser.add_argument("--max-rss-growth", type=float, default=0.15)
    parser.add_argument("--pg-admin-url", default=DEFAULT_PG_ADMIN_URL)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args()
    console = Console()
    os.environ["PODIUM_RETAIN_DELIVERED_EVENTS_DAYS"] = str(args.retain_seconds / 86400)
    os.environ["PODIUM_PRUNE_INTERVAL_SECONDS"] = str(args.prune_seconds)
    os.environ.setdefault("PODIUM_ACCESS_LOG", "0")
    samples: list[dict[str, Any]] = []
    started_at = datetime.now(UTC).isoformat(timespec="seconds")
    with fresh_database(args.engine, args.pg_admin_url) as url:
        server = Server(url, args.workers)
        key = server.start()
        engine = _sql_engine(url)
        try:
            params = Params(
                engines=(args.engine,),
                workers={},
                connections=(),
                seconds=0,
                warmup=0,
                analyze=False,
                wrk_threads=0,
                timeout=0,
                skus=SKUS,
                warehouses=3,
                lines=3,
                pg_admin_url=args.pg_admin_url,
                output=args.output,
            )
            seed(server.base, key, params)
            console.print(
                f"{args.engine}: soaking at {args.rate:g} orders/s for {args.minutes:g} min "
                f"({len(WAREHOUSE_SITES[:3])} warehouses, {SKUS} SKUs); sampling every "
                f"{args.sample_seconds:g} s"
            )
            window = Window()
            limits = httpx.Limits(max_connections=32, max_keepalive_connections=32)
            headers = {"Authorization": f"Bearer {key}"}
            client = httpx.Client(
                base_url=server.base + API, headers=headers, timeout=30.0, limits=limits
            )
            rng = random.Random(7)

            def send(n: int, body: dict[str, Any]) -> None:
                began = time.perf_counter()
                try:
                    status: int | str = client.post("/orders", json=body).status_code
                except httpx.HTTPError as exc:
                    status = type(exc).__name__
                window.add((time.perf_counter() - began) * 1000, status)

            pool = ThreadPoolExecutor(max_workers=32)
            began = time.monotonic()
            end = began + args.minutes * 60
            next_sample = began + args.sample_seconds
            n = 0
            while True:
                now = time.monotonic()
                if now >= next_sample:
                    latencies, errors = window.take()
                    sample = {
                        "minute": round((now - began) / 60, 2),
                        "orders": len(latencies),
                        "rate": round(len(latencies) / args.sample_seconds, 1),
                        "p50_ms": round(statistics.median(latencies), 1) if latencies else None,
                        "p99_ms": round(sorted(latencies)[int(0.99 * (len(latencies) - 1))], 1)
                        if latencies
                        else None,
                        "errors": errors,
                        "rss_mb": rss_mb(server.pid),
                        **counts(engine),
                        "load_average": round(os.getloadavg()[0], 1),
                    }
                    samples.append(sample)
                    console.print(sample, highlight=False)
                    next_sample += args.sample_seconds
                if now >= end:
                    break
                due = began + n / args.rate
                if due > now:
                    time.sleep(min(due - now, next_sample - now, 0.05))
                    continue
                pool.submit(send, n, order(n, rng))
                n += 1
            pool.shutdown(wait=True)
            client.close()
        finally:
            engine.dispose()
            server.stop()
    verdict = judge(samples, args)
    print_table(console, samples, verdict)
    report = {
        "benchmark": "soak",
        "started": started_at,
        "parameters": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "note": "shared machine: other jobs ran beside the soak (see load_average)",
        },
        "samples": samples,
        "verdict": verdict,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n")
    console.print(f"Wrote {args.output}")
    return 0 if verdict["ok"] else 1


def judge(samples: list[dict[str, Any]], args: argparse.Namespace) -> dict[str, Any]:
    """RSS flat, outbox bounded, no failed request."""
    if len(samples) < 3:
        return {"ok": False, "why": "fewer than three samples"}
    base = samples[1]["rss_mb"]  # after warm-up (imports, caches, the geocoder)
    late = samples[len(samples) // 2 :]
    rss_growth = statistics.mean(s["rss_mb"] for s in late) / base - 1
    # Once pruning runs (retention + a prune interval), the outbox holds a plateau of about
    # retention's worth of events: it must not grow past it.
    settled = args.retain_seconds + 2 * args.prune_seconds + args.sample_seconds
    after = [s for s in samples if s["minute"] * 60 >= settled]
    outbox_bound = int(after[0]["outbox"] * 1.3) + 100 if after else None
    outbox_max_late = max(s["outbox"] for s in (after or late))
    failed = sum(sum(s["errors"].values()) for s in samples)
    p99s = [s["p99_ms"] for s in samples if s["p99_ms"] is not None]
    ok = rss_growth <= args.max_rss_growth and failed == 0
    if outbox_bound is not None and len(after) > 1:  # a run past the retention shows it
        ok = ok and outbox_max_late <= outbox_bound
    return {
        "ok": ok,
        "rss_growth": round(rss_growth, 3),
        "outbox_max_after_retention": outbox_max_late,
        "outbox_bound": outbox_bound,
        "failed_requests": failed,
        "p99_ms_first_last_max": [p99s[0], p99s[-1], max(p99s)] if p99s else None,
    }


def print_table(console: Console, samples: list[dict[str, Any]], verdict: dict[str, Any]) -> None:
    table = Table(title="soak")
    columns = ("minute", "rate", "p50_ms", "p99_ms", "rss_mb", "outbox", "outbox_pending")
    for col in (*columns, "order_events", "errors"):
        table.add_column(col, justify="right")
    for s in samples:
        table.add_row(*(str(s[c]) for c in columns), str(s["order_events"]), str(s["errors"]))
    console.print(table)
    console.print(verdict)


if __name__ == "__main__":
    sys.exit(main())
