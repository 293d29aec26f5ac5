"""``sync_latency.py --scenario load|flash``: stock sync while orders pour in.

``load``: 50 SKUs listed on three fake Shopify shops, one-unit orders (round-robin over the
SKUs) sent as signed ``orders/create`` webhooks to channel ``a`` at an open-loop ``--rate``
(200/s) for ``--seconds`` (30) by a separate process, against ``podium serve --workers 2`` on
PostgreSQL. ``flash``: one SKU, ``--stock`` (3,000) units, as many one-unit orders: it sells out.

When a sale committed. The order, its stock reservation and its ``order.created`` outbox row
are one transaction, and the outbox row's ``created_at`` is taken just before the commit, so it
stands for the commit (wall clock, turned into ``time.monotonic()`` with the offset between the
two clocks read here). An acknowledged sale without such a row (none expected) falls back to
its response's arrival, which is later than the commit.

What a sale leaves. Sales of one SKU reserve the same stock row, so they commit one after the
other, in the order of their commit times (which need not be the order they were sent in).
Sale *i*, the ``k_i``-th acknowledged sale of its SKU to commit, leaves ``stock - k_i``; its
target on a channel is the count published for that (channel ``c`` keeps a buffer of 2). The
channel has seen the sale once its fake platform accepted a count at or below the target after
the sale was sent (a later, lower count answers it too: coalescing may skip values, never
sales).

Lag (the figure the promise is about) is from the commit to the moment every *other* channel
(``b``, ``c``) has seen the sale. The lag from the response and from sending are kept for
reference, and so is the time from the commit to the response (the rest of the intake request).
"""

from __future__ import annotations

import argparse
import statistics
import time
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import httpx
import sqlalchemy as sa
from sync_common import BUFFERS, SECRET, compare, database, ok, seed, wait_until
from sync_procs import Backlog, LoadGen, Serve, cpu_snapshot, cpu_used, database_name

from fakes.channels.shopify import FakeShopify
from podium.db.engine import normalise_url
from podium.inventory.availability import Availability, published_quantity

OTHERS = ("b", "c")
Arrivals = dict[tuple[str, str], tuple[list[float], list[int]]]


def item_key(i: int) -> str:
    """How the fake shop names the level of the i-th SKU (remote id 1000 + i, location 1)."""
    return f"gid://shopify/InventoryItem/{1000 + i}@gid://shopify/Location/1"


@dataclass(frozen=True, slots=True)
class Sale:
    n: int
    sku: int  # index into the SKU list
    scheduled: float
    sent: float
    answered: float
    acknowledged: bool  # 200 and ``created``: the order exists and the client knows it
    order_id: str | None
    error: str
    commit: float = 0.0  # when the order committed (monotonic); 0: not known


def sales_of(records: Sequence[Sequence[Any]]) -> list[Sale]:
    out = [
        Sale(
            int(r[0]),
            int(r[1]),
            float(r[2]),
            float(r[3]),
            float(r[4]),
            r[5] in (200, 201) and r[6] == "created",
            r[7],
            "" if r[5] in (200, 201) and r[6] == "created" else f"{r[5]} {r[6]}"[:200],
        )
        for r in records
    ]
    return sorted(out, key=lambda s: s.n)


def arrivals_of(shops: dict[str, FakeShopify], marks: dict[str, int]) -> Arrivals:
    out: dict[tuple[str, str], tuple[list[float], list[int]]] = defaultdict(lambda: ([], []))
    for code, shop in shops.items():
        for rec in shop.received[marks[code] :]:
            times, counts = out[(code, rec.key)]
            times.append(rec.at)
            counts.append(rec.quantity)
    return dict(out)


def first_at_or_below(
    arrivals: Arrivals, code: str, key: str, value: int, since: float
) -> float | None:
    times, counts = arrivals.get((code, key), ([], []))
    for j in range(bisect_left(times, since), len(times)):
        if counts[j] <= value:
            return times[j]
    return None


def sold_so_far(sales: Sequence[Sale]) -> dict[int, int]:
    """Per acknowledged sale (by number): k, the sales of its SKU committed at or before it."""
    committed: dict[int, list[float]] = defaultdict(list)
    for s in sales:
        if s.acknowledged:
            committed[s.sku].append(s.commit)
    for times in committed.values():
        times.sort()
    return {s.n: bisect_right(committed[s.sku], s.commit) for s in sales if s.acknowledged}


def with_commits(sales: Sequence[Sale], url: str) -> list[Sale]:
    """The sales with their commit times, from the ``order.created`` outbox rows."""
    engine = sa.create_engine(normalise_url(url), poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                sa.text(
                    "SELECT aggregate_id, created_at FROM outbox WHERE event_type = 'order.created'"
                )
            ).all()
    finally:
        engine.dispose()
    offset = time.time() - time.monotonic()  # wall clock minus monotonic clock, now
    stamps: dict[str, float] = {}
    for order_id, created in rows:
        if isinstance(created, str):
            created = datetime.fromisoformat(created)
        if created.tzinfo is None:
            created = created.replace(tzinfo=UTC)
        stamps[str(order_id)] = created.timestamp() - offset
    return [
        replace(s, commit=stamps.get(s.order_id or "", s.answered)) if s.acknowledged else s
        for s in sales
    ]


