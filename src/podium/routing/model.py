"""The first routing policy: pure, no I/O.

Ship the whole order from one warehouse when any can, choosing the nearest to the destination
(warehouse priority breaks ties, and decides alone when distances are unknown). Only when no
single warehouse can, split across the fewest warehouses, nearest first. When even all of them
together cannot, allocate what exists and report the shortage.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from itertools import combinations

from podium.geo import Coordinates, haversine_km

__all__ = ["Allocation", "Candidate", "Plan", "plan_shipments", "rank_candidates"]

# Above this many candidate warehouses the exact fewest-shipments search gives way to greedy.
_EXACT_SEARCH_LIMIT = 12


@dataclass(frozen=True, slots=True)
class Candidate:
    """A warehouse that may ship the order."""

    code: str
    priority: int
    location: Coordinates | None


@dataclass(frozen=True, slots=True)
class Allocation:
    warehouse: str
    sku: str
    quantity: int


@dataclass(frozen=True, slots=True)
class Plan:
    allocations: tuple[Allocation, ...]
    shortages: Mapping[str, int] = field(default_factory=dict)
    reason: str = ""
    distances_km: Mapping[str, float] = field(default_factory=dict)
    # Set by the rule engine (routing.engine): which rule decided, the hold queue it chose, the
    # plan's cost in minor units, locations delivering after the promise, and every candidate.
    rule: str | None = None
    hold_queue: str | None = None
    cost: int | None = None
    late: tuple[str, ...] = ()
    candidates: tuple[Mapping[str, object], ...] = ()
    rules_version: int | None = None
    # The delivery date promised to the order it was routed for (set by online.plan_order).
    promised: date | None = None

    @property
    def warehouses(self) -> list[str]:
        seen: dict[str, None] = {}
        for a in self.allocations:
            seen.setdefault(a.warehouse)
        return list(seen)


def rank_candidates(
    candidates: list[Candidate], destination: Coordinates | None
) -> tuple[list[Candidate], dict[str, float]]:
    distances: dict[str, float] = {}
    if destination is not None:
        for c in candidates:
            if c.location is not None:
                distances[c.code] = haversine_km(c.location, destination)

    def key(c: Candidate) -> tuple[float, int, str]:
        return (distances.get(c.code, float("inf")), c.priority, c.code)

    return sorted(candidates, key=key), distances


def _covers(
    demand: Mapping[str, int], stock: Mapping[tuple[str, str], int], group: tuple[str, ...]
) -> bool:
    return all(sum(stock.get((w, sku), 0) for w in group) >= q for sku, q in demand.items())


def _fill(
    demand: Mapping[str, int], stock: Mapping[tuple[str, str], int], order: list[str]
) -> tuple[list[Allocation], dict[str, int]]:
    """Take each SKU from the warehouses in ``order``, first ones first."""
    allocations: list[Allocation] = []
    shortages: dict[str, int] = {}
    for sku, wanted in demand.items():
        left = wanted
        for w in order:
            take = min(left, stock.get((w, sku), 0))
            if take > 0:
                allocations.append(Allocation(w, sku, take))
                left -= take
            if left == 0:
                break
        if left > 0:
            shortages[sku] = left
    return allocations, shortages


def _greedy_order(
    demand: Mapping[str, int], stock: Mapping[tuple[str, str], int], ranked: list[str]
) -> list[str]:
    """Warehouses in the order that covers the most remaining units first (ties: rank)."""
    left = dict(demand)
    chosen: list[str] = []
    pool = list(ranked)
    while pool and any(q > 0 for q in left.values()):
        best = max(
            pool,
            key=lambda w: (
                sum(min(q, stock.get((w, s), 0)) for s, q in left.items()),
                -ranked.index(w),
            ),
        )
        gain = {s: min(q, stock.get((best, s), 0)) for s, q in left.items()}
        if sum(gain.values()) == 0:
            break
        chosen.append(best)
        pool.remove(best)
        for s, g in gain.items():
            left[s] -= g
    return chosen


def plan_shipments(
    demand: Mapping[str, int],
    stock: Mapping[tuple[str, str], int],
    candidates: list[Candidate],
    destination: Coordinates | None,
) -> Plan:
    """Decide which warehouse ships which units.

    ``demand`` maps SKU to units; ``stock`` maps (warehouse, SKU) to units available there.
    """
    demand = {s: q for s, q in demand.items() if q > 0}
    ranked, distances = rank_candidates(candidates, destination)
    codes = [c.code for c in ranked]
    basis = "distance" if distances else "priority"
    for code in codes:
        if _covers(demand, stock, (code,)):
            allocations, _ = _fill(demand, stock, [code])
            return Plan(
                tuple(allocations),
                reason=f"whole order from {code}, the nearest able to ship it all (by {basis})",
                distances_km=distances,
            )
    if len(codes) <= _EXACT_SEARCH_LIMIT and _covers(demand, stock, tuple(codes)):
        for size in range(2, len(codes) + 1):
            feasible = [g for g in combinations(codes, size) if _covers(demand, stock, g)]
            if feasible:
                # Least total distance; a warehouse with no known location counts as farther
                # than any located one. Ties keep rank order (combinations() preserves it).
                best = min(
                    feasible,
                    key=lambda g: (
                        sum(w not in distances for w in g),
                        sum(distances.get(w, 0.0) for w in g),
                    ),
                )
                allocations, _ = _fill(demand, stock, list(best))
                return Plan(
                    tuple(allocations),
                    reason=f"split across {size} warehouses ({', '.join(best)}): "
                    "no single warehouse holds every line",
                    distances_km=distances,
                )
    order = _greedy_order(demand, stock, codes)
    allocations, shortages = _fill(demand, stock, order)
    used = sorted({a.warehouse for a in allocations})
    reason = (
        f"split across {len(used)} warehouses ({', '.join(used)})"
        if not shortages
        else "not enough stock across all warehouses; allocated what exists"
    )
    return Plan(tuple(allocations), shortages=shortages, reason=reason, distances_km=distances)
