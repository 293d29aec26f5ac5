"""Replenishment benchmark: a simulated quarter of Podium's reorder points against a fixed
min/max at the same average stock.

``--skus`` SKUs (default 300) come from the forecast benchmark's demand generator
(``benchmarks/forecast.py``: smooth, seasonal and intermittent families with promotions and
stock-outs): a year of sales history, then ``--days`` (90) simulated days of true demand. Each
SKU has a lead time (3–14 days), a case pack (1, 6 or 12) and an MOQ (1 or 2 packs).

Each day: orders due arrive in the morning, customers ask for the day's demand and take what is
on hand (unmet demand is lost), and in the evening the policy looks at the position (on hand +
on order) and orders when it is below the reorder point (quantities rounded to the MOQ and case
pack with ``order_quantity``, the function Podium's suggestions use).

- **Podium**: every 7 days the SKUs are forecast from their sales so far (stock-out days marked
  as Podium marks them from the ledger, then filled by ``build_series``) with ``run_engine``, and
  ``policy_levels`` turns each forecast into a reorder point and order-up-to (95% cycle service,
  a 7-day review): the code ``GET /api/v1/planning/replenishment`` runs.
- **min/max**: the usual fixed rule, min = mean daily sales of the last 90 days × (lead time +
  c days), max = min + 7 days of sales, for the whole quarter. ``c`` is found by bisection so its
  average stock equals Podium's (the same stock budget); a second search finds the stock min/max
  needs to reach Podium's fill rate.

Fill rate = units sold / units asked for (also averaged per SKU, where the slow movers count as
much as the fast ones); average stock = units on hand at the close, summed over
SKUs and averaged over days. Prints a table and writes ``benchmarks/results/replenishment.json``.

    .venv/bin/python benchmarks/replenishment.py                 # 300 SKUs × 90 days
    .venv/bin/python benchmarks/replenishment.py --skus 50 --output /tmp/r.json
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from forecast import generate
from rich.console import Console
from rich.table import Table

from podium.planning.engine import run_engine
from podium.planning.model import build_series
from podium.planning.replenish_model import Policy, order_quantity, policy_levels

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "benchmarks" / "results" / "replenishment.json"
HISTORY = 365
REVIEW = 7
SERVICE = 0.95
LEVEL = 90
FIRST_DAY = date(2026, 1, 1)  # the first simulated day

Levels = dict[str, tuple[int, int]]  # sku: (reorder point, order-up-to)


@dataclass(slots=True)
class Item:
    sku: str
    lead: int
    pack: int
    moq: int
    sold: list[int]  # daily sales so far (history, then the simulation's)
    out: list[bool]  # stocked out at the close
    demand: np.ndarray  # the quarter's true daily demand


@dataclass(slots=True)
class Outcome:
    asked: int = 0
    sold: int = 0
    stock_days: int = 0  # units on hand at each close, summed
    out_days: int = 0
    orders: int = 0
    per_sku: dict[str, list[int]] = field(default_factory=dict)  # sku: [asked, sold]

    def summary(self, days: int, skus: int) -> dict[str, float]:
        return {
            "fill_rate": round(self.sold / self.asked, 4) if self.asked else 1.0,
            "mean_sku_fill_rate": round(
                float(np.mean([sold / asked for asked, sold in self.per_sku.values() if asked])), 4
            ),
            "average_stock": round(self.stock_days / days, 1),
            "stockout_day_share": round(self.out_days / (days * skus), 4),
            "orders": self.orders,
        }


def make_items(n: int, days: int, seed: int) -> list[Item]:
    rng = np.random.default_rng(seed)
    kinds = ["smooth"] * round(n * 0.4) + ["seasonal"] * round(n * 0.2)
    kinds += ["intermittent"] * (n - len(kinds))
    items = []
    for i, kind in enumerate(kinds):
        demand, in_stock = generate(rng, kind, HISTORY + days)
        sold = np.where(in_stock, demand, 0)[:HISTORY]
        pack = int(rng.choice([1, 6, 12]))
        items.append(
            Item(
                sku=f"SKU-{i:04d}",
                lead=int(rng.choice([3, 5, 7, 10, 14])),
                pack=pack,
                moq=pack * int(rng.integers(1, 3)),
                sold=[int(v) for v in sold],
                out=[not v for v in in_stock[:HISTORY]],
                demand=demand[HISTORY:].astype(int),
            )
        )
    return items


def podium_levels(items: list[Item], day: int) -> Levels:
    """Forecast every SKU from its sales before ``day`` and read its policy levels."""
    first = FIRST_DAY - timedelta(days=HISTORY)
    last = FIRST_DAY + timedelta(days=day - 1)
    rows, outs = [], []
    for it in items:
        for d, units in enumerate(it.sold):
            if units:
                rows.append((it.sku, "EAST", first + timedelta(days=d), units))
        outs += [(it.sku, "EAST", first + timedelta(days=d)) for d, o in enumerate(it.out) if o]
    result = run_engine(build_series(rows, outs, last), 28, LEVEL)
    leads = {it.sku: it.lead for it in items}
    levels = {}
    for r in result.results:
        lead = leads[r.sku]
        daily = [(q, lo, hi) for _, q, lo, hi in r.daily]
        found = policy_levels(daily, LEVEL, Policy(lead, REVIEW, SERVICE))
        levels[r.sku] = (found.reorder_point, found.order_up_to)
    return levels


def min_max_levels(items: list[Item], cover: float) -> Levels:
    levels = {}
    for it in items:
        mean = sum(it.sold[HISTORY - 90 : HISTORY]) / 90
        low = math.ceil(mean * max(0.0, it.lead + cover) - 1e-9)
        levels[it.sku] = (low, low + math.ceil(mean * REVIEW - 1e-9))
    return levels


def simulate(
    start: list[Item], days: int, levels_on: Callable[[int, list[Item]], Levels]
) -> Outcome:
    """One quarter; ``levels_on(day, items)`` is asked on day 0 and then every REVIEW days,
    with the items' sales so far."""
    items = [
        Item(it.sku, it.lead, it.pack, it.moq, list(it.sold), list(it.out), it.demand)
        for it in start
    ]
    outcome = Outcome()
    sold = {it.sku: it.sold for it in items}
    out = {it.sku: it.out for it in items}
    levels = levels_on(0, items)
    on_hand = {it.sku: levels.get(it.sku, (0, 0))[1] for it in items}
    arriving: dict[tuple[str, int], int] = {}
    on_order = dict.fromkeys(on_hand, 0)
    for day in range(days):
        if day and day % REVIEW == 0:
            levels = levels_on(day, items)
        for it in items:
            got = arriving.pop((it.sku, day), 0)
            on_hand[it.sku] += got
            on_order[it.sku] -= got
            asked = int(it.demand[day])
            taken = min(asked, on_hand[it.sku])
            on_hand[it.sku] -= taken
            sold[it.sku].append(taken)
            out[it.sku].append(on_hand[it.sku] == 0)
            outcome.asked += asked
            outcome.sold += taken
            tally = outcome.per_sku.setdefault(it.sku, [0, 0])
            tally[0] += asked
            tally[1] += taken
            outcome.stock_days += on_hand[it.sku]
            outcome.out_days += on_hand[it.sku] == 0
            reorder, up_to = levels.get(it.sku, (0, 0))
            position = on_hand[it.sku] + on_order[it.sku]
            if position < reorder:
                qty = order_quantity(up_to - position, it.moq, it.pack)
                arriving[(it.sku, day + it.lead)] = arriving.get((it.sku, day + it.lead), 0) + qty
                on_order[it.sku] += qty
                outcome.orders += 1
    return outcome