def seen_at(
    sales: Sequence[Sale], arrivals: Arrivals, stock: int, channels: Sequence[str] = OTHERS
) -> dict[int, float | None]:
    """Per acknowledged sale: when the last of ``channels`` had seen it (None: never)."""
    k = sold_so_far(sales)
    out: dict[int, float | None] = {}
    for s in sales:
        if not s.acknowledged:
            continue
        worst: float | None = float("-inf")
        for code in channels:
            target = published_quantity(stock - k[s.n], Availability(buffer=BUFFERS[code]))
            hit = first_at_or_below(arrivals, code, item_key(s.sku), target, s.sent)
            if hit is None:
                worst = None
                break
            worst = max(worst, hit) if worst is not None else None
        out[s.n] = worst
    return out


def spread(values: Sequence[float]) -> dict[str, float | None]:
    """p50/p95/p99/max in ms."""
    if not values:
        return {"p50_ms": None, "p95_ms": None, "p99_ms": None, "max_ms": None}
    ordered = sorted(values)
    q = statistics.quantiles(ordered, n=100) if len(ordered) > 1 else [ordered[0]] * 99
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 1),
        "p95_ms": round(q[94] * 1000, 1),
        "p99_ms": round(q[98] * 1000, 1),
        "max_ms": round(ordered[-1] * 1000, 1),
    }


def published_view(api: httpx.Client, skus: Sequence[str]) -> dict[tuple[str, int], int]:
    """What Podium publishes to each channel for each SKU, (channel, SKU index) -> count."""
    out: dict[tuple[str, int], int] = {}
    for i, sku in enumerate(skus):
        for c in ok(api.get(f"/inventory/{sku}"))["channels"]:
            out[(c["channel"], i)] = int(c["published"])
    return out


def shows_all(shops: dict[str, FakeShopify], view: dict[tuple[str, int], int]) -> bool:
    return all(shops[c].level(str(1000 + i), "1") == v for (c, i), v in view.items())


def reached_at(arrivals: Arrivals, view: dict[tuple[str, int], int], since: float) -> float | None:
    """When every channel had accepted its final count (None: some never did)."""
    last = since
    for (code, i), value in view.items():
        times, counts = arrivals.get((code, item_key(i)), ([], []))
        hit = next((t for t, q in zip(times, counts, strict=True) if q <= value), None)
        if hit is None:
            return None
        last = max(last, hit)
    return last


def platform_figures(
    shops: dict[str, FakeShopify], marks: dict[str, int], requests: dict[str, int], sales: int
) -> dict[str, Any]:
    pushes = sum(len(shops[c].received) - marks[c] for c in OTHERS)
    return {
        "pushes_per_sale": round(pushes / max(sales, 1), 3),
        "platform_requests": {c: s.requests - requests[c] for c, s in shops.items()},
        "throttled_by_platforms": sum(s.throttled for s in shops.values()),
    }


def start_shops(restore: float) -> dict[str, FakeShopify]:
    return {code: FakeShopify(token=f"tok-{code}", restore=restore).start() for code in BUFFERS}


def run(p: argparse.Namespace) -> dict[str, Any]:
    flash = p.scenario == "flash"
    skus = [f"SKU-{i:03d}" for i in range(p.skus)]
    count = p.stock if flash else int(p.rate * p.seconds)
    shops = start_shops(p.shopify_restore)
    try:
        with database(p.engine) as url:
            server = Serve(url, p.workers)
            try:
                server.start()
                return _measure(p, server, url, shops, skus, count, flash)
            finally:
                server.stop()
    finally:
        for s in shops.values():
            s.stop()


