"""Flash-sale benchmark: thousands of buyers at one SKU over HTTP, hot path beside naive path.

For each path (``hot``: group commit + waiting room, as shipped; ``naive``: both switched off
with PODIUM_GROUP_COMMIT=off and PODIUM_WAITING_ROOM=off) on a fresh PostgreSQL database: a
real ``podium serve`` (``benchmarks/intake.py``'s machinery), one SKU with ``--units`` units,
``--buyers`` single-unit orders from ``--clients`` concurrent HTTP clients. Afterwards: exactly
``--units`` orders must exist, nothing oversold (reserved == units, available 0) and the stock
doctor must say ok. Reported: orders/s until sold out, refusals/s after, latencies.

Beside them, the limit: a bare ``pgbench`` of the same row-locked SQL (lock the row, reserve
one unit, write a ledger row, commit) on the same SKU row. And ``--mixed``: normal traffic on
``--skus`` other SKUs alone, then the same traffic during the flash sale, to show the normal
orders' p99 is unaffected.

    PYTHONPATH=src .venv/bin/python benchmarks/flash_sale.py                 # 10,000 / 50,000
    PYTHONPATH=src .venv/bin/python benchmarks/flash_sale.py --units 2000 --buyers 10000

Results: a summary on the terminal and ``benchmarks/results/flash_sale.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from intake import (  # benchmarks/intake.py, beside this file
    API,
    DEFAULT_PG_ADMIN_URL,
    ROOT,
    Server,
    analyze,
    count_orders,
    fresh_database,
    machine,
    seed,
)

DEFAULT_OUTPUT = ROOT / "benchmarks" / "results" / "flash_sale.json"
FLASH = "FLASH-1"


def _order(sku: str, n: int, tag: str, quantity: int = 1) -> dict[str, Any]:
    return {
        "channel": "web",
        "external_id": f"{tag}-{n}",
        "currency": "USD",
        "customer": {"email": "buyer@example.com", "name": "Buyer"},
        "shipping_address": {
            "line1": "1 Main St",
            "city": "Chicago",
            "region": "IL",
            "postal_code": "60601",
            "country": "US",
        },
        "lines": [{"sku": sku, "quantity": quantity, "unit_price": "49.99"}],
    }


def _pct(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))] * 1000


@dataclass
class Load:
    """What one stream of requests saw."""

    sent: int = 0
    resent: int = 0
    replayed: int = 0
    created: int = 0
    refused: int = 0
    other: dict[str, int] = field(default_factory=dict)
    created_lat: list[float] = field(default_factory=list)
    refused_lat: list[float] = field(default_factory=list)
    refused_at: list[float] = field(default_factory=list)
    last_created_at: float = 0.0
    started: float = 0.0
    ended: float = 0.0

    def summary(self) -> dict[str, Any]:
        sold_in = max(self.last_created_at - self.started, 1e-9)
        after = max(self.ended - self.last_created_at, 1e-9)
        late = [
            lat
            for at, lat in zip(self.refused_at, self.refused_lat, strict=True)
            if at > self.last_created_at
        ]
        return {
            "sent": self.sent,
            "resent_after_transport_error": self.resent,
            "replayed_200": self.replayed,
            "created": self.created,
            "refused_409": self.refused,
            "other": self.other,
            "seconds": round(self.ended - self.started, 2),
            "orders_per_s": round(self.created / sold_in, 1),
            "refused_after_sold_out": len(late),
            "refusals_per_s_after_sold_out": round(len(late) / after, 1),
            "refused_after_sold_out_p50_ms": round(_pct(late, 50), 2),
            "refused_after_sold_out_p99_ms": round(_pct(late, 99), 2),
            "created_p50_ms": round(_pct(self.created_lat, 50), 1),
            "created_p99_ms": round(_pct(self.created_lat, 99), 1),
            "refused_p50_ms": round(_pct(self.refused_lat, 50), 2),
            "refused_p99_ms": round(_pct(self.refused_lat, 99), 2),
        }


async def _drive(
    base: str, key: str, bodies: list[dict[str, Any]], clients: int, load: Load
) -> None:
    headers = {"Authorization": f"Bearer {key}"}
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    queue = iter(bodies)
    async with httpx.AsyncClient(
        base_url=base + API, headers=headers, limits=limits, timeout=60.0
    ) as c:

        async def buyer() -> None:
            for body in queue:
                t0 = time.monotonic()
                for attempt in range(5):  # a keep-alive connection closed under us: resend
                    try:
                        r = await c.post("/orders", json=body)
                        break
                    except httpx.TransportError:
                        if attempt == 4:
                            raise
                        load.resent += 1
                dt = time.monotonic() - t0
                load.sent += 1
                if r.status_code == 200:  # a resent order placed the first time (idempotent)
                    load.replayed += 1
                if r.status_code in (200, 201):
                    load.created += 1
                    load.created_lat.append(dt)
                    load.last_created_at = time.monotonic()
                elif r.status_code == 409:
                    load.refused += 1
                    load.refused_lat.append(dt)
                    load.refused_at.append(t0)
                else:
                    code = f"{r.status_code} {r.text[:120]}"
                    load.other[code] = load.other.get(code, 0) + 1

        load.started = time.monotonic()
        await asyncio.gather(*(buyer() for _ in range(clients)))
        load.ended = time.monotonic()


def _stock(base: str, key: str) -> dict[str, Any]:
    h = {"Authorization": f"Bearer {key}"}
    stock = httpx.get(f"{base}{API}/inventory/{FLASH}", headers=h, timeout=60).json()
    doctor = httpx.get(f"{base}{API}/doctor", headers=h, timeout=120).json()
    return {
        "on_hand": stock["on_hand"],
        "reserved": stock["reserved"],
        "available": stock["available"],
        "doctor_ok": doctor["ok"],
    }


def _prepare(url: str, workers: int, skus: int, units: int) -> tuple[Server, str]:
    server = Server(url, workers)
    key = server.start()
    seed(server.base, key, SimpleNamespace(skus=skus, warehouses=1))  # type: ignore[arg-type]
    h = {"Authorization": f"Bearer {key}"}
    for path, body in (
        ("/products", {"sku": FLASH, "name": "The launch", "weight_grams": 300}),
        (
            "/inventory/adjustments",
            {"sku": FLASH, "warehouse": "EAST", "quantity": units, "reason": "receipt"},
        ),
    ):
        r = httpx.post(f"{server.base}{API}{path}", json=body, headers=h, timeout=60)
        r.raise_for_status()
    analyze(url)
    return server, key


def flash_run(path: str, a: argparse.Namespace) -> dict[str, Any]:
    os.environ["PODIUM_GROUP_COMMIT"] = "on" if path == "hot" else "off"
    os.environ["PODIUM_WAITING_ROOM"] = "on" if path == "hot" else "off"
    print(f"--- {path} path: {a.units} units, {a.buyers} buyers, {a.clients} clients", flush=True)
    with fresh_database("postgres", a.pg_admin_url) as url:
        server, key = _prepare(url, a.workers, a.skus if a.mixed else 1, a.units)
        try:
            result: dict[str, Any] = {"path": path}
            if a.mixed:
                normal = [_order(f"SKU-{i % a.skus + 1:04d}", i, "n0") for i in range(a.normal)]
                alone = Load()
                asyncio.run(_drive(server.base, key, normal, a.normal_clients, alone))
                result["normal_alone"] = alone.summary()
            flash = Load()
            bodies = [_order(FLASH, i, "flash") for i in range(a.buyers)]
            if a.mixed:
                beside = Load()
                normal = [_order(f"SKU-{i % a.skus + 1:04d}", i, "n1") for i in range(a.normal)]

                async def both() -> None:
                    await asyncio.gather(
                        _drive(server.base, key, bodies, a.clients, flash),
                        _drive(server.base, key, normal, a.normal_clients, beside),
                    )

                asyncio.run(both())
                result["normal_during_flash"] = beside.summary()
            else:
                asyncio.run(_drive(server.base, key, bodies, a.clients, flash))
            result["flash"] = flash.summary()
            result["stock"] = _stock(server.base, key)
        finally:
            server.stop()
        result["orders_in_database"] = count_orders(url)
        expected = a.units + (2 * a.normal if a.mixed else 0)
        result["exact"] = (
            result["flash"]["created"] == a.units
            and result["stock"]["reserved"] == a.units
            and result["stock"]["available"] == 0
            and result["orders_in_database"] == expected
            and result["stock"]["doctor_ok"]
        )
    print(json.dumps(result, indent=1), flush=True)
    return result


PGBENCH_SQL = f"""
BEGIN;
SELECT on_hand, reserved FROM stock_levels WHERE sku = '{FLASH}' AND warehouse = 'EAST' FOR UPDATE;
UPDATE stock_levels SET reserved = reserved + 1, updated_at = now()
 WHERE sku = '{FLASH}' AND warehouse = 'EAST' AND on_hand - reserved - safety_stock >= 1;
