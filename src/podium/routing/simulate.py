"""Replaying orders under a rule set, to compare rules before switching: pure, no I/O.

Orders are routed one after another from the same starting stock and capacity, exactly as
placement would route them; the figures are what a brand compares: cost, parcels per order,
distance, promise misses, shortages, how full each location gets, and decision time.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from podium.routing.engine import Location, route
from podium.routing.model import Plan
from podium.routing.optimiser import WaveOrder
from podium.routing.rules import RuleSet

__all__ = ["Metrics", "percentile", "replay"]


def percentile(values: Sequence[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


@dataclass
class Metrics:
    orders: int = 0
    cost: int = 0  # minor units, shipping and split penalties
    shipments: int = 0
    distance_km: float = 0.0  # summed over shipments with a known distance
    located: int = 0
    promise_misses: int = 0
    short_units: int = 0
    held: int = 0
    capacity_use: dict[str, int] = field(default_factory=dict)
    decision_ms: list[float] = field(default_factory=list)

    @property
    def shipments_per_order(self) -> float:
        return self.shipments / self.orders if self.orders else 0.0

    @property
    def mean_distance_km(self) -> float:
        return self.distance_km / self.located if self.located else 0.0

    def summary(self) -> dict[str, float | int | dict[str, int]]:
        return {
            "orders": self.orders,
            "cost": self.cost,
            "shipments_per_order": round(self.shipments_per_order, 4),
            "mean_distance_km": round(self.mean_distance_km, 1),
            "promise_misses": self.promise_misses,
            "short_units": self.short_units,
            "held": self.held,
            "capacity_use": dict(sorted(self.capacity_use.items())),
            "decision_p50_ms": round(percentile(self.decision_ms, 50), 4),
            "decision_p99_ms": round(percentile(self.decision_ms, 99), 4),
        }


def replay(
    orders: Sequence[WaveOrder],
    stock: Mapping[tuple[str, str], int],
    locations: Sequence[Location],
    rules: RuleSet,
    on_plan: Callable[[WaveOrder, Plan], None] | None = None,
) -> Metrics:
    """Route ``orders`` in turn under ``rules``; stock and capacity run down as they would.

    ``on_plan`` sees each order's plan, for callers that compare orders one by one."""
    left = dict(stock)
    capacity = {loc.code: loc.capacity_left for loc in locations}
    out = Metrics()
    for order in orders:
        current = [
            loc if capacity[loc.code] is None else replace(loc, capacity_left=capacity[loc.code])
            for loc in locations
        ]
        started = time.perf_counter()
        plan = route(order.facts, order.demand, left, current, rules, order.destination)
        out.decision_ms.append((time.perf_counter() - started) * 1000)
        if on_plan is not None:
            on_plan(order, plan)
        out.orders += 1
        out.cost += plan.cost or 0
        out.short_units += sum(plan.shortages.values())
        out.promise_misses += bool(plan.late)
        out.held += plan.hold_queue is not None
        for a in plan.allocations:
            left[(a.warehouse, a.sku)] = left.get((a.warehouse, a.sku), 0) - a.quantity
        used = plan.warehouses
        out.shipments += len(used)
        for w in used:
            out.capacity_use[w] = out.capacity_use.get(w, 0) + 1
            cap = capacity.get(w)
            if cap is not None:
                capacity[w] = cap - 1
            if w in plan.distances_km:
                out.distance_km += plan.distances_km[w]
                out.located += 1
    return out
