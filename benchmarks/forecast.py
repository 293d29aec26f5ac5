"""Forecast benchmark: Podium's per-series method choice against seasonal naive on synthetic
daily demand, held-back last 28 days.

The demand generator (seeded, documented, no data set needed) makes ``--series`` SKUs of
``--days`` days of history plus 28 held-back days, in three families:

- **smooth** (40%): a level of 5–60 units a day, weekly seasonality (a weekend lift of up to
  60%), yearly seasonality (a sine of up to ±30% with a random phase), a linear trend of up to
  ±40% a year, Poisson noise, and promotions (3–6 a year, 3–7 days each, ×1.5–3 demand).
- **seasonal** (20%): as smooth with a strong weekly profile (each weekday its own factor,
  0.3–2.0) and a stronger yearly swing (up to ±60%).
- **intermittent** (40%, the long tail): a sale on 2–30% of days, each of 1–6 units, with a
  slow drift of the sale probability.

Every family may run out of stock: 0–3 spells a year of 3–20 days where sales are zero while
demand goes on. Those days are marked, as Podium marks them from the stock ledger, and
:func:`podium.planning.model.build_series` fills them in. The held-back 28 days have no
stock-out and are scored on the true demand.

The forecasts come from :func:`podium.planning.engine.run_engine`, the code a forecast run
uses (rolling-origin backtest of 2 windows × 28 days, choice per series, then the forecast);
its time is the "forecasting" figure (the issue's target: 10,000 series in under 60 s).
Accuracy is utilsforecast's RMSSE and MASE (seasonality 7, scaled on each series' training
days), averaged over series, for the chosen methods and for seasonal naive (the last week
repeated) on the same 28 days. Prints a table and writes ``benchmarks/results/forecast.json``.

    .venv/bin/python benchmarks/forecast.py                  # 10,000 series × 730 days
    .venv/bin/python benchmarks/forecast.py --series 500 --days 365 --output /tmp/f.json
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import random
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from rich.console import Console
from rich.table import Table
from utilsforecast.losses import mase, rmsse

from podium.planning.engine import run_engine
from podium.planning.model import Series, build_series

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "benchmarks" / "results" / "forecast.json"
HOLDOUT = 28
LAST_TRAIN_DAY = date(2026, 6, 30)


def generate(rng: np.random.Generator, kind: str, days: int) -> tuple[np.ndarray, np.ndarray]:
    """(true demand, in stock?) for ``days`` days, the last HOLDOUT of them never out."""
    t = np.arange(days)
    if kind == "intermittent":
        p = rng.uniform(0.02, 0.30) * np.exp(rng.normal(0, 0.3) * t / 365)
        sale = rng.random(days) < np.clip(p, 0, 0.9)
        demand = np.where(sale, rng.integers(1, 7, days), 0).astype(float)
    else:
        level = rng.uniform(5, 60)
        if kind == "seasonal":
            week = rng.uniform(0.3, 2.0, 7)
            yearly = rng.uniform(0, 0.6)
        else:
            week = np.ones(7)
            week[5:] += rng.uniform(0, 0.6)
            yearly = rng.uniform(0, 0.3)
        week = week / week.mean()
        phase = rng.uniform(0, 2 * math.pi)
        trend = 1 + rng.uniform(-0.4, 0.4) * t / 365
        mean = level * week[t % 7] * (1 + yearly * np.sin(2 * math.pi * t / 365 + phase))
        mean = np.clip(mean * trend, 0.1, None)
        for _ in range(int(rng.integers(3, 7) * days / 365)):
            start = int(rng.integers(0, days - HOLDOUT))
            mean[start : start + int(rng.integers(3, 8))] *= rng.uniform(1.5, 3)
        demand = rng.poisson(mean).astype(float)
    in_stock = np.ones(days, dtype=bool)
    for _ in range(int(rng.integers(0, 4) * days / 365)):
        start = int(rng.integers(0, days - HOLDOUT - 20))
        in_stock[start : start + int(rng.integers(3, 21))] = False
    return demand, in_stock


def _families(n: int) -> list[str]:
    smooth, seasonal = round(n * 0.4), round(n * 0.2)
    return (
        ["smooth"] * smooth + ["seasonal"] * seasonal + ["intermittent"] * (n - smooth - seasonal)
    )


def run(n: int, days: int, seed: int) -> dict[str, Any]:
    rng = np.random.default_rng(seed)
    total = days + HOLDOUT
    first = LAST_TRAIN_DAY - timedelta(days=days - 1)
    rows: list[tuple[str, str, date, int]] = []
    outs: list[tuple[str, str, date]] = []
    actual: dict[str, np.ndarray] = {}
    train: dict[str, np.ndarray] = {}
    families = _families(n)
    for i, kind in enumerate(families):
        sku = f"SKU-{i:05d}"
        demand, in_stock = generate(rng, kind, total)
        sold = np.where(in_stock, demand, 0)
        for d in range(days):
            day = first + timedelta(days=d)
            if sold[d]:
                rows.append((sku, "EAST", day, int(sold[d])))
            if not in_stock[d]:
                outs.append((sku, "EAST", day))
        actual[sku] = demand[days:]
        train[sku] = sold[:days]
    series = build_series(rows, outs, LAST_TRAIN_DAY)
    console = Console(stderr=True)
    started = time.perf_counter()
    result = run_engine(
        series,
        HOLDOUT,
        progress=lambda done, all_: console.print(f"  {done}/{all_} series", end="\r"),
    )
    seconds = time.perf_counter() - started
    return _score(series, result.results, actual, train, families, seconds)


def _score(
    series: list[Series],
    results: list[Any],
    actual: dict[str, np.ndarray],
    train: dict[str, np.ndarray],
    families: list[str],
    seconds: float,
) -> dict[str, Any]:
    test_rows, train_rows = [], []
    by_sku = {r.sku: r for r in results}  # the engine answers in its own order
    for s in series:
        r = by_sku[s.sku]
        naive = np.asarray(s.values[-7:] * (HOLDOUT // 7 + 1))[:HOLDOUT]
        days = pd.date_range(LAST_TRAIN_DAY + timedelta(days=1), periods=HOLDOUT)
        chosen = [d[1] for d in r.daily]
        test_rows.append(
            pd.DataFrame(
                {
                    "unique_id": s.sku,
                    "ds": days,
                    "y": actual[s.sku],
                    "chosen": chosen,
                    "seasonal_naive": naive,
                }
            )
        )
        history = pd.date_range(s.start, periods=len(s.values))
        train_rows.append(pd.DataFrame({"unique_id": s.sku, "ds": history, "y": s.values}))
    test, fitted = pd.concat(test_rows), pd.concat(train_rows)
    models = ["chosen", "seasonal_naive"]
    r = rmsse(test, models, seasonality=7, train_df=fitted).set_index("unique_id")
    m = mase(test, models, seasonality=7, train_df=fitted).set_index("unique_id")
    family = {f"SKU-{i:05d}": f for i, f in enumerate(families)}
    table: dict[str, dict[str, float]] = {}
    for name, members in [("all", list(r.index))] + [
        (f, [k for k in r.index if family[k] == f]) for f in ("smooth", "seasonal", "intermittent")
    ]:
        rr = r.loc[members].replace([np.inf, -np.inf], np.nan)
        mm = m.loc[members].replace([np.inf, -np.inf], np.nan)
        table[name] = {
            "series": len(members),
            "rmsse": round(float(rr["chosen"].mean()), 4),
            "naive_rmsse": round(float(rr["seasonal_naive"].mean()), 4),
            "mase": round(float(mm["chosen"].mean()), 4),
            "naive_mase": round(float(mm["seasonal_naive"].mean()), 4),
        }
        table[name]["rmsse_improvement"] = round(
            1 - table[name]["rmsse"] / table[name]["naive_rmsse"], 4
        )
    return {
        "seconds": round(seconds, 2),
        "ms_per_series": round(1000 * seconds / len(series), 2),
        "accuracy": table,
        "methods": dict(Counter(res.method for res in results).most_common()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--series", type=int, default=10_000)
    parser.add_argument("--days", type=int, default=730, help="Days of history per series.")
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args()
    if args.days < 120:
        parser.error("--days must be at least 120")
    random.seed(args.seed)
    found = run(args.series, args.days, args.seed)
    out = Console()
    out.print(
        f"{args.series} series × {args.days} days: {found['seconds']} s forecasting "
        f"({found['ms_per_series']} ms a series, backtest included); methods {found['methods']}"
    )
    table = Table("family", "series", "RMSSE", "naive RMSSE", "Δ RMSSE", "MASE", "naive MASE")
    for name, row in found["accuracy"].items():
        table.add_row(
            name,
            str(row["series"]),
            f"{row['rmsse']:.3f}",
            f"{row['naive_rmsse']:.3f}",
            f"{-row['rmsse_improvement']:+.1%}",
            f"{row['mase']:.3f}",
            f"{row['naive_mase']:.3f}",
        )
    out.print(table)
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    found.update(
        parameters={
            "series": args.series,
            "days": args.days,
            "holdout": HOLDOUT,
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