def cover_for(items: list[Item], days: int, target: float, key: str) -> tuple[float, Outcome]:
    """The min/max cover (days beyond the lead time) whose outcome ``key`` meets ``target``."""

    def fixed(cover: float) -> Outcome:
        levels = min_max_levels(items, cover)
        return simulate(items, days, lambda _day, _now: levels)

    low, high = -10.0, 60.0
    best = (high, fixed(high))
    for _ in range(22):
        mid = (low + high) / 2
        got = fixed(mid)
        value = got.stock_days / days if key == "stock" else got.sold / max(1, got.asked)
        if value >= target:
            high, best = mid, (mid, got)
        else:
            low = mid
    return best


def run(n: int, days: int, seed: int) -> dict[str, Any]:
    items = make_items(n, days, seed)
    started = time.perf_counter()
    podium = simulate(items, days, lambda day, now: podium_levels(now, day))
    seconds = time.perf_counter() - started
    same_stock_cover, same_stock = cover_for(items, days, podium.stock_days / days, "stock")
    fill = podium.sold / max(1, podium.asked)
    same_fill_cover, same_fill = cover_for(items, days, fill, "fill")
    return {
        "podium": podium.summary(days, n),
        "min_max_same_stock": {
            **same_stock.summary(days, n),
            "cover_days": round(same_stock_cover, 2),
        },
        "min_max_same_fill": {
            **same_fill.summary(days, n),
            "cover_days": round(same_fill_cover, 2),
        },
        "podium_seconds": round(seconds, 2),
        "stock_min_max_needs_over_podium": round(same_fill.stock_days / podium.stock_days - 1, 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--skus", type=int, default=300)
    parser.add_argument("--days", type=int, default=90, help="Days simulated.")
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args()
    found = run(args.skus, args.days, args.seed)
    out = Console()
    out.print(
        f"{args.skus} SKUs × {args.days} days (Podium's forecasts and levels every {REVIEW} "
        f"days: {found['podium_seconds']} s for the quarter)"
    )
    table = Table(
        "policy", "fill rate", "mean SKU fill rate", "average stock", "stock-out days", "orders"
    )
    for name, label in (
        ("podium", "Podium reorder points"),
        ("min_max_same_stock", "min/max, same stock"),
        ("min_max_same_fill", "min/max, same fill rate"),
    ):
        row = found[name]
        table.add_row(
            label,
            f"{row['fill_rate']:.1%}",
            f"{row['mean_sku_fill_rate']:.1%}",
            f"{row['average_stock']:,.0f}",
            f"{row['stockout_day_share']:.1%}",
            str(row["orders"]),
        )
    out.print(table)
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    found.update(
        parameters={
            "skus": args.skus,
            "days": args.days,
            "history_days": HISTORY,
            "review_days": REVIEW,
            "service_level": SERVICE,
            "seed": args.seed,
        },
        machine={
            "python": sys.version.split()[0],
            "platform": platform.platform(),
            "commit": commit,
        },
        date=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(found, indent=2) + "\n")


if __name__ == "__main__":
    main()
