"""Demand planning, the pure part: stock-out days from a ledger, series ready for a forecast
(lost sales filled in), forecasts summed over warehouses, and the views. No I/O. The history
file is read in ``history_file.py``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from pydantic import BaseModel, Field

from podium.numbers import JsonInt

__all__ = [
    "BacktestView",
    "DailyForecast",
    "ForecastRunIn",
    "ForecastRunView",
    "ForecastView",
    "Series",
    "build_series",
    "combine_forecasts",
    "stockout_days",
]

Delta = tuple[datetime, str, str, int, int]
"""One ledger movement: (at, sku, warehouse, on-hand delta, reserved delta), oldest first."""


def stockout_days(movements: Iterable[Delta], until: date) -> set[tuple[str, str, date]]:
    """(sku, warehouse, day) where nothing was available at the day's close, from the first
    movement of that SKU × warehouse up to ``until``. Before its first movement a SKU was not
    stocked there at all, which is not a stock-out."""
    balance: dict[tuple[str, str], tuple[int, int]] = {}
    closed: dict[tuple[str, str], date] = {}  # the last day whose close has been judged
    out: set[tuple[str, str, date]] = set()

    def close_through(key: tuple[str, str], last: date) -> None:
        on_hand, reserved = balance[key]
        day = closed[key] + timedelta(days=1)
        if on_hand - reserved <= 0:
            while day <= last:
                out.add((key[0], key[1], day))
                day += timedelta(days=1)
        closed[key] = max(closed[key], last)

    for at, sku, warehouse, on_hand_delta, reserved_delta in movements:
        key, day = (sku, warehouse), at.date()
        if key not in balance:
            balance[key], closed[key] = (0, 0), day - timedelta(days=1)
        elif day > closed[key] + timedelta(days=1):
            close_through(key, day - timedelta(days=1))
        on_hand, reserved = balance[key]
        balance[key] = (on_hand + on_hand_delta, reserved + reserved_delta)
    for key in balance:
        close_through(key, until)
    return out


@dataclass(slots=True)
class Series:
    """One SKU × warehouse's daily demand from its first sale to the last day of history.
    Stock-out days whose recorded demand is below the series' typical day are raised to it:
    a day nothing could be sold is lost demand, not zero demand."""

    sku: str
    warehouse: str
    start: date
    values: list[float]
    stockouts: int = 0

    @property
    def key(self) -> str:
        return f"{self.sku}\t{self.warehouse}"


def build_series(
    demand: Iterable[tuple[str, str, date, int]],
    stockouts: Iterable[tuple[str, str, date]],
    last_day: date,
) -> list[Series]:
    """Daily series per (sku, warehouse) from (sku, warehouse, day, units) rows (any order,
    summed), ending at ``last_day``; missing days are zero unless marked as stock-outs."""
    end = last_day.toordinal()
    totals: dict[tuple[str, str], dict[int, int]] = {}  # by day ordinal
    for sku, warehouse, day, units in demand:
        if (at := day.toordinal()) <= end:
            days = totals.setdefault((sku, warehouse), {})
            days[at] = days.get(at, 0) + units
    marked: dict[tuple[str, str], set[int]] = {}
    for sku, warehouse, day in stockouts:
        marked.setdefault((sku, warehouse), set()).add(day.toordinal())
    out = []
    for (sku, warehouse), days in sorted(totals.items()):
        sold = [at for at, units in days.items() if units > 0]
        if not sold:
            continue
        first = min(sold)
        length = end - first + 1
        values = [0.0] * length
        for at, units in days.items():
            if at >= first:
                values[at - first] = float(units)
        lost = sorted(
            i for at in marked.get((sku, warehouse), ()) if 0 <= (i := at - first) < length
        )
        start = date.fromordinal(first)
        out.append(Series(sku, warehouse, start, _fill_lost(values, lost), len(lost)))
    return out


def _fill_lost(values: list[float], lost: Sequence[int]) -> list[float]:
    """A stock-out day takes the mean of the in-stock same weekdays of the 8 weeks before it
    (the weekly pattern kept), or of the series' in-stock days when fewer than 2 are found,
    when that is more than was recorded."""
    if not lost:
        return values
    gone = set(lost)
    in_stock = [v for i, v in enumerate(values) if i not in gone]
    overall = sum(in_stock) / len(in_stock) if in_stock else 0.0
    filled = list(values)
    for i in lost:
        same_day = [values[j] for j in range(i - 7, max(-1, i - 57), -7) if j not in gone]
        typical = sum(same_day) / len(same_day) if len(same_day) >= 2 else overall
        filled[i] = max(values[i], typical)
    return filled


class DailyForecast(BaseModel):
    date: date
    quantity: float
    lo: float
    hi: float


class ForecastView(BaseModel):
    """A SKU's forecast, summed over its warehouses unless one is asked for."""

    sku: str
    warehouse: str | None = None
    method: str
    methods: dict[str, str] = Field(
        default_factory=dict, description="The method chosen for each warehouse's series."
    )
    level: int
    run_id: str
    channel: str | None = None
    channel_share: float | None = Field(
        None,
        description="With `channel`: the channel's share of the SKU's units over the 8 weeks "
        "before the forecast, which the forecast (and its interval) is scaled by.",
    )
    daily: list[DailyForecast]


def combine_forecasts(
    per_warehouse: Sequence[Sequence[tuple[date, float, float, float]]],
) -> list[tuple[date, float, float, float]]:
    """Sum forecasts of several series day by day. Means add; the interval's half-widths add
    in quadrature (the series' errors taken as independent), each side on its own."""
    days: dict[date, list[float]] = {}
    for rows in per_warehouse:
        for day, quantity, lo, hi in rows:
            acc = days.setdefault(day, [0.0, 0.0, 0.0])
            acc[0] += quantity
            acc[1] += (quantity - lo) ** 2
            acc[2] += (hi - quantity) ** 2
    return [
        (day, q, max(0.0, q - math.sqrt(below)), q + math.sqrt(above))
        for day, (q, below, above) in sorted(days.items())
    ]


class ForecastRunIn(BaseModel):
    model_config = {"extra": "forbid"}

    horizon_days: JsonInt = Field(28, ge=1, le=366, description="Days to forecast, 1 to 366.")
    level: JsonInt = Field(90, ge=50, le=99, description="Prediction interval coverage, percent.")


class ForecastRunView(BaseModel):
    id: str
    created_at: datetime
    horizon_days: int
    first_day: date
    series: int
    seconds: float
    methods: dict[str, int]
    overall: dict[str, float | None]


class BacktestView(BaseModel):
    """Rolling-origin backtest of the latest run: the chosen methods beside seasonal naive."""

    run_id: str
    created_at: datetime
    windows: int
    horizon_days: int
    overall: dict[str, float | None]
    skus: list[dict[str, str | float | None]]
    kind: Literal["rolling_origin"] = "rolling_origin"
