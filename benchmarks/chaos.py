"""The crash test for as many cycles as asked (issue 18): ``kill -9`` of ``podium serve``, the
``podium worker`` relays or both, at random moments under a mixed load, then the checker.

The harness is the test's (tests/chaos_support.py and the chaos_* modules beside it): a fresh
database per engine (a temporary SQLite file, or ``CREATE DATABASE`` on the local PostgreSQL),
``podium serve`` plus ``--workers`` ``podium worker`` processes, fake Shopify and WooCommerce
shops, an SMTP server and a webhook receiver in this process; threads sending API orders with
and without an Idempotency-Key, signed Shopify and WooCommerce order webhooks, cancels,
shipments and returns. Each cycle lets the load run, kills, restarts (``back after``: from the
kill to every restarted process answering) and lets the load run on. After the last cycle the
load stops, Podium settles (nothing pending in the outbox, the webhook queue or the stock
pushes) and the checker proves: every acknowledged request took effect once (lost = 0,
duplicated = 0), every event was delivered, each e-mail event sent its e-mail once, the shops
show what Podium publishes, every unit is accounted for and the doctor is clean.

Prints a table per engine and writes ``benchmarks/results/chaos.json`` (one entry per engine,
a run of one engine keeps the other's). The exit code is 1 if any property failed.

    .venv/bin/python benchmarks/chaos.py --cycles 5 --engine sqlite
    .venv/bin/python benchmarks/chaos.py --cycles 5 --engine sqlite,postgres --seed 7
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sync_common import ROOT, database

from chaos_support import Plan, run, table

RESULTS = ROOT / "benchmarks" / "results" / "chaos.json"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cycles", type=int, default=5)
    ap.add_argument("--engine", default="sqlite", help="sqlite, postgres or sqlite,postgres")
    ap.add_argument("--seconds", type=float, default=4.0, help="most load before a kill")
    ap.add_argument("--after", type=float, default=2.0, help="load after each restart")
    ap.add_argument("--threads", type=int, default=4, help="load generator threads")
    ap.add_argument("--workers", type=int, default=1, help="podium worker processes")
    ap.add_argument("--skus", type=int, default=6)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--output", type=Path, default=RESULTS)
    return ap.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    p = parse_args(argv)
    started = datetime.now(UTC)
    results: dict[str, Any] = {}
    if p.output.exists():
        results = json.loads(p.output.read_text()).get("engines", {})
    failed = False
    for engine in p.engine.split(","):
        plan = Plan(
            cycles=p.cycles,
            seconds=p.seconds,
            after=p.after,
            skus=p.skus,
            threads=p.threads,
            workers=p.workers,
            seed=p.seed,
            cli_doctor=True,
        )
        began = time.monotonic()
        print(f"== {engine}: {p.cycles} cycles")
        with database(engine) as url:
            report = run(url, plan, lambda line: print(f"  {line}", flush=True))
        print(table(report))
        outcome = report.as_dict()
        failed |= not outcome["ok"]
        results[engine] = {
            "parameters": vars(p) | {"output": str(p.output), "engine": engine},
            "wall_seconds": round(time.monotonic() - began, 1),
            **outcome,
        }
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
                "benchmark": "chaos",
                "started_at": started.isoformat(timespec="seconds"),
                "machine": {
                    "cpu_count": os.cpu_count(),
                    "loadavg": os.getloadavg(),
                    "python": platform.python_version(),
                    "platform": platform.platform(),
                    "commit": commit,
                },
                "engines": results,
            },
            indent=2,
        )
        + "\n"
    )
    print(f"Wrote {p.output}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
