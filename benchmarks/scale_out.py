"""Scale-out benchmark (issue 19): throughput by number of API processes.

For 1, 2 and 3 ``podium serve`` processes (one process each, its own port, as if on separate
machines) plus ``--workers`` (2) ``podium worker`` relays on a PostgreSQL database made for the
case: seed over REST, then ``--orders`` orders through every entry point at once (REST orders
and Shopify webhooks spread over all API processes by ``--threads`` clients, every fifth sent
twice to different processes, plus a CSV import through the CLI), wait for the outbox to
drain, and check what tests/e2e/test_scale_out.py checks: no duplicate order, nothing
oversold, every order.created webhook delivered once, the stock doctor clean.

    .venv/bin/python benchmarks/scale_out.py                    # 1,2,3 APIs, 240 orders each
    .venv/bin/python benchmarks/scale_out.py --apis 1,2 --orders 120

Results: a table and ``benchmarks/results/scale_out.json``. Only loopback traffic. The clients
run in this process (Python threads), so on a small machine they, the API processes, the
workers and PostgreSQL share the same cores: read the figures as relative.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sync_common import ROOT, database

sys.path.insert(0, str(ROOT / "tests"))  # the process machinery and fakes live with the tests

from fakes.channels.shopify import FakeShopify
from notify_fakes import webhook_receiver
from scale_support import HOT_STOCK, cluster, load, prove, seed, settle

OUTPUT = ROOT / "benchmarks" / "results" / "scale_out.json"


def run_case(apis: int, p: argparse.Namespace) -> dict[str, Any]:
    with (
        database("postgres") as url,
        tempfile.TemporaryDirectory() as tmp,
        FakeShopify(token="tok-bench") as shop,
        webhook_receiver() as receiver,
        cluster(url, Path(tmp), apis=apis, workers=p.workers) as c,
    ):
        skus = seed(c, shop, receiver)
        sent = load(c, skus, orders=p.orders, threads=p.threads, csv_orders=p.csv_orders)
        counts = settle(c, receiver, seconds=120)
        proof = prove(c, receiver, counts)
    accepted = sum(n for k, n in sent.statuses.items() if k.endswith((" 200", " 201")))
    ok = (
        not sent.errors
        and proof.duplicate_orders == 0
        and proof.hot_sold <= HOT_STOCK
        and proof.webhook_repeats == 0
        and proof.webhooks_received == proof.orders
        and proof.events.get("pending", 0) == 0
        and proof.doctor_ok
    )
    return {
        "apis": apis,
        "workers": p.workers,
        "requests": sum(n for k, n in sent.sent.items() if k != "cli"),
        "accepted": accepted,
        "seconds": round(sent.seconds, 2),
        "requests_per_second": round(sum(sent.sent.values()) / sent.seconds, 1),
        "orders": proof.orders,
        "statuses": dict(sent.statuses),
        "proof": {k: v for k, v in asdict(proof).items() if k != "doctor_output"},
        "properties_hold": ok,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--apis", default="1,2,3")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--orders", type=int, default=240)
    parser.add_argument("--threads", type=int, default=12)
    parser.add_argument("--csv-orders", type=int, default=20)
    p = parser.parse_args(argv)
    results = [run_case(int(n), p) for n in p.apis.split(",")]
    print(f"{'APIs':>4} {'workers':>7} {'requests':>8} {'seconds':>8} {'req/s':>7} {'ok':>4}")
    for r in results:
        print(
            f"{r['apis']:>4} {r['workers']:>7} {r['requests']:>8} {r['seconds']:>8} "
            f"{r['requests_per_second']:>7} {'yes' if r['properties_hold'] else 'NO':>4}"
        )
    OUTPUT.write_text(
        json.dumps(
            {
                "at": datetime.now(UTC).isoformat(timespec="seconds"),
                "cpus": os.cpu_count(),
                "load_average": os.getloadavg(),
                "results": results,
            },
            indent=2,
        )
        + "\n"
    )
    return 0 if all(r["properties_hold"] for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
