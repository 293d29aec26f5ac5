"""``sync_latency.py --scenario crash``: ``kill -9`` of ``podium serve`` under load, then a
restart on the same database. Do the side effects still owed at the kill resume, and how soon?

Orders arrive as in ``load`` (150/s over 50 SKUs) and a webhook subscription to
``order.created`` points at a receiver in this process. ``--kill-after`` seconds (10) into the
load, the server's whole process group gets SIGKILL; it is started again at once on the same
port and database while the load goes on (requests that fail meanwhile were never
acknowledged, so they are not sales), for ``--seconds`` (10) after the restarted server
answers. Side effects outstanding at the kill:

- stock: acknowledged sales (answered before the kill) that a channel ``b``/``c`` had not yet
  seen (commit times and targets as in ``sync_load``);
- webhooks: acknowledged orders whose ``order.created`` delivery had not yet arrived.

Measured from the restarted server answering ``/api/v1/health``: when the first and the last of
them arrived (``resume.first_seconds``, ``resume.all_seconds``). Lost: an acknowledged sale that
never reached the channels, or an acknowledged order whose webhook never came. Deliveries are at
least once: duplicates are allowed and counted. Target: every outstanding side effect within
5 s of the restart, nothing lost, final counts exact.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from typing import Any

import httpx
import sqlalchemy as sa
from sync_common import SECRET, compare, database, ok, seed, wait_until
from sync_load import (
    arrivals_of,
    platform_figures,
    published_view,
    sales_of,
    seen_at,
    shows_all,
    spread,
    start_shops,
    with_commits,
)
from sync_procs import Backlog, LoadGen, Serve, cpu_snapshot, cpu_used, database_name

from fakes.channels.base import FakeServer, Reply
from fakes.channels.shopify import FakeShopify
from podium.db.engine import normalise_url


class HookReceiver(FakeServer):
    """Takes every webhook delivery (200) and notes when, which event, which order."""

    def __init__(self) -> None:
        super().__init__()
        self.deliveries: list[tuple[float, str, str | None]] = []  # (at, event id, order id)

    def route(
        self,
        method: str,
        path: str,
        query: dict[str, list[str]],
        headers: dict[str, str],
        body: bytes,
    ) -> Reply:
        at = time.monotonic()
        order_id = (json.loads(body).get("data") or {}).get("id")
        with self.lock:
            self.deliveries.append((at, headers.get("podium-event-id", ""), order_id))
        return Reply(200, {"ok": True})

    def first_arrivals(self) -> dict[str, float]:
        """Order id -> when its first delivery arrived."""
        out: dict[str, float] = {}
        for at, _, order in self.deliveries:
            if order is not None and order not in out:
                out[order] = at
        return out


def _events_queued(url: str) -> int:
    engine = sa.create_engine(normalise_url(url), poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            return int(
                conn.execute(
                    sa.text("SELECT count(*) FROM outbox WHERE event_type = 'order.created'")
                ).scalar_one()
            )
    finally:
        engine.dispose()


def run(p: argparse.Namespace) -> dict[str, Any]:
    skus = [f"SKU-{i:03d}" for i in range(p.skus)]
    shops = start_shops(p.shopify_restore)
    hooks = HookReceiver().start()
    try:
        with database(p.engine) as url:
            server = Serve(url, p.workers, {"PODIUM_WEBHOOKS_ALLOW_PRIVATE": "1"})
            try:
                server.start()
                return _measure(p, server, url, shops, hooks, skus)
            finally:
                server.stop()
    finally:
        hooks.stop()
        for s in shops.values():
            s.stop()


def _measure(
    p: argparse.Namespace,
    server: Serve,
    url: str,
    shops: dict[str, FakeShopify],
    hooks: HookReceiver,
    skus: list[str],
) -> dict[str, Any]:
    api = httpx.Client(
        base_url=f"{server.base}/api/v1",
        headers={"Authorization": f"Bearer {server.key}"},
        timeout=60,
    )
    print(f"Seeding {len(skus)} SKUs × {p.stock} units, a webhook subscription…")
    seed(api, shops, skus, p.stock)
    ok(api.post("/webhooks", json={"url": f"{hooks.url}/hooks", "event_types": ["order.created"]}))
    if not wait_until(lambda: all(len(s.levels) == len(skus) for s in shops.values()), 60):
        raise SystemExit("initial stock push did not complete")
    marks = {c: len(s.received) for c, s in shops.items()}
    requests = {c: s.requests for c, s in shops.items()}
    count = int(p.rate * (p.kill_after + 600))  # until told to stop, p.seconds after the restart
    plan = {
        "url": f"{server.base}/api/v1",
        "secret": SECRET,
        "skus": skus,
        "count": count,
        "rate": p.rate,
        "concurrency": p.concurrency,
        "intake": p.intake,
        "key": server.key,
        "timeout": 10.0,
    }
    db_name = database_name(url)
    gen = LoadGen(plan)
    backlog = Backlog(url)
    try:
        backlog.start()
        cpu0 = cpu_snapshot(server.session, db_name)
        print(f"Sending sales at {p.rate:g}/s; kill -9 after {p.kill_after:g} s…")
        gen.go()
        time.sleep(max(0.0, cpu0["wall"] + p.kill_after - time.monotonic()))
        cpu_kill = cpu_snapshot(server.session, db_name)
        killed_at = time.monotonic()
        server.kill()
        print("Killed; restarting…")
        server.start()
        cpu_restart = cpu_snapshot(server.session, db_name)
        print(f"Back after {server.ready_at - killed_at:.1f} s; {p.seconds:g} s more load…")
        time.sleep(p.seconds)
        gen.stop_sending()
        out = gen.result(timeout=600)
    finally:
        gen.stop()
    sales = with_commits(sales_of(out["records"]), url)
    acked = [s for s in sales if s.acknowledged]
    last_answer = max((s.answered for s in sales), default=time.monotonic())
    view = published_view(api, skus)
    queued = _events_queued(url)

    def done() -> bool:
        received = {e for _, e, _ in hooks.deliveries}
        return len(received) >= queued and shows_all(shops, view)

    print(f"Load done; waiting up to {p.settle_timeout:g} s for every side effect…")
    settled = wait_until(done, p.settle_timeout)
    settled_at = time.monotonic()
    cpu_end = cpu_snapshot(server.session, db_name)
    backlog.stop()
    final = compare(api, shops, skus)
    seen = seen_at(sales, arrivals_of(shops, marks), p.stock)
    hook_at = hooks.first_arrivals()
    before = [s for s in acked if s.answered < killed_at]
    ready = server.ready_at
    stock_owed = [s for s in before if (t := seen[s.n]) is None or t > killed_at]
    hooks_owed = [
        s for s in before if (t := hook_at.get(s.order_id or "")) is None or t > killed_at
    ]
    owed_times = [seen[s.n] for s in stock_owed] + [
        hook_at.get(s.order_id or "") for s in hooks_owed
    ]
    resumed = [max(0.0, t - ready) for t in owed_times if t is not None]
    per_event: dict[str, int] = defaultdict(int)
    for _, event, _ in hooks.deliveries:
        per_event[event] += 1
    acked_ids = {s.order_id for s in acked}

    def resume(times: list[float | None]) -> dict[str, Any]:
        got = [max(0.0, t - ready) for t in times if t is not None]
        return {
            "first_seconds": round(min(got), 2) if got else None,
            "all_seconds": round(max(got), 2) if got and len(got) == len(times) else None,
        }

    return {
        "scenario": "crash",
        "engine": p.engine,
        "workers": p.workers,
        "intake": p.intake,
        "skus": len(skus),
        "rate_per_second": p.rate,
        "kill_after_seconds": p.kill_after,
        "sales_planned": count,
        "sales_sent": len(sales),
        "sales_acknowledged": len(acked),
        "failed_requests": len(sales) - len(acked),
        "retried_requests": sum(1 for r in out["records"] if r[8] > 1),
        "failures_sample": sorted({s.error for s in sales if not s.acknowledged})[:5],
        "orders_committed_unacknowledged": len(set(hook_at) - acked_ids),
        "restart_startup_seconds": round(ready - server.spawned_at, 2),
        "restart_after_kill_seconds": round(ready - killed_at, 2),
        "outstanding_at_kill": {"stock_sales": len(stock_owed), "webhooks": len(hooks_owed)},
        "resume": {
            "first_seconds": round(min(resumed), 2) if resumed else None,
            "all_seconds": round(max(resumed), 2)
            if resumed and len(resumed) == len(owed_times)
            else None,
            "stock": resume([seen[s.n] for s in stock_owed]),
            "webhooks": resume([hook_at.get(s.order_id or "") for s in hooks_owed]),
        },
        "settled": settled,
        "settled_after_restart_seconds": round(settled_at - ready, 2) if settled else None,
        "drain_after_load_seconds": round(settled_at - last_answer, 2) if settled else None,
        "lost": {
            "stock_sales": sum(1 for s in acked if seen[s.n] is None),
            "webhooks": sum(1 for s in acked if s.order_id not in hook_at),
        },
        "duplicate_webhook_deliveries": sum(n - 1 for n in per_event.values()),
        "webhook_deliveries": len(hooks.deliveries),
        "lag_from_commit_before_kill": spread(
            [t - s.commit for s in before if (t := seen[s.n]) is not None]
        ),
        "lag_from_commit_after_restart": spread(
            [t - s.commit for s in acked if s.answered > ready and (t := seen[s.n]) is not None]
        ),
        **platform_figures(shops, marks, requests, len(acked)),
        "final_counts_exact": final["exact"],
        "final_mismatches": final["mismatches"],
        "cpu_before_kill": cpu_used(cpu0, cpu_kill),
        "cpu_after_restart": cpu_used(cpu_restart, cpu_end),
        "loadgen_cores": round(
            float(out["cpu_seconds"]) / max(last_answer - cpu0["wall"], 1e-9), 2
        ),
        "outbox": backlog.summary(cpu0["wall"], last_answer),
    }


def target_met(result: dict[str, Any]) -> bool:
    all_seconds = result["resume"]["all_seconds"]
    outstanding = sum(result["outstanding_at_kill"].values())
    return bool(
        (outstanding == 0 or (all_seconds is not None and all_seconds < 5))
        and result["lost"]["stock_sales"] == 0
        and result["lost"]["webhooks"] == 0
        and result["final_counts_exact"]
    )
