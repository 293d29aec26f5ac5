"""Scale-out, shown (issue 19): several ``podium serve`` processes on their own ports (as if on
separate machines) and ``podium worker`` relays against one PostgreSQL, loaded through every
entry point at once (REST orders, a platform's webhooks, the CLI's CSV import), and the checks
that nothing was oversold, duplicated or handled twice and that the stock doctor is clean.
Used by tests/e2e/test_scale_out.py and benchmarks/scale_out.py."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa

from fakes.channels.shopify import FakeShopify, shopify_webhook
from notify_fakes import Receiver
from support import order_body, seed_http, stop, wait_until_serving

PODIUM = Path(sys.executable).with_name("podium")
SECRET = "scale-out-webhook-secret"
HOT_STOCK = 10  # units of HOT, which one order in seven wants: it runs out (the oversell check)
PLENTY = 100_000


@dataclass
class Cluster:
    database_url: str
    urls: list[str]
    key: str
    logs: Path
    workers: list[subprocess.Popen[str]] = field(default_factory=list)

    def client(self, i: int = 0) -> httpx.Client:
        return httpx.Client(
            base_url=f"{self.urls[i % len(self.urls)]}/api/v1",
            timeout=60,
            headers={"Authorization": f"Bearer {self.key}"},
        )

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "PODIUM_DATABASE_URL": self.database_url, "NO_COLOR": "1"}
        return subprocess.run(
            [str(PODIUM), *args], env=env, capture_output=True, text=True, timeout=120, check=False
        )


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def cluster(database_url: str, logs: Path, *, apis: int, workers: int) -> Iterator[Cluster]:
    """``apis`` × ``podium serve`` (one process each, its own port) and ``workers`` ×
    ``podium worker`` on ``database_url``, all started at once; ``key`` is an admin key."""
    env = {
        **os.environ,
        "PODIUM_DATABASE_URL": database_url,
        "PODIUM_WEBHOOKS_ALLOW_PRIVATE": "1",
        "PODIUM_DB_POOL_SIZE": "8",
        "PODIUM_LOG_LEVEL": "warning",
        "PODIUM_ACCESS_LOG": "0",
        "NO_COLOR": "1",
        "COLUMNS": "240",
    }
    logs.mkdir(parents=True, exist_ok=True)
    procs: list[subprocess.Popen[str]] = []
    with ExitStack() as stack:

        @stack.callback
        def stop_all() -> None:  # all at once: each takes seconds to shut down cleanly
            for proc in procs:
                proc.terminate()
            for proc in procs:
                stop(proc)

        def start(args: list[str], log: Path) -> subprocess.Popen[str]:
            with log.open("w") as out:
                proc = subprocess.Popen(
                    [str(PODIUM), *args], env=env, stdout=out, stderr=subprocess.STDOUT, text=True
                )
            procs.append(proc)
            return proc

        # The schema, the first admin and a key are made here, so every process starts at
        # once (no serve has a first start to make, nor races another to make it).
        key = _first_admin(database_url)
        ports = [_port() for _ in range(apis)]
        urls = [f"http://127.0.0.1:{p}" for p in ports]
        logged = [logs / f"serve-{i}.log" for i in range(apis)]
        serves = [
            start(["serve", "--port", str(p)], log) for p, log in zip(ports, logged, strict=True)
        ]
        found = Cluster(database_url, urls, key, logs)
        found.workers = [start(["worker"], logs / f"worker-{i}.log") for i in range(workers)]
        for i, proc in enumerate(serves):
            wait_until_serving(proc, urls[i], logged[i], what=f"podium serve #{i}")
        yield found


def _first_admin(database_url: str) -> str:
    """Migrate the database, add the dashboard's first admin and return a new admin key."""
    import secrets

    from podium.access import create_key
    from podium.bootstrap import bootstrap
    from podium.config import Settings
    from podium.users import create_user, list_users

    podium = bootstrap(Settings(database_url=database_url))
    try:
        if not list_users(podium.db):
            create_user(podium.db, "admin@example.com", "admin", secrets.token_urlsafe(12))
        return create_key(podium.db, "scale-out", "admin")[1]
    finally:
        podium.close()


