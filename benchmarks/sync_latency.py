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
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import psycopg
from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the fake platform servers live with the tests

from fakes.channels.shopify import FakeShopify, shopify_webhook  # noqa: E402
from podium.inventory.availability import Availability, published_quantity  # noqa: E402

DEFAULT_OUTPUT = ROOT / "benchmarks" / "results" / "sync_latency.json"
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"
SECRET = "bench-webhook-secret"
BUFFERS = {"a": 0, "b": 0, "c": 2}
PODIUM = Path(sys.executable).with_name("podium")
console = Console(width=120)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def database(engine: str) -> Iterator[str]:
    if engine == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite:///{tmp}/bench.db"
        return
    name = f"podium_bench_{secrets.token_hex(4)}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def serve(database_url: str) -> Iterator[tuple[str, str]]:
    port = _free_port()
    env = {**os.environ, "PODIUM_DATABASE_URL": database_url, "PODIUM_PORT": str(port)}
    with tempfile.TemporaryFile("w+") as log:
        proc = subprocess.Popen(
            [str(PODIUM), "serve"], env=env, stdout=log, stderr=subprocess.STDOUT, text=True
        )
        try:
            url, key, deadline = f"http://127.0.0.1:{port}", "", time.monotonic() + 60
            while time.monotonic() < deadline:
                if proc.poll() is not None:
                    log.seek(0)
                    raise SystemExit(f"podium serve exited: {log.read()}")
                log.seek(0)
                key = next((ln.strip() for ln in log if ln.startswith("pdm_")), "")
                try:
                    if key and httpx.get(f"{url}/api/v1/health", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                time.sleep(0.1)
            else:
                raise SystemExit("podium serve did not start")
            yield url, key
        finally:
            proc.terminate()
            proc.wait(15)


def _ok(r: httpx.Response) -> Any:
    if r.status_code >= 300:
        raise SystemExit(f"{r.request.method} {r.request.url}: {r.status_code} {r.text}")
    return r.json()


def seed(api: httpx.Client, shops: dict[str, FakeShopify], skus: list[str], stock: int) -> None:
    _ok(
        api.post(
            "/warehouses",
            json={
                "code": "EAST",
                "name": "Newark DC",
                "address": {"city": "Newark", "region": "NJ", "country": "US"},
                "latitude": 40.73,
                "longitude": -74.17,
            },
        )
    )
    for code, shop in shops.items():
        settings = {
            "shop_url": shop.url,
            "access_token": shop.token,
            "webhook_secret": SECRET,
            "location_id": "1",
            "availability": {"buffer": BUFFERS[code]},
        }
        body = {"code": code, "name": f"Shop {code}", "type": "shopify", "settings": settings}
        _ok(api.post("/channels", json=body))
    for i, sku in enumerate(skus):
        _ok(api.post("/products", json={"sku": sku, "name": f"Product {sku}"}))
        _ok(
            api.post(
                "/inventory/adjustments",
                json={"sku": sku, "warehouse": "EAST", "quantity": stock, "reason": "receipt"},
            )
        )
        for code in shops:
            _ok(api.put(f"/channels/{code}/listings/{sku}", json={"remote_id": str(1000 + i)}))


def wait_until(predicate: Any, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def order_payload(n: int, sku: str) -> dict[str, Any]:
    return {
        "id": 5_000_000_000_000_000_000 + n,
        "name": f"#{n}",
        "email": "bench@example.com",
        "currency": "USD",
        "updated_at": "2026-11-20T10:00:00Z",
        "financial_status": "paid",
        "total_price": "10.00",
        "shipping_address": {"country_code": "US", "zip": "10001", "city": "New York"},
        "line_items": [
            {"id": n, "variant_id": n, "sku": sku, "name": sku, "quantity": 1, "price": "10.00"}
        ],
    }


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


def compare(api: httpx.Client, shops: dict[str, FakeShopify], skus: list[str]) -> dict[str, Any]:
    mismatches = []
    for i, sku in enumerate(skus):
        view = _ok(api.get(f"/inventory/{sku}"))
        told = {c["channel"]: c["published"] for c in view["channels"]}
        for code, shop in shops.items():
            shows = shop.level(str(1000 + i), "1")
            if shows != told[code]:
                mismatches.append(
                    {"sku": sku, "channel": code, "podium": told[code], "shows": shows}
                )
    return {"exact": not mismatches, "mismatches": mismatches[:20]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--engine", choices=("sqlite", "postgres"), default="sqlite")
    ap.add_argument("--sales", type=int, default=1000)
    ap.add_argument("--skus", type=int, default=100)
    ap.add_argument("--rate", type=float, default=25.0, help="sales per second (steady)")
    ap.add_argument("--stock", type=int, default=50, help="units of each SKU at the start")
    ap.add_argument(
        "--shopify-restore",
        type=float,
        default=50.0,
        help="fake shops' GraphQL cost points restored per second (bucket 1000; default 50)",
    )
    ap.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    p = ap.parse_args(argv)
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
