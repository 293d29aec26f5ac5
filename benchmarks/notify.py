"""Notifications and webhooks: what they cost the outbox relay, and how fast they go out.

For each engine (a temporary SQLite file; PostgreSQL with ``--postgres-url``, in a database of
its own, dropped afterwards) it measures:

1. **relay cost of the webhooks subscriber**: draining N outbox events with no ``webhooks``
   subscriber, with it but no subscriptions (the common case), and with one ``*``
   subscription (which queues N deliveries);
2. **webhook delivery**: the delivery worker POSTing those N deliveries, signed, to a local
   ``http.server`` receiver (deliveries/s, attempt p50/p95);
3. **e-mail**: rendering the shipped e-mail and sending it over SMTP to a local aiosmtpd server
   (e-mails/s).

Prints a table and writes ``benchmarks/results/notify.json``. Loopback only.

    .venv/bin/python benchmarks/notify.py [--events 2000] [--emails 200]
        [--postgres-url postgresql://postgres@127.0.0.1:5432/test] [--output PATH]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from notify_fakes import smtp_server, webhook_receiver  # noqa: E402
from podium.bootstrap import Podium, bootstrap  # noqa: E402
from podium.config import Settings  # noqa: E402
from podium.events._store import emit_records  # noqa: E402
from podium.events.model import DomainEvent  # noqa: E402
from podium.events.relay import Registry, Relay  # noqa: E402
from podium.notify.delivery import Deliverer  # noqa: E402
from podium.notify.fanout import enqueue_deliveries  # noqa: E402
from podium.notify.webhooks import WebhookIn, create_subscription  # noqa: E402

DEFAULT_OUTPUT = ROOT / "benchmarks" / "results" / "notify.json"


@dataclass
class EngineResult:
    engine: str
    events: int
    relay_ms_per_1000_without: float
    relay_ms_per_1000_no_subscriptions: float
    relay_ms_per_1000_one_subscription: float
    deliveries_per_second: float
    attempt_p50_ms: float
    attempt_p95_ms: float
    emails: int
    emails_per_second: float


def _emit(podium: Podium, n: int, tag: str) -> None:
    with podium.db.write() as conn:
        emit_records(
            conn,
            [
                DomainEvent("order", f"ord_{tag}_{i}", "order.created", {"id": f"ord_{tag}_{i}"})
                for i in range(n)
            ],
        )


def _drain_seconds(podium: Podium, registry: Registry, n: int, tag: str) -> float:
    _emit(podium, n, tag)
    if podium.db.is_postgres:
        # A live system has planner statistics; a database made seconds ago has none.
        with podium.db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            c.exec_driver_sql("ANALYZE outbox, webhook_subscriptions, webhook_deliveries")
    relay = Relay(podium.db, registry, podium.settings)
    started = time.perf_counter()
    while relay.run_once():
        pass
    return time.perf_counter() - started


def _registry(podium: Podium, with_webhooks: bool) -> Registry:
    registry = Registry()
    registry.subscribe("event-log", lambda e: None)
    if with_webhooks:
        registry.subscribe_batch("webhooks", enqueue_deliveries(podium.db, lambda: None))
    return registry


def run_engine(engine: str, url: str, events: int, emails: int) -> EngineResult:
    settings = Settings(database_url=url, webhooks_allow_private=True)
    podium = bootstrap(settings)
    try:
        per_1000 = 1000 / events * 1000
        without = _drain_seconds(podium, _registry(podium, False), events, "a") * per_1000
        none = _drain_seconds(podium, _registry(podium, True), events, "b") * per_1000
        with webhook_receiver() as receiver:
            hook = create_subscription(
                podium.db, WebhookIn(url=receiver.url, event_types=["*"]), allow_private=True
            )
            one = _drain_seconds(podium, _registry(podium, True), events, "c") * per_1000
            deliverer = Deliverer(podium.db, settings)
            started = time.perf_counter()
            while deliverer.run_once():
                pass
            elapsed = time.perf_counter() - started
            deliverer.close()
            assert len(receiver.requests) == events, len(receiver.requests)
        with podium.db.read() as conn:
            durations = [
                int(r[0]) for r in conn.execute(sa.text("SELECT duration_ms FROM webhook_attempts"))
            ]
        assert hook.id
        with smtp_server() as (inbox, port):
            mail = replace(settings, smtp_host="127.0.0.1", smtp_port=port)
            emailer = bootstrap(mail, migrate=False)
            try:
                started = time.perf_counter()
                for i in range(emails):
                    emailer.emailer.send_test(f"bench{i}@example.com")
                mail_seconds = time.perf_counter() - started
            finally:
                emailer.close()
            assert len(inbox.messages) == emails
        quantiles = statistics.quantiles(durations, n=20) if len(durations) > 1 else [0.0] * 19
        return EngineResult(
            engine=engine,
            events=events,
            relay_ms_per_1000_without=round(without, 1),
            relay_ms_per_1000_no_subscriptions=round(none, 1),
            relay_ms_per_1000_one_subscription=round(one, 1),
            deliveries_per_second=round(events / elapsed, 1),
            attempt_p50_ms=float(statistics.median(durations)),
            attempt_p95_ms=float(quantiles[18]),
            emails=emails,
            emails_per_second=round(emails / mail_seconds, 1),
        )
    finally:
        podium.close()


def _postgres_database(admin_url: str) -> tuple[str, sa.Engine, str]:
    name = f"podium_bench_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = sa.make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    return url, admin, name


def _machine() -> dict[str, Any]:
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    cpu = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        cpu = next(
            (
                ln.split(":", 1)[1].strip()
                for ln in cpuinfo.read_text().splitlines()
                if ln.startswith("model name")
            ),
            "",
        )
    return {"cpu": cpu, "python": platform.python_version(), "commit": commit}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--emails", type=int, default=200)
    parser.add_argument("--postgres-url", default=None)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args()
    results: list[EngineResult] = []
    with tempfile.TemporaryDirectory() as tmp:
        results.append(run_engine("sqlite", f"sqlite:///{tmp}/bench.db", args.events, args.emails))
    if args.postgres_url:
        url, admin, name = _postgres_database(args.postgres_url)
        try:
            results.append(run_engine("postgres", url, args.events, args.emails))
        finally:
            with admin.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.dispose()
    header = (
        f"{'engine':<9}{'relay ms/1000 ev: plain':>25}{'+webhooks, 0 subs':>19}"
        f"{'1 sub':>9}{'deliveries/s':>14}{'p50 ms':>8}{'p95 ms':>8}{'e-mails/s':>11}"
    )
    print(header)
    for r in results:
        print(
            f"{r.engine:<9}{r.relay_ms_per_1000_without:>25.1f}"
            f"{r.relay_ms_per_1000_no_subscriptions:>19.1f}"
            f"{r.relay_ms_per_1000_one_subscription:>9.1f}{r.deliveries_per_second:>14.1f}"
            f"{r.attempt_p50_ms:>8.1f}{r.attempt_p95_ms:>8.1f}{r.emails_per_second:>11.1f}"
        )
    args.output.parent.mkdir(parents=True, exist_ok=True)
    document = {
        "benchmark": "notify",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": _machine(),
        "parameters": {"events": args.events, "emails": args.emails},
        "results": [asdict(r) for r in results],
    }
    args.output.write_text(json.dumps(document, indent=2) + "\n")
    print(f"written {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