def seed(c: Cluster, shop: FakeShopify, receiver: Receiver, skus: int = 8) -> list[str]:
    """The web channel and warehouses, ``skus`` products with plenty of stock plus HOT with
    little, a Shopify channel on ``shop`` listing them all, and a webhook subscription to
    ``receiver`` for every order placed. Returns the plentiful SKUs."""
    names = [f"SKU-{i}" for i in range(skus)]
    with c.client() as api:
        seed_http(api, {**{(s, "EAST"): PLENTY for s in names}, ("HOT", "EAST"): HOT_STOCK})
        settings = {
            "shop_url": shop.url,
            "access_token": shop.token,
            "webhook_secret": SECRET,
            "location_id": "1",
        }
        r = api.post(
            "/channels",
            json={"code": "shop", "name": "Shop", "type": "shopify", "settings": settings},
        )
        assert r.status_code == 201, r.text
        for i, sku in enumerate([*names, "HOT"]):
            r = api.put(f"/channels/shop/listings/{sku}", json={"remote_id": str(1000 + i)})
            assert r.status_code == 200, r.text
        r = api.post("/webhooks", json={"url": receiver.url, "event_types": ["order.created"]})
        assert r.status_code == 201, r.text
    return names


def _shopify_order(n: int, sku: str) -> dict[str, Any]:
    return {
        "id": 7_000_000_000_000_000_000 + n,
        "name": f"#{n}",
        "email": "scale@example.com",
        "currency": "USD",
        "updated_at": "2026-11-20T10:00:00Z",
        "financial_status": "paid",
        "total_price": "10.00",
        "shipping_address": {"country_code": "US", "zip": "98101", "city": "Seattle"},
        "line_items": [
            {"id": n, "variant_id": n, "sku": sku, "name": sku, "quantity": 1, "price": "10.00"}
        ],
    }


@dataclass
class Load:
    sent: Counter[str] = field(default_factory=Counter)  # requests by entry point
    statuses: Counter[str] = field(default_factory=Counter)  # "<entry> <status>"
    external_ids: set[str] = field(default_factory=set)  # every order meant to exist
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)


def load(
    c: Cluster, skus: list[str], *, orders: int, threads: int = 8, csv_orders: int = 20
) -> Load:
    """Send ``orders`` orders, half over REST and half as Shopify webhooks, spread over every
    API process by ``threads`` clients; every fifth one is sent again to another process (a
    retry, a redelivery). Every fourth (a REST order) wants HOT, which runs out. Meanwhile the
    CLI imports a CSV of ``csv_orders`` orders. Returns what was sent and answered."""
    result = Load()
    lock = threading.Lock()
    work = list(range(orders))

    def send(t: int) -> None:
        clients = [c.client(i) for i in range(len(c.urls))]
        try:
            for n in work[t::threads]:
                sku = "HOT" if n % 4 == 0 else skus[n % len(skus)]
                tries = (n % len(clients), (n + 1) % len(clients))[: 2 if n % 5 == 0 else 1]
                for attempt in tries:
                    client = clients[attempt]
                    if n % 2 == 0:
                        entry, external = "rest", f"rest-{n}"
                        r = client.post(
                            "/orders", json=order_body([(sku, 1)], external_id=external)
                        )
                    else:
                        entry, external = "webhook", str(7_000_000_000_000_000_000 + n)
                        body, headers = shopify_webhook(
                            "orders/create", _shopify_order(n, sku), SECRET, f"delivery-{n}"
                        )
                        r = client.post("/channels/shop/webhooks", content=body, headers=headers)
                    with lock:
                        result.sent[entry] += 1
                        result.statuses[f"{entry} {r.status_code}"] += 1
                        result.external_ids.add(external)
                        if r.status_code >= 500:
                            result.errors.append(f"{entry} {r.status_code}: {r.text[:200]}")
        finally:
            for client in clients:
                client.close()

    csv_path = c.logs / "orders.csv"
    rows = ["order_id,email,currency,sku,quantity,unit_price,zip,country"]
    rows += [
        f"CSV-{i},csv@example.com,USD,{skus[i % len(skus)]},1,9.00,98101,US"
        for i in range(csv_orders)
    ]
    csv_path.write_text("\n".join(rows) + "\n")
    started = time.monotonic()
    pool = [threading.Thread(target=send, args=(t,)) for t in range(threads)]
    for t in pool:
        t.start()
    imported = c.cli("import", "orders", str(csv_path), "--channel", "web")
    for t in pool:
        t.join(600)
    result.seconds = time.monotonic() - started
    result.sent["cli"] = csv_orders
    result.statuses[f"cli exit {imported.returncode}"] += 1
    if imported.returncode != 0:
        result.errors.append(f"import: {imported.stdout[-500:]} {imported.stderr[-500:]}")
    result.external_ids |= {f"CSV-{i}" for i in range(csv_orders)}
    return result


