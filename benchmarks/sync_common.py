"""What the stock-sync benchmarks share: a database made for the run, the seeding over REST
(a warehouse, three fake Shopify channels, SKUs listed everywhere), signed order webhooks and
the final comparison of each shop's counts with what Podium publishes."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the fake platform servers live with the tests

from fakes.channels.shopify import FakeShopify  # noqa: E402

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"
SECRET = "bench-webhook-secret"
BUFFERS = {"a": 0, "b": 0, "c": 2}
PODIUM = Path(sys.executable).with_name("podium")


def free_port() -> int:
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
    port = free_port()
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


def ok(r: httpx.Response) -> Any:
    if r.status_code >= 300:
        raise SystemExit(f"{r.request.method} {r.request.url}: {r.status_code} {r.text}")
    return r.json()


def seed(api: httpx.Client, shops: dict[str, FakeShopify], skus: list[str], stock: int) -> None:
    ok(
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
        ok(api.post("/channels", json=body))
    for i, sku in enumerate(skus):
        ok(api.post("/products", json={"sku": sku, "name": f"Product {sku}"}))
        ok(
            api.post(
                "/inventory/adjustments",
                json={"sku": sku, "warehouse": "EAST", "quantity": stock, "reason": "receipt"},
            )
        )
        for code in shops:
            ok(api.put(f"/channels/{code}/listings/{sku}", json={"remote_id": str(1000 + i)}))


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


def compare(api: httpx.Client, shops: dict[str, FakeShopify], skus: list[str]) -> dict[str, Any]:
    mismatches = []
    for i, sku in enumerate(skus):
        view = ok(api.get(f"/inventory/{sku}"))
        told = {c["channel"]: c["published"] for c in view["channels"]}
        for code, shop in shops.items():
            shows = shop.level(str(1000 + i), "1")
            if shows != told[code]:
                mismatches.append(
                    {"sku": sku, "channel": code, "podium": told[code], "shows": shows}
                )
    return {"exact": not mismatches, "mismatches": mismatches[:20]}