INSERT INTO stock_movements (at, sku, warehouse, kind, on_hand_delta, reserved_delta, reason,
  reference, actor) VALUES (now(), '{FLASH}', 'EAST', 'reservation', 0, 1, 'order', 'bench',
  'bench');
COMMIT;
"""


def pgbench_run(a: argparse.Namespace) -> dict[str, Any]:
    """The same row-locked reservation SQL, bare, from pgbench: the database's own limit."""
    print("--- pgbench of the reservation SQL on one row", flush=True)
    with fresh_database("postgres", a.pg_admin_url) as url:
        server, _ = _prepare(url, 1, 1, 1_000_000)
        server.stop()
        with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as f:
            f.write(PGBENCH_SQL.replace("\n ", " ").replace(",\n", ", "))
        out = subprocess.run(
            [
                *("pgbench", "-n", "-M", "prepared", "-c", str(a.pgbench_clients), "-j", "2"),
                *("-T", str(a.pgbench_seconds), "-f", f.name, url),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        os.unlink(f.name)
    tps = next(
        (float(ln.split("=")[1].split()[0]) for ln in out.stdout.splitlines() if "tps" in ln),
        0.0,
    )
    result = {"clients": a.pgbench_clients, "seconds": a.pgbench_seconds, "tps": tps}
    if not tps:
        result["error"] = (out.stderr or out.stdout)[-500:]
    print(json.dumps(result), flush=True)
    return result


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--units", type=int, default=10_000)
    p.add_argument("--buyers", type=int, default=50_000)
    p.add_argument("--clients", type=int, default=64)
    p.add_argument("--workers", type=int, default=2, help="API processes (default 2)")
    p.add_argument("--paths", default="naive,hot", help="naive,hot (default both)")
    p.add_argument("--mixed", action="store_true", help="normal traffic beside the flash sale")
    p.add_argument("--skus", type=int, default=500, help="other SKUs (--mixed)")
    p.add_argument("--normal", type=int, default=3000, help="normal orders per phase (--mixed)")
    p.add_argument("--normal-clients", type=int, default=8)
    p.add_argument("--pgbench-clients", type=int, default=8)
    p.add_argument("--pgbench-seconds", type=int, default=10, help="0 skips pgbench")
    p.add_argument("--pg-admin-url", default=DEFAULT_PG_ADMIN_URL)
    p.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    a = p.parse_args(argv)
    load_before = os.getloadavg()
    runs = [flash_run(path.strip(), a) for path in a.paths.split(",") if path.strip()]
    bench = pgbench_run(a) if a.pgbench_seconds > 0 else None
    rates = {r["path"]: r["flash"]["orders_per_s"] for r in runs}
    summary = {
        "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "params": {k: str(v) if isinstance(v, Path) else v for k, v in vars(a).items()},
        "machine": machine(),
        "load_average_before": load_before,
        "load_average_after": os.getloadavg(),
        "runs": runs,
        "pgbench": bench,
        "speedup_hot_over_naive": round(rates["hot"] / rates["naive"], 2)
        if rates.get("naive") and rates.get("hot")
        else None,
        "all_exact": all(r["exact"] for r in runs),
    }
    a.output.parent.mkdir(parents=True, exist_ok=True)
    a.output.write_text(json.dumps(summary, indent=2) + "\n")
    print(
        f"orders/s: {rates}; pgbench tps: {bench and bench['tps']}; "
        f"speed-up {summary['speedup_hot_over_naive']}; exact: {summary['all_exact']}; "
        f"load {load_before} -> {summary['load_average_after']}"
    )
    return 0 if summary["all_exact"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
