"""Risk scoring and address checks at placement: what they cost per order (issue 15).

In process, on a fresh database (SQLite file by default; ``--postgres-url`` for PostgreSQL):
a catalogue seeded through the API, then ``--orders`` orders placed through ``place_order``
whose customers, addresses and IPs repeat (so velocity counts find rows), a tenth of them with
risk signals (disposable e-mail, forwarder, billed abroad, a wrong ZIP code). Then, per order:

* ``assess``: the pure scoring of gathered facts (``risk.assess``);
* ``prepare``: the checks that need no database (address, disposable list, forwarders), warm;
* ``screen``: the velocity and first-order queries plus scoring, inside a read transaction,
  against the database just filled;
* ``place``: ``place_order`` end to end with risk on, and with ``PODIUM_RISK_ENABLED=false``
  (the same orders alternately), to see what screening adds to placement.

    .venv/bin/python benchmarks/risk.py --orders 3000
    .venv/bin/python benchmarks/risk.py --postgres-url postgresql://postgres@127.0.0.1:5432/bench

Prints a table and writes ``benchmarks/results/risk.json`` (``risk_postgres.json``).
The target: scoring under 1 ms p99.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from podium.access import create_key
from podium.api.app import create_app
from podium.bootstrap import Podium, bootstrap
from podium.config import Settings
from podium.geo import Geocoder
from podium.orders import OrderIntake, place_order
from podium.orders.screening import prepare, screen
from podium.risk import RiskFacts, RiskSettings, assess

RESULTS = Path(__file__).parent / "results" / "risk.json"
# (city, state, ZIP codes): real ZIP codes of each city, so the address checks pass.
PLACES = (
    ("Seattle", "WA", ("98101", "98104", "98109")),
    ("New York", "NY", ("10001", "10016", "10024")),
    ("Austin", "TX", ("78701", "78704")),
    ("Chicago", "IL", ("60601", "60614")),
    ("Denver", "CO", ("80202", "80205")),
)
SKUS = [f"SKU-{i:03d}" for i in range(50)]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def summary(name: str, seconds: list[float]) -> dict[str, Any]:
    ms = [s * 1000 for s in seconds]
    return {
        "what": name,
        "n": len(ms),
        "p50_ms": round(statistics.median(ms), 4),
        "p99_ms": round(percentile(ms, 0.99), 4),
        "max_ms": round(max(ms), 4),
    }


def intake(rng: random.Random, i: int) -> OrderIntake:
    city, state, zips = rng.choice(PLACES)
    risky = rng.random() < 0.1
    customer = rng.randrange(max(1, i // 3 + 1))  # repeat customers
    body: dict[str, Any] = {
        "channel": "web",
        "external_id": f"b{i}",
        "currency": "USD",
        "customer": {
            "email": f"c{customer}@{'mailinator.com' if risky else 'example.com'}",
            "name": f"Customer {customer}",
        },
        "shipping_address": {
            "line1": f"{rng.randint(1, 999)} Main St",
            "line2": "Shipito suite 12" if risky and rng.random() < 0.5 else None,
            "city": city,
            "region": state,
            "postal_code": rng.choice(zips) if not risky else "10001",
            "country": "US",
        },
        "billing_address": {"line1": "1 High St", "postal_code": "SW1A 1AA", "country": "GB"}
        if risky
        else None,
        "client_ip": f"198.51.100.{customer % 250}",
        "lines": [
            {"sku": rng.choice(SKUS), "quantity": 1, "unit_price": rng.choice(["19.99", "650.00"])}
        ],
        "on_shortage": "backorder",
    }
    return OrderIntake.model_validate(body)


def seed(podium: Podium) -> None:
    key = create_key(podium.db, "bench", "admin")[1]
    with TestClient(create_app(podium, run_relay=False)) as client:
        headers = {"Authorization": f"Bearer {key}"}

        def post(path: str, body: dict[str, Any]) -> None:
            r = client.post(f"/api/v1{path}", json=body, headers=headers)
            assert r.status_code < 300, r.text

        post("/channels", {"code": "web", "name": "Web", "type": "manual"})
        post(
            "/warehouses",
            {
                "code": "WEST",
                "name": "Oakland DC",
                "address": {"city": "Oakland", "region": "CA", "postal_code": "94607",
                            "country": "US"},
                "latitude": 37.8,
                "longitude": -122.27,
            },
        )  # fmt: skip
        for sku in SKUS:
            post("/products", {"sku": sku, "name": sku, "weight_grams": 200})
            post(
                "/inventory/adjustments",
                {"sku": sku, "warehouse": "WEST", "quantity": 1_000_000, "reason": "receipt"},
            )


def run(url: str, orders: int, seed_value: int) -> dict[str, Any]:
    geocoder = Geocoder()
    geocoder.preload()
    podium = bootstrap(Settings(database_url=url), geocoder=geocoder)
    try:
        seed(podium)
        rng = random.Random(seed_value)
        on = podium.allocator
        off = replace(on, screening=RiskSettings(enabled=False))
        intakes = [intake(rng, i) for i in range(orders)]
        placed_on: list[float] = []
        placed_off: list[float] = []
        held = 0
        for i, it in enumerate(intakes):
            allocator = on if i % 2 == 0 else off
            start = time.perf_counter()
            done = place_order(podium.db, it, allocator=allocator, actor="bench")
            (placed_on if allocator is on else placed_off).append(time.perf_counter() - start)
            held += any(h.reason == "risk" for h in done.order.holds)
        screen_times: list[float] = []
        prepare_times: list[float] = []
        probes = [intake(rng, orders + i) for i in range(min(orders, 2000))]
        settings = on.screening
        for it in probes:
            began = time.perf_counter()
            prepared = prepare(it, settings, geocoder)
            prepare_times.append(time.perf_counter() - began)
            with podium.db.read() as conn:
                began = time.perf_counter()
                screen(conn, it, 50_000, prepared, settings)
                screen_times.append(time.perf_counter() - began)
        facts = [
            RiskFacts(
                total=rng.randint(100, 500_000),
                currency="USD",
                shipping_country="US",
                shipping_postal="98101",
                billing_country=rng.choice(["US", "GB", None]),
                billing_postal=rng.choice(["98101", "10001", None]),
                earlier_orders_by_email=rng.choice([0, 1, None]),
                recent_by_email=rng.randint(0, 5),
                recent_by_address=rng.randint(0, 5),
                recent_by_ip=rng.randint(0, 5),
                disposable_domain=rng.choice([None, "mailinator.com"]),
                forwarder=rng.choice([None, "shipito"]),
                channel_risk=rng.choice([None, "low", "high"]),
            )
            for _ in range(20_000)
        ]
        assess_times = []
        for f in facts:
            began = time.perf_counter()
            assess(f, settings)
            assess_times.append(time.perf_counter() - began)
        rows = [
            summary("assess (pure scoring)", assess_times),
            summary("prepare (address checks, lists)", prepare_times),
            summary("screen (velocity queries + scoring)", screen_times),
            summary("place_order, risk on", placed_on),
            summary("place_order, risk off", placed_off),
        ]
        return {"engine": url.split(":", 1)[0], "orders": orders, "held_for_risk": held,
                "rows": rows}  # fmt: skip
    finally:
        podium.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--postgres-url", default=None, help="an EMPTY database to fill")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        url = args.postgres_url or f"sqlite:///{tmp}/risk.db"
        result = run(url, args.orders, args.seed)
    print(f"{result['engine']}: {result['orders']} orders, {result['held_for_risk']} held")
    print(f"{'what':40} {'n':>7} {'p50 ms':>9} {'p99 ms':>9} {'max ms':>9}")
    for r in result["rows"]:
        print(f"{r['what']:40} {r['n']:>7} {r['p50_ms']:>9} {r['p99_ms']:>9} {r['max_ms']:>9}")
    result["machine"] = {"python": sys.version.split()[0], "platform": platform.platform()}
    result["at"] = datetime.now(UTC).isoformat(timespec="seconds")
    out = RESULTS.with_name("risk_postgres.json") if args.postgres_url else RESULTS
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
