"""The figures reports compute, pure: sums per key in exact minor units, percentiles, forecast
error (MAPE, bias), days of cover, rates. No I/O; property-tested."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

__all__ = [
    "Accuracy",
    "Sales",
    "accuracy",
    "days_of_cover",
    "percentile",
    "rate",
]


@dataclass(slots=True)
class Sales:
    """Orders, units and revenue (integer minor units) of one group of order lines."""

    orders: set[str] = field(default_factory=set)
    units: int = 0
    revenue: int = 0

    def add(self, order_id: str, units: int, unit_price: int) -> None:
        self.orders.add(order_id)
        self.units += units
        self.revenue += units * unit_price


def percentile(values: Sequence[float], q: float) -> float | None:
    """The ``q`` quantile (0..1) with linear interpolation between closest ranks (numpy's
    default); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    pos = (len(ordered) - 1) * min(max(q, 0.0), 1.0)
    low = math.floor(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def rate(part: int, whole: int) -> float | None:
    """part ÷ whole rounded to 4 places; None when whole is 0."""
    return round(part / whole, 4) if whole else None


@dataclass(frozen=True, slots=True)
class Accuracy:
    days: int
    forecast: float
    actual: int
    mape: float | None  # mean |F − A| ÷ A over the days with A > 0
    bias: float | None  # (ΣF − ΣA) ÷ ΣA: > 0 over-forecast, < 0 under-forecast
    mae: float  # mean |F − A| per day


def accuracy(pairs: Iterable[tuple[float, int]]) -> Accuracy:
    """Forecast error over days of (forecast units, actual units)."""
    days, total_f, total_a, abs_err, pct, pct_days = 0, 0.0, 0, 0.0, 0.0, 0
    for f, a in pairs:
        days += 1
        total_f += f
        total_a += a
        abs_err += abs(f - a)
        if a > 0:
            pct += abs(f - a) / a
            pct_days += 1
    return Accuracy(
        days=days,
        forecast=round(total_f, 2),
        actual=total_a,
        mape=round(pct / pct_days, 4) if pct_days else None,
        bias=round((total_f - total_a) / total_a, 4) if total_a else None,
        mae=round(abs_err / days, 3) if days else 0.0,
    )


def days_of_cover(available: int, daily_demand: float) -> float | None:
    """Days the available units last at the forecast daily demand; None (no end in sight)
    when nothing is expected to sell; 0 when nothing is available."""
    if available <= 0:
        return 0.0
    if daily_demand <= 0:
        return None
    return round(available / daily_demand, 1)
