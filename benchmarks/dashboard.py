"""Dashboard benchmark: server-side render time of each main page with 100,000 orders.

For each engine: a fresh database (a temporary SQLite file, or ``CREATE DATABASE
podium_dash_<random>`` on PostgreSQL, dropped afterwards), migrated, then seeded with bulk SQL
(3 channels, 3 warehouses, 500 SKUs with stock, N orders over the last 30 days with lines,
shipments, timeline events, ~2% on hold, a return on ~5%), ``ANALYZE``, an admin user signed
in, then each page requested ``--requests`` times in-process through the ASGI app (no network:
the figure is what the server spends). Prints p50/p95 per page and writes
``benchmarks/results/dashboard.json``.

    .venv/bin/python benchmarks/dashboard.py                       # both engines, 100,000 orders
    .venv/bin/python benchmarks/dashboard.py --engines sqlite --orders 20000 --requests 10
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import sqlalchemy as sa
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from rich.console import Console
from rich.table import Table

from podium.api.app import create_app
from podium.bootstrap import bootstrap
from podium.config import Settings
from podium.db import tables as t
from podium.orders.queue import QueueQuery, queue_select
from podium.returns.queue import ReturnsQuery, returns_select
from podium.users.service import create_user

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "benchmarks" / "results" / "dashboard.json"
DEFAULT_PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/test"
PASSWORD = "benchmark password"
CHEAP = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)
CHUNK = 5000
CHANNELS = ("web", "amazon", "pos")
WAREHOUSES = ("EAST", "WEST", "SOUTH")
NAMES = ("Ann", "Bo", "Cy", "Di", "Ed", "Flo", "Gus", "Hal", "Ivy", "Jo")
SURNAMES = ("Lee", "Ng", "Ortiz", "Park", "Quinn", "Ross", "Shah", "Tran", "Ueda", "Vega")
RETURN_STATUSES = ("requested", "approved", "in_transit", "received", "closed", "closed")


@contextmanager
def fresh_database(engine: str, pg_admin_url: str) -> Iterator[str]:
    if engine == "sqlite":
        with tempfile.TemporaryDirectory() as d:
            yield f"sqlite:///{d}/dashboard.db"
        return
    admin = sa.create_engine(
        pg_admin_url.replace("postgresql://", "postgresql+psycopg://", 1),
        isolation_level="AUTOCOMMIT",
    )
    name = f"podium_dash_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield sa.make_url(pg_admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def _insert(conn: sa.Connection, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    for i in range(0, len(rows), CHUNK):
        conn.execute(table.insert(), rows[i : i + CHUNK])


def _seed_catalogue(engine: sa.Engine, skus: list[str], now: datetime) -> None:
    with engine.begin() as conn:
        _insert(
            conn,
            t.channels,
            [
                {
                    "code": c,
                    "name": c.title(),
                    "type": "manual",
                    "warehouse_codes": None,
                    "settings": {},
                    "active": True,
                    "created_at": now,
                    "updated_at": now,
                }
                for c in CHANNELS
            ],
        )
        _insert(
            conn,
            t.warehouses,
            [
                {
                    "code": w,
                    "name": f"{w.title()} DC",
                    "country": "US",
                    "priority": 100,
                    "active": True,
                    "created_at": now,
                    "updated_at": now,
                }
                for w in WAREHOUSES
            ],
        )
        _insert(
            conn,
            t.products,
            [
                {
                    "sku": s,
                    "name": f"Product {s}",
                    "active": True,
                    "created_at": now,
                    "updated_at": now,
                }
                for s in skus
            ],
        )
        _insert(
            conn,
            t.stock_levels,
            [
                {
                    "sku": s,
                    "warehouse": w,
                    "on_hand": 1000,
                    "reserved": 0,
                    "safety_stock": 0,
                    "updated_at": now,
                }
                for s in skus
                for w in WAREHOUSES
            ],
        )
        _insert(
            conn,
            t.stock_movements,
            [
                {
                    "at": now - timedelta(days=31),
                    "sku": s,
                    "warehouse": w,
                    "kind": "receipt",
                    "on_hand_delta": 1000,
                    "reserved_delta": 0,
                    "reason": "receipt",
                    "reference": "seed",
                    "actor": "benchmark",
                }
                for s in skus
                for w in WAREHOUSES
            ],
        )


def seed(
    engine: sa.Engine,
    orders: int,
    rng: random.Random,
    *,
    first_order: int = 0,
    per_day: float | None = None,
) -> dict[str, Any]:
    """The catalogue, stock and ``orders`` orders with their rows, in bulk. With ``first_order``,
    only orders ``first_order`` .. ``orders - 1`` are added to a store seeded before (growth.py)."""
    now = datetime.now(UTC)
    skus = [f"SKU-{i:04d}" for i in range(1, 501)]
    if not first_order:
        _seed_catalogue(engine, skus, now)
    statuses = ["ready"] * 30 + ["shipped"] * 50 + ["delivered"] * 15 + ["cancelled"] * 3
    statuses += ["on_hold"] * 2
    closed = [s for s in statuses if s in ("shipped", "delivered", "cancelled")]
    sample: dict[str, Any] = {}
    batch = 20_000
    for start in range(first_order, orders, batch):
        rows: dict[str, list[dict[str, Any]]] = {
            k: []
            for k in (
                "orders",
                "lines",
                "ships",
                "ship_lines",
                "events",
                "holds",
                "returns",
                "return_lines",
            )
        }
        for n in range(start, min(orders, start + batch)):
            if per_day is None:  # 30 days, 5% of them in the last 24 hours
                placed = now - timedelta(seconds=rng.randrange(30 * 86400 if n % 20 else 86400))
            else:  # a steady store: order n is n / per_day days old
                placed = now - timedelta(days=n / per_day, seconds=rng.randrange(60))
            oid = f"ord_{n:026d}"
            # In a steady store only the last two days' orders are still open.
            old = per_day is not None and now - placed > timedelta(days=2)
            status = rng.choice(closed if old else statuses)
            first, last = rng.choice(NAMES), rng.choice(SURNAMES)
            lines = [
                (rng.choice(skus), rng.randint(1, 3), rng.randint(500, 9000))
                for _ in range(rng.randint(1, 2))
            ]
            subtotal = sum(q * p for _, q, p in lines)
            rows["orders"].append(
                {
                    "id": oid,
                    "number": f"PD-{100001 + n}",
                    "channel": CHANNELS[n % 3],
                    "external_id": f"EXT-{n}",
                    "idempotency_key": None,
                    "request_hash": "0" * 64,
                    "status": status,
                    "currency": "USD" if n % 5 else "EUR",
                    "subtotal": subtotal,
                    "shipping_total": 500,
                    "tax_total": 0,
                    "discount_total": 0,
                    "total": subtotal + 500,
                    "payment_status": "paid",
                    "customer_email": f"{first}.{last}.{n}@example.com".lower(),
                    "customer_name": f"{first} {last}",
                    "customer_phone": None,
                    "shipping_address": {"line1": "1 Main St", "city": "Austin", "country": "US"},
                    "destination_latitude": None,
                    "destination_longitude": None,
                    "tags": ["vip"] if n % 50 == 0 else [],
                    "placed_at": placed,
                    "created_at": placed,
                    "updated_at": placed,
                }
            )
            for i, (sku, qty, price) in enumerate(lines, 1):
                rows["lines"].append(
                    {
                        "order_id": oid,
                        "line_no": i,
                        "sku": sku,
                        "name": f"Product {sku}",
                        "quantity": qty,
                        "unit_price": price,
                        "quantity_cancelled": qty if status == "cancelled" else 0,
                    }
                )
            sid = f"shp_{n:026d}"
            ship_status = {"shipped": "shipped", "delivered": "delivered", "cancelled": "cancelled"}
            rows["ships"].append(
                {
                    "id": sid,
                    "order_id": oid,
                    "warehouse": WAREHOUSES[n % 3],
                    "status": ship_status.get(status, "pending"),
                    "carrier": "ups",
                    "service": None,
                    "tracking_number": f"1Z{n}" if status in ("shipped", "delivered") else None,
                    "tracking_url": None,
                    "created_at": placed,
                    "updated_at": placed,
                    "shipped_at": None,
                }
            )
            for i, (sku, qty, _) in enumerate(lines, 1):
                rows["ship_lines"].append(
                    {"shipment_id": sid, "line_no": i, "sku": sku, "quantity": qty}
                )
            rows["events"].append(
                {
                    "order_id": oid,
                    "at": placed,
                    "type": "order.placed",
                    "message": "Order placed.",
                    "data": {},
                    "actor": "key:web",
                }
            )
            if status == "on_hold":
                rows["holds"].append(
                    {
                        "id": f"hld_{n:026d}",
                        "order_id": oid,
                        "reason": rng.choice(["fraud_review", "address", "manual"]),
                        "note": None,
                        "created_at": placed,
                        "created_by": "key:web",
                        "released_at": None,
                        "released_by": None,
                    }
                )
            if status in ("shipped", "delivered") and n % 20 == 1:  # ~5% of orders
                rid = f"rma_{n:026d}"
                created = placed + timedelta(hours=rng.randint(1, 48))
                rows["returns"].append(
                    {
                        "id": rid,
                        "order_id": oid,
                        "status": rng.choice(RETURN_STATUSES),
                        "note": None,
                        "carrier": None,
                        "tracking_number": None,
                        "exchange_order_id": None,
                        "channel_refund_id": None,
                        "created_at": created,
                        "updated_at": created,
                        "created_by": "customer:benchmark",
                    }
                )
                sku, qty, _ = lines[0]
                rows["return_lines"].append(
                    {
                        "return_id": rid,
                        "line_no": 1,
                        "order_line_no": 1,
                        "sku": sku,
                        "quantity": qty,
                        "reason": "size_fit",
                        "quantity_received": 0,
                        "quantity_restocked": 0,
                        "quantity_damaged": 0,
                        "quantity_scrapped": 0,
                        "quantity_refurbished": 0,
                    }
                )
                if n <= orders // 2 or "return_id" not in sample:  # the one nearest half-way
                    sample["return_id"] = rid
                    sample["return_email"] = rows["orders"][-1]["customer_email"]
                    sample["return_order_id"] = oid
            if n == orders // 2:
                sample.update(
                    {
                        "id": oid,
                        "email": rows["orders"][-1]["customer_email"],
                        "number": f"PD-{100001 + n}",
                    }
                )
        with engine.begin() as conn:
            _insert(conn, t.orders, rows["orders"])
            _insert(conn, t.order_lines, rows["lines"])
            _insert(conn, t.shipments, rows["ships"])
            _insert(conn, t.shipment_lines, rows["ship_lines"])
            _insert(conn, t.order_events, rows["events"])
            _insert(conn, t.order_holds, rows["holds"])
            _insert(conn, t.returns, rows["returns"])
            _insert(conn, t.return_lines, rows["return_lines"])
    with engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    return sample


def explain(podium: Any, sample: dict[str, Any], cursor: str | None) -> dict[str, list[str]]:
    """PostgreSQL's plan for the queue's main queries (they should walk an index, not sort)."""
    queries = {
        "newest first": QueueQuery(),
        "page 2": QueueQuery(cursor=cursor),
        "status=on_hold": QueueQuery(status="on_hold"),
        "q=<e-mail>": QueueQuery(q=sample["email"]),
        "q=<number>": QueueQuery(q=sample["number"]),
        "q=<name>": QueueQuery(q="quinn"),
    }
    returns = {
        "returns newest first": ReturnsQuery(),
        "returns status=received": ReturnsQuery(status="received"),
        "returns q=<e-mail>": ReturnsQuery(q=sample["return_email"]),
        "returns channel=amazon": ReturnsQuery(channel="amazon"),
    }
    plans: dict[str, list[str]] = {}
    with podium.db.read() as conn:
        selects = [(n, queue_select(q, "postgresql")) for n, q in queries.items()]
        selects += [(n, returns_select(q)) for n, q in returns.items()]
        for name, select in selects:
            compiled = select.compile(dialect=conn.dialect)
            rows = conn.exec_driver_sql(f"EXPLAIN {compiled}", compiled.params).all()
            plans[name] = [str(r[0]) for r in rows]
    return plans


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def signed_in(podium: Any) -> TestClient:
    """The app in-process, with an admin signed in to the dashboard."""
    create_user(podium.db, "bench@example.com", "admin", PASSWORD, hasher=CHEAP)
    app = create_app(podium, run_relay=False)
    app.state.dashboard.hasher = CHEAP
    client = TestClient(app)
    login = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', login.text)
    assert token
    done = client.post(
        "/login",
        data={"email": "bench@example.com", "password": PASSWORD, "csrf_token": token.group(1)},
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text
    return client


def run_engine(engine: str, args: argparse.Namespace, console: Console) -> dict[str, Any]:
    rng = random.Random(7)
    with fresh_database(engine, args.pg_admin_url) as url:
        podium = bootstrap(Settings(database_url=url))
        try:
            began = time.perf_counter()
            sample = seed(podium.db.engine, args.orders, rng)
            seeded = time.perf_counter() - began
            console.print(f"{engine}: seeded {args.orders:,} orders in {seeded:.1f} s")
            client = signed_in(podium)
            first = client.get("/orders").text
            cursor = re.search(r'href="/orders\?cursor=([^"]+)" rel="next"', first)
            listed = client.get("/returns").text
            returns_cursor = re.search(r'href="/returns\?cursor=([^"]+)" rel="next"', listed)
            pages = {
                "home /": "/",
                "queue /orders": "/orders",
                "queue page 2": f"/orders?cursor={cursor.group(1) if cursor else ''}",
                "queue ?status=on_hold": "/orders?status=on_hold",
                "queue ?q=<e-mail>": f"/orders?q={sample['email']}",
                "queue ?q=<number>": f"/orders?q={sample['number']}",
                "queue ?q=<name>": "/orders?q=quinn",
                "queue ?channel&sort=total": "/orders?channel=amazon&sort=total_desc",
                "queue ?tag=vip": "/orders?tag=vip",
                "order page": f"/orders/{sample['id']}",
                "inventory": "/inventory",
                "inventory/{sku}": "/inventory/SKU-0042",
                "exceptions": "/exceptions",
                "warehouse": "/warehouse?warehouse=EAST",
                "order page with a return": f"/orders/{sample['return_order_id']}",
                "returns /returns": "/returns",
                "returns page 2": "/returns?cursor="
                + (returns_cursor.group(1) if returns_cursor else ""),
                "returns ?status=received": "/returns?status=received",
                "returns ?q=<e-mail>": f"/returns?q={sample['return_email']}",
                "returns ?channel=amazon": "/returns?channel=amazon",
                "returns ?from=<last week>": "/returns?from="
                + (datetime.now(UTC) - timedelta(days=7)).date().isoformat(),
                "return /returns/{id}": f"/returns/{sample['return_id']}",
                "warehouse, all": "/warehouse",
                "queue ?late=1": "/orders?late=1&sort=oldest",
                "channels": "/channels",
                "settings/routing-rules": "/settings/routing-rules",
            }
            results = {}
            for name, path in pages.items():
                timings = []
                for i in range(args.requests + 1):
                    start = time.perf_counter()
                    response = client.get(path)
                    elapsed = (time.perf_counter() - start) * 1000
                    assert response.status_code == 200, (path, response.status_code)
                    if i:  # the first request warms caches and is not counted
                        timings.append(elapsed)
                results[name] = {
                    "path": path,
                    "p50_ms": round(statistics.median(timings), 1),
                    "p95_ms": round(percentile(timings, 95), 1),
                    "max_ms": round(max(timings), 1),
                }
            found: dict[str, Any] = {"seed_seconds": round(seeded, 1), "pages": results}
            if engine == "postgres":
                found["explain"] = explain(
                    podium, sample, unquote(cursor.group(1)) if cursor else None
                )
                for name, plan in found["explain"].items():
                    console.print(f"EXPLAIN {name}: {' / '.join(p.strip() for p in plan[:3])}")
            return found
        finally:
            podium.close()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--engines", default="sqlite,postgres")
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--budget-ms", type=float, default=200.0)
    parser.add_argument("--pg-admin-url", default=DEFAULT_PG_ADMIN_URL)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args()
    console = Console()
    report: dict[str, Any] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "orders": args.orders,
        "requests_per_page": args.requests,
        "budget_ms": args.budget_ms,
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": __import__("os").cpu_count(),
            "commit": subprocess.run(
                ["git", "rev-parse", "--short", "HEAD"],
                capture_output=True,
                text=True,
                cwd=ROOT,
                check=False,
            ).stdout.strip(),
        },
        "engines": {},
    }
    over = 0
    for engine in args.engines.split(","):
        result = run_engine(engine.strip(), args, console)
        report["engines"][engine] = result
        table = Table(title=f"{engine}: {args.orders:,} orders, {args.requests} requests per page")
        for col in ("page", "p50 ms", "p95 ms", "max ms"):
            table.add_column(col, justify="left" if col == "page" else "right")
        for name, r in result["pages"].items():
            flag = "" if r["p95_ms"] <= args.budget_ms else " ✗"
            over += bool(flag)
            table.add_row(name, f"{r['p50_ms']}", f"{r['p95_ms']}{flag}", f"{r['max_ms']}")
        console.print(table)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n")
    console.print(f"Wrote {args.output}")
    if over:
        console.print(f"[red]{over} page(s) over the {args.budget_ms:.0f} ms budget at p95[/red]")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