def _measure(
    p: argparse.Namespace,
    server: Serve,
    url: str,
    shops: dict[str, FakeShopify],
    skus: list[str],
    count: int,
    flash: bool,
) -> dict[str, Any]:
    api = httpx.Client(
        base_url=f"{server.base}/api/v1",
        headers={"Authorization": f"Bearer {server.key}"},
        timeout=60,
    )
    print(f"Seeding {len(skus)} SKUs × {p.stock} units on {len(shops)} channels…")
    seed(api, shops, skus, p.stock)
    if not wait_until(lambda: all(len(s.levels) == len(skus) for s in shops.values()), 60):
        raise SystemExit("initial stock push did not complete")
    marks = {c: len(s.received) for c, s in shops.items()}
    requests = {c: s.requests for c, s in shops.items()}
    plan = {
        "url": f"{server.base}/api/v1",
        "secret": SECRET,
        "skus": skus,
        "count": count,
        "rate": p.rate,
        "concurrency": p.concurrency,
        "intake": p.intake,
        "key": server.key,
        "deadline": None if flash else p.seconds,
        "retries": 2,  # a connection the server closed: sent again, same delivery id
    }
    gen = LoadGen(plan)
    backlog = Backlog(url)
    try:
        backlog.start()
        cpu0 = cpu_snapshot(server.session, database_name(url))
        print(f"Sending {count} sales at {p.rate:g}/s, {p.concurrency} in flight at most…")
        gen.go()
        out = gen.result(timeout=count / p.rate + 600)
    finally:
        gen.stop()
    cpu1 = cpu_snapshot(server.session, database_name(url))
    sales = with_commits(sales_of(out["records"]), url)
    acked = [s for s in sales if s.acknowledged]
    last_answer = max((s.answered for s in sales), default=cpu1["wall"])
    view = published_view(api, skus)
    print(f"Load done; waiting up to {p.settle_timeout:g} s for every channel to catch up…")
    settled = wait_until(lambda: shows_all(shops, view), p.settle_timeout)
    cpu2 = cpu_snapshot(server.session, database_name(url))
    # The channels can be right while the outbox is still behind (each push tells the stock as
    # it is now, whatever event it serves): how long until every event is delivered?
    emptied = wait_until(backlog.empty, p.outbox_timeout)
    outbox_drained = round(time.monotonic() - last_answer, 1) if emptied else None
    backlog.stop()
    final = compare(api, shops, skus)
    arrivals = arrivals_of(shops, marks)
    seen = seen_at(sales, arrivals, p.stock)
    from_commit = [t - s.commit for s in acked if (t := seen[s.n]) is not None]
    from_response = [max(0.0, t - s.answered) for s in acked if (t := seen[s.n]) is not None]
    from_send = [t - s.sent for s in acked if (t := seen[s.n]) is not None]
    done_at = reached_at(arrivals, view, last_answer)
    first_sent = min((s.sent for s in sales), default=0.0)
    achieved = round(len(acked) / max(last_answer - first_sent, 1e-9), 1)
    result = {
        "scenario": p.scenario,
        "engine": p.engine,
        "workers": p.workers,
        "intake": p.intake,
        "skus": len(skus),
        "stock_per_sku": p.stock,
        "rate_per_second": p.rate,
        "concurrency": p.concurrency,
        "shopify_restore_points_per_second": p.shopify_restore,
        "sales_planned": count,
        "sales_sent": len(sales),
        "sales_acknowledged": len(acked),
        "failed_requests": len(sales) - len(acked),
        "retried_requests": sum(1 for r in out["records"] if r[8] > 1),
        "failures_sample": sorted({s.error for s in sales if not s.acknowledged})[:5],
        "achieved_orders_per_second": achieved,
        "rate_reached": achieved >= 0.9 * p.rate,
        "sends_late_over_50ms": sum(1 for s in sales if s.sent - s.scheduled > 0.05),
        "lag_from_commit": spread(from_commit),
        "lag_from_response": spread(from_response),
        "lag_from_send": spread(from_send),
        "seen_before_response": sum(
            1 for s in acked if (t := seen[s.n]) is not None and t <= s.answered
        ),
        "commit_to_response": spread([s.answered - s.commit for s in acked]),
        "commit_time_from_response": sum(1 for s in acked if s.commit == s.answered),
        "never_seen": sum(1 for s in acked if seen[s.n] is None),
        "webhook_round_trip": spread([s.answered - s.sent for s in acked]),
        "drain_seconds": round(done_at - last_answer, 2) if done_at is not None else None,
        "settled": settled,
        "outbox_drained_after_load_s": outbox_drained,
        **platform_figures(shops, marks, requests, len(acked)),
        "final_counts_exact": final["exact"],
        "final_mismatches": final["mismatches"],
        "cpu_during_load": cpu_used(cpu0, cpu1, float(out["cpu_seconds"])),
        "cpu_during_drain": cpu_used(cpu1, cpu2),
        "outbox": backlog.summary(cpu0["wall"], last_answer),
    }
    if flash:  # from the last sale's commit until every channel shows what is left (0)
        last_commit = max((s.commit for s in acked), default=last_answer)
        result["left_at_the_end"] = sorted(set(view.values()))
        result["sold_out_shown_after_last_sale_s"] = (
            round(done_at - last_commit, 2) if done_at is not None else None
        )
    return result


def target_met(result: dict[str, Any]) -> bool:
    lag = result["lag_from_commit"]
    return bool(
        result["rate_reached"]
        and lag["p99_ms"] is not None
        and lag["p99_ms"] < 1000
        and lag["max_ms"] < 2000
        and result["never_seen"] == 0
        and result["final_counts_exact"]
    )
