"""Automation rules: what evaluating 100 enabled rules costs per order (issue 15).

    .venv/bin/python benchmarks/rules.py [--rules 100] [--orders 20000] [--output FILE]

Builds a rule set of ``--rules`` enabled ``order.placed`` rules mixing every kind of test
(money, counts, text in/not_in, contains, starts_with, a regular expression, list fields,
absent risk facts, all/any/not nesting), checks it as the API does, and times
``automation.model.evaluate`` over ``--orders`` synthetic orders' facts, one order at a time.
Prints p50/p99/max in microseconds and writes them as JSON with the machine and the commit.
This is the rules' share of an order's cost; the relay subscriber adds one write transaction
per order when some rule of the trigger is enabled (none when none is), which the intake
benchmark (benchmarks/intake.py) measures end to end.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import subprocess
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

from podium.automation.model import evaluate, read_rule_set

RESULTS = Path(__file__).parent / "results" / "rules.json"
COUNTRIES = ["US", "CA", "GB", "DE", "FR", "AU", "MX"]


def rule(i: int) -> dict[str, Any]:
    tests: list[dict[str, Any]] = [
        {"field": "total", "op": ">=", "value": f"{50 + i * 7}.00"},
        {"field": "shipping_address.country", "op": "in", "value": COUNTRIES[: 1 + i % 6]},
        {"field": "customer.orders_count", "op": "<=", "value": 1 + i % 4},
        {"field": "tags", "op": "contains", "value": f"tag{i % 9}"},
        {"field": "customer.email", "op": "matches", "value": rf"@(mail{i % 5}|shop)\.example$"},
        {"field": "lines.sku", "op": "starts_with", "value": f"SKU-{i % 10}"},
        {"field": "lines.quantity", "op": ">", "value": 3},
        {"field": "risk.score", "op": ">", "value": 70},
        {"field": "channel", "op": "not_in", "value": ["amazon", "pos"]},
    ]
    picked = [tests[(i + k) % len(tests)] for k in range(3)]
    when = {"all": [picked[0], {"any": [picked[1], {"not": picked[2]}]}]}
    return {
        "name": f"rule {i}",
        "trigger": "order.placed",
        "when": when,
        "then": [{"action": "add_tag", "tag": f"r{i}"}],
    }


def facts(rng: random.Random) -> dict[str, Any]:
    lines = rng.randint(1, 4)
    return {
        "total": Decimal(rng.randint(500, 300_000)) / 100,
        "subtotal": Decimal(rng.randint(500, 300_000)) / 100,
        "currency": "USD",
        "channel": rng.choice(["web", "amazon", "shopify", "pos"]),
        "tags": [f"tag{rng.randint(0, 12)}" for _ in range(rng.randint(0, 3))],
        "customer.email": f"user{rng.randint(1, 999)}@mail{rng.randint(0, 7)}.example",
        "customer.orders_count": rng.randint(1, 6),
        "shipping_address.country": rng.choice([*COUNTRIES, "JP"]),
        "lines.sku": [f"SKU-{rng.randint(0, 9999):04d}" for _ in range(lines)],
        "lines.quantity": [rng.randint(1, 6) for _ in range(lines)],
        "risk.score": None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rules", type=int, default=100)
    parser.add_argument("--orders", type=int, default=20_000)
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    rules = read_rule_set({"rules": [rule(i) for i in range(args.rules)]})
    rng = random.Random(15)
    orders = [facts(rng) for _ in range(args.orders)]
    for f in orders[:500]:  # warm-up
        evaluate(rules, "order.placed", f)
    timings: list[float] = []
    fired = 0
    cpu = time.process_time()
    for f in orders:
        start = time.perf_counter()
        fired += len(evaluate(rules, "order.placed", f))
        timings.append(time.perf_counter() - start)
    cpu = time.process_time() - cpu
    timings.sort()

    def pct(p: float) -> float:
        return timings[min(len(timings) - 1, int(p * len(timings)))] * 1e6

    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    result = {
        "rules": args.rules,
        "orders": args.orders,
        "firings_per_order": round(fired / args.orders, 2),
        "p50_us": round(pct(0.50), 1),
        "p99_us": round(pct(0.99), 1),
        "max_us": round(timings[-1] * 1e6, 1),
        "mean_cpu_us": round(cpu / args.orders * 1e6, 1),
        "load_average": round(os.getloadavg()[0], 2),
        "python": platform.python_version(),
        "machine": platform.processor() or platform.machine(),
        "commit": commit,
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    print(
        f"{args.rules} rules × {args.orders} orders: p50 {result['p50_us']} µs, "
        f"p99 {result['p99_us']} µs, max {result['max_us']} µs, mean CPU "
        f"{result['mean_cpu_us']} µs per order (load average {result['load_average']}; "
        f"{result['firings_per_order']} firings per order)"
    )
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
