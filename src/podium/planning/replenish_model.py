"""Replenishment, the pure part: safety stock, reorder point and order-up-to level from a
forecast with its interval; order quantities that respect MOQ and case packs; the order-by day;
transfers from long warehouses to short ones. No I/O.

The formulas (docs/planning.md "Replenishment"):

- σ_daily, the daily forecast error, is read off the forecast's prediction interval:
  each day's ``(hi − lo) / (2 · z_interval)`` where ``z_interval`` is the normal quantile of
  the interval's coverage (1.645 for 90%), averaged over the days the policy looks at.
- σ_LT = σ_daily × √LT (independent daily errors over a lead time of LT days).
- safety stock = z(service level) × σ_LT, rounded up.
- reorder point = expected demand over the lead time + safety stock.
- order-up-to = reorder point + expected demand over the review period.
- position = available + incoming − backorders.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import NormalDist

__all__ = [
    "Day",
    "Policy",
    "PolicyLevels",
    "Site",
    "Transfer",
    "order_by",
    "order_quantity",
    "policy_levels",
    "sigma_of_interval",
    "transfers",
    "z_for",
]

Day = tuple[float, float, float]
"""One forecast day: (quantity, lo, hi)."""

_NORMAL = NormalDist()


def z_for(service_level: float) -> float:
    """The standard normal quantile of a cycle service level in (0, 1)."""
    if not 0.0 < service_level < 1.0:
        raise ValueError(f"service level must lie strictly between 0 and 1, not {service_level}")
    return _NORMAL.inv_cdf(service_level)


def sigma_of_interval(lo: float, hi: float, level: int) -> float:
    """The standard deviation a central ``level``% normal interval [lo, hi] implies."""
    z = _NORMAL.inv_cdf(0.5 + level / 200.0)
    return max(0.0, hi - lo) / (2.0 * z)


@dataclass(frozen=True, slots=True)
class Policy:
    lead_time_days: int
    review_days: int = 7
    service_level: float = 0.95


@dataclass(frozen=True, slots=True)
class PolicyLevels:
    daily_demand: float
    sigma_daily: float
    demand_lead_time: float
    safety_stock: int
    reorder_point: int
    order_up_to: int


def _demand_over(daily: Sequence[Day], start: int, days: int) -> float:
    """Expected units over forecast days [start, start + days); past the horizon the mean of
    the forecast carries on."""
    if days <= 0 or not daily:
        return 0.0
    mean = sum(d[0] for d in daily) / len(daily)
    inside = daily[start : start + days]
    return sum(d[0] for d in inside) + mean * (days - len(inside))


def policy_levels(daily: Sequence[Day], level: int, policy: Policy) -> PolicyLevels:
    """Safety stock, reorder point and order-up-to from a daily forecast and its ``level``%
    interval (σ taken over the lead time's days, or the whole horizon when shorter)."""
    lt = max(0, policy.lead_time_days)
    window = daily[: max(1, lt)] if daily else []
    sigma = sum(sigma_of_interval(lo, hi, level) for _, lo, hi in window) / max(1, len(window))
    demand_lt = _demand_over(daily, 0, lt)
    safety = math.ceil(z_for(policy.service_level) * sigma * math.sqrt(lt) - 1e-9)
    safety = max(0, safety)
    reorder = math.ceil(demand_lt - 1e-9) + safety
    up_to = reorder + math.ceil(_demand_over(daily, lt, policy.review_days) - 1e-9)
    mean = sum(d[0] for d in daily) / len(daily) if daily else 0.0
    return PolicyLevels(
        daily_demand=mean,
        sigma_daily=sigma,
        demand_lead_time=demand_lt,
        safety_stock=safety,
        reorder_point=reorder,
        order_up_to=max(up_to, reorder),
    )


def order_quantity(need: int, moq: int = 1, case_pack: int = 1) -> int:
    """``need`` units rounded up to at least the MOQ and to whole case packs (0 when no need)."""
    if need <= 0:
        return 0
    pack = max(1, case_pack)
    wanted = max(need, moq)
    return -(-wanted // pack) * pack


def order_by(
    position: int, daily: Sequence[Day], reorder_point: int, first_day: date, today: date
) -> date | None:
    """The day an order must go out: today when the position is already below the reorder
    point, else the day the position, drawn down by the forecast, first falls below it (the
    reorder point already holds the lead time's demand). None when that is past the horizon."""
    if position < reorder_point:
        return today
    left = float(position)
    for i, (quantity, _, _) in enumerate(daily):
        left -= quantity
        if left < reorder_point:
            return max(today, first_day + timedelta(days=i))
    return None


@dataclass(frozen=True, slots=True)
class Transfer:
    sku: str
    source: str
    target: str
    quantity: int


@dataclass(frozen=True, slots=True)
class Site:
    """One SKU at one warehouse, for transfers."""

    warehouse: str
    position: int
    reorder_point: int
    order_up_to: int


def transfers(sku: str, sites: Sequence[Site]) -> list[Transfer]:
    """Moves from warehouses above their order-up-to level to those below their reorder point:
    the shortest site first (up to its order-up-to), from the longest. A source gives only
    what it holds above its own order-up-to, so it never falls below its reorder point."""
    spare = {s.warehouse: s.position - s.order_up_to for s in sites if s.position > s.order_up_to}
    short = sorted(
        (s for s in sites if s.position < s.reorder_point),
        key=lambda s: (s.position - s.reorder_point, s.warehouse),
    )
    moves: list[Transfer] = []
    for site in short:
        need = site.order_up_to - site.position
        while need > 0 and any(v > 0 for v in spare.values()):
            source = max(spare, key=lambda w: (spare[w], w))
            if spare[source] <= 0:
                break
            qty = min(need, spare[source])
            moves.append(Transfer(sku, source, site.warehouse, qty))
            spare[source] -= qty
            need -= qty
    return moves