def settle(c: Cluster, receiver: Receiver, seconds: float = 60) -> dict[str, int]:
    """Wait until the outbox has nothing pending and every order.created webhook arrived."""
    deadline = time.monotonic() + seconds
    counts: dict[str, int] = {}
    with c.client() as api:
        while time.monotonic() < deadline:
            counts = api.get("/events", params={"limit": 1}).json()["counts"]
            if counts.get("pending", 0) == 0 and len(receiver.requests) >= _created(c):
                break
            time.sleep(0.2)
    return counts


def _engine(c: Cluster) -> sa.Engine:
    from podium.db.engine import normalise_url

    return sa.create_engine(normalise_url(c.database_url))


def _created(c: Cluster) -> int:
    engine = _engine(c)
    try:
        with engine.connect() as conn:
            query = "SELECT count(*) FROM outbox WHERE event_type = 'order.created'"
            return int(conn.execute(sa.text(query)).scalar_one())
    finally:
        engine.dispose()


@dataclass
class Proof:
    orders: int
    duplicate_orders: int
    hot_sold: int
    hot_on_hand: int
    hot_reserved: int
    events: dict[str, int]
    order_events: int
    webhooks_received: int
    webhook_repeats: int
    doctor_ok: bool
    doctor_output: str


def prove(c: Cluster, receiver: Receiver, counts: dict[str, int]) -> Proof:
    """What the database, the webhook receiver and the stock doctor say after the load."""
    engine = _engine(c)
    try:
        with engine.connect() as conn:
            orders = int(conn.execute(sa.text("SELECT count(*) FROM orders")).scalar_one())
            dupes = conn.execute(
                sa.text(
                    "SELECT count(*) FROM (SELECT channel, external_id FROM orders "
                    "WHERE external_id IS NOT NULL GROUP BY channel, external_id "
                    "HAVING count(*) > 1) d"
                )
            ).scalar_one()
            # Podium's own orders must find stock (a platform's were sold already and wait
            # as backorders): what it accepted for HOT, and what is reserved.
            hot_sold = conn.execute(
                sa.text(
                    "SELECT coalesce(sum(quantity), 0) FROM order_lines l JOIN orders o "
                    "ON o.id = l.order_id WHERE l.sku = 'HOT' AND o.channel = 'web'"
                )
            ).scalar_one()
            on_hand, reserved = conn.execute(
                sa.text(
                    "SELECT coalesce(sum(on_hand), 0), coalesce(sum(reserved), 0) "
                    "FROM stock_levels WHERE sku = 'HOT'"
                )
            ).one()
            order_events = int(
                conn.execute(
                    sa.text("SELECT count(*) FROM outbox WHERE event_type = 'order.created'")
                ).scalar_one()
            )
    finally:
        engine.dispose()
    ids = Counter(r.headers.get("Podium-Event-Id") for r in receiver.requests)
    # The doctor over HTTP (what `podium doctor` runs, without a second of CLI start-up).
    with c.client(len(c.urls) - 1) as api:
        doctor = api.get("/doctor").json()
    return Proof(
        orders=orders,
        duplicate_orders=int(dupes),
        hot_sold=int(hot_sold),
        hot_on_hand=int(on_hand),
        hot_reserved=int(reserved),
        events=counts,
        order_events=order_events,
        webhooks_received=len(receiver.requests),
        webhook_repeats=sum(n - 1 for n in ids.values() if n > 1),
        doctor_ok=doctor["ok"] is True,
        doctor_output=str(doctor)[:2000],
    )
