"""Batch re-planning of a wave of orders as a mixed-integer programme (scipy's HiGHS). Pure.

Each order gets a handful of candidate plans: the plan the rules give it (routing the wave in
order, stock and capacity running down), every location able to ship it whole, and the cheapest
two-location splits. The programme picks exactly one plan per order, minimising shipping cost
plus split penalties plus a penalty per order delivered after its promise (and per unit left
short), subject to the stock at every (location, SKU) and each location's capacity left today.

The rules' plan is always one of the candidates and the rules' assignment is feasible, so the
optimum is never worse than the rules; when the solver runs out of its time budget without a
better answer, the rules' plan stands (``status`` says which).
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import combinations

from podium.geo import Coordinates
from podium.money import parse_amount
from podium.routing.engine import Location, OrderFacts, Site, plan_cost, route, sites_for
from podium.routing.model import Allocation, Plan
from podium.routing.rules import RuleSet

__all__ = [
    "LATE_PENALTY",
    "OVER_CAPACITY_PENALTY",
    "SHORT_PENALTY",
    "Option",
    "WaveOrder",
    "WaveResult",
    "optimise",
]

LATE_PENALTY = 5_000  # minor units per order delivered after its promise
SHORT_PENALTY = 100_000  # minor units per unit not allocated
# Capacity is firm but not absolute (the rules, too, ship from a full location rather than
# refuse an order): each parcel beyond a location's capacity left costs this much.
OVER_CAPACITY_PENALTY = 20_000
_SPLIT_SITES = 5  # two-location splits are tried among this many cheapest locations


@dataclass(frozen=True, slots=True)
class WaveOrder:
    id: str
    facts: OrderFacts
    demand: Mapping[str, int]
    destination: Coordinates | None
    current: tuple[Allocation, ...] | None = None  # its plan now, when it has one


@dataclass(frozen=True, slots=True)
class Option:
    allocations: tuple[Allocation, ...]
    cost: int  # shipping + split penalty
    late: bool
    short: int  # units not allocated

    @property
    def score(self) -> int:
        return self.cost + LATE_PENALTY * self.late + SHORT_PENALTY * self.short

    @property
    def warehouses(self) -> frozenset[str]:
        return frozenset(a.warehouse for a in self.allocations)


def over_capacity(options: Iterable[Option], capacity: Mapping[str, int | None]) -> int:
    """Parcels beyond the locations' capacity left, over a set of plans."""
    parcels: dict[str, int] = defaultdict(int)
    for option in options:
        for w in option.warehouses:
            parcels[w] += 1
    return sum(
        max(0, n - (capacity.get(w) or 0))
        for w, n in parcels.items()
        if capacity.get(w) is not None
    )


@dataclass
class WaveResult:
    chosen: dict[str, Option]
    rules: dict[str, Option]
    status: str  # optimal | time_limit | rules (fell back) | empty | relaxed
    seconds: float
    bound: float | None = None  # the solver's lower bound on the objective
    capacity: Mapping[str, int | None] = field(default_factory=dict)
    current: dict[str, Option] = field(default_factory=dict)

    @property
    def score(self) -> int:
        over = over_capacity(self.chosen.values(), self.capacity)
        return sum(o.score for o in self.chosen.values()) + OVER_CAPACITY_PENALTY * over

    @property
    def rules_score(self) -> int:
        over = over_capacity(self.rules.values(), self.capacity)
        return sum(o.score for o in self.rules.values()) + OVER_CAPACITY_PENALTY * over


def _option(
    order: WaveOrder, by_code: Mapping[str, Site], allocations: Sequence[Allocation], penalty: int
) -> Option:
    promised = order.facts.promised
    late = promised is not None and any(
        by_code[a.warehouse].delivers > promised for a in allocations
    )
    given: dict[str, int] = defaultdict(int)
    for a in allocations:
        given[a.sku] += a.quantity
    short = sum(max(0, q - given[s]) for s, q in order.demand.items())
    cost = plan_cost(order.facts, by_code, allocations, penalty) if allocations else 0
    return Option(tuple(allocations), cost, late, short)


def _options(
    order: WaveOrder,
    sites: Sequence[Site],
    stock: Mapping[tuple[str, str], int],
    penalty: int,
    known: Sequence[Option],
) -> list[Option]:
    by_code = {s.loc.code: s for s in sites}
    demand = order.demand
    found: dict[tuple[Allocation, ...], Option] = {
        tuple(sorted(o.allocations, key=_akey)): o for o in known
    }
    weight = sum(order.facts.weights.get(s, 0) * q for s, q in demand.items())
    service = order.facts.service_level or "standard"
    priced = sorted(
        sites, key=lambda s: (s.loc.rates.price(s.distance, weight, service), s.loc.code)
    )
    for s in priced:
        code = s.loc.code
        if all(stock.get((code, k), 0) >= q for k, q in demand.items()):
            whole = tuple(Allocation(code, k, q) for k, q in demand.items())
            found.setdefault(
                tuple(sorted(whole, key=_akey)), _option(order, by_code, whole, penalty)
            )
    if len(demand) > 1 or sum(demand.values()) > 1:
        holders = [s for s in priced if any(stock.get((s.loc.code, k), 0) > 0 for k in demand)]
        for a, b in combinations(holders[:_SPLIT_SITES], 2):
            pair = (a.loc.code, b.loc.code)
            if any(sum(stock.get((w, k), 0) for w in pair) < q for k, q in demand.items()):
                continue
            allocations: list[Allocation] = []
            for k, q in demand.items():
                first = next((w for w in pair if stock.get((w, k), 0) >= q), None)
                if first is not None:
                    allocations.append(Allocation(first, k, q))
                    continue
                take = min(q, stock.get((pair[0], k), 0))
                allocations.append(Allocation(pair[0], k, take))
                allocations.append(Allocation(pair[1], k, q - take))
            allocations = [x for x in allocations if x.quantity > 0]
            if len({x.warehouse for x in allocations}) == 2:
                key = tuple(sorted(allocations, key=_akey))
                found.setdefault(key, _option(order, by_code, allocations, penalty))
    return list(found.values())


def _akey(a: Allocation) -> tuple[str, str, int]:
    return (a.warehouse, a.sku, a.quantity)


def rules_wave(
    orders: Sequence[WaveOrder],
    stock: Mapping[tuple[str, str], int],
    locations: Sequence[Location],
    rules: RuleSet,
) -> dict[str, Plan]:
    """Route the wave with the rules, one order after another, stock and capacity running down."""
    left = dict(stock)
    capacity = {loc.code: loc.capacity_left for loc in locations}
    plans: dict[str, Plan] = {}
    for order in orders:
        current = [
            loc
            if capacity[loc.code] == loc.capacity_left
            else _with_capacity(loc, capacity[loc.code])
            for loc in locations
        ]
        plan = route(order.facts, order.demand, left, current, rules, order.destination)
        for a in plan.allocations:
            left[(a.warehouse, a.sku)] = left.get((a.warehouse, a.sku), 0) - a.quantity
        for w in plan.warehouses:
            cap = capacity.get(w)
            if cap is not None:
                capacity[w] = cap - 1
        plans[order.id] = plan
    return plans


def _with_capacity(loc: Location, left: int | None) -> Location:
    return replace(loc, capacity_left=left)


def optimise(
    orders: Sequence[WaveOrder],
    stock: Mapping[tuple[str, str], int],
    locations: Sequence[Location],
    rules: RuleSet,
    *,
    time_budget: float = 10.0,
    relax: bool = False,
) -> WaveResult:
    """Pick one plan per order minimising the wave's total (see the module's docstring).

    ``stock``: units each (location, SKU) can give the wave (the wave's own reservations
    included); ``locations[i].capacity_left``: parcels each may still take today, likewise.
    ``relax``: solve the linear relaxation only (a lower bound on the optimum).
    """
    # numpy and scipy take about a second to import: only a wave being optimised pays it,
    # not every process that imports routing (the CLI, the API's start).
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import csr_array

    started = time.perf_counter()
    penalty = parse_amount(rules.split_penalty, rules.currency)
    baseline = rules_wave(orders, stock, locations, rules)
    options: list[list[Option]] = []
    rules_options: dict[str, Option] = {}
    current: dict[str, Option] = {}
    everywhere = [replace(loc, active=True) for loc in locations]
    for order in orders:
        sites = sites_for(order.facts, locations, order.destination)
        by_code = {s.loc.code: s for s in sites}
        ruled = _option(order, by_code, baseline[order.id].allocations, penalty)
        rules_options[order.id] = ruled
        known = [ruled]
        if order.current is not None:
            full = {
                **by_code,
                **{s.loc.code: s for s in sites_for(order.facts, everywhere, order.destination)},
            }
            current[order.id] = _option(order, full, order.current, penalty)
            if all(a.warehouse in by_code for a in order.current):
                known.append(current[order.id])
        options.append(_options(order, sites, stock, penalty, known))
    if not orders:
        return WaveResult({}, {}, "empty", time.perf_counter() - started)
    capped = {loc.code: loc.capacity_left for loc in locations if loc.capacity_left is not None}
    columns = [(i, opt) for i, opts in enumerate(options) for opt in opts]
    n = len(columns)
    cost = np.array([opt.score for _, opt in columns], dtype=float)
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    for j, (i, _) in enumerate(columns):
        rows.append(i)
        cols.append(j)
        vals.append(1.0)
    base = len(orders)
    stock_row: dict[tuple[str, str], int] = {}
    cap_row: dict[str, int] = {}
    for j, (_, opt) in enumerate(columns):
        for a in opt.allocations:
            key = (a.warehouse, a.sku)
            r = stock_row.setdefault(key, base + len(stock_row))
            rows.append(r)
            cols.append(j)
            vals.append(float(a.quantity))
    top = base + len(stock_row)
    for j, (_, opt) in enumerate(columns):
        for w in opt.warehouses:
            if w in capped:
                r = cap_row.setdefault(w, top + len(cap_row))
                rows.append(r)
                cols.append(j)
                vals.append(1.0)
    m = top + len(cap_row)
    for k, r in enumerate(sorted(cap_row.values())):
        rows.append(r)
        cols.append(n + k)
        vals.append(-1.0)  # parcels beyond capacity, at a price
    slack = len(cap_row)
    cost = np.concatenate([cost, np.full(slack, float(OVER_CAPACITY_PENALTY))])
    lower = np.zeros(m)
    upper = np.zeros(m)
    lower[:base] = upper[:base] = 1.0
    for key, r in stock_row.items():
        lower[r], upper[r] = -np.inf, max(0, stock.get(key, 0))
    for w, r in cap_row.items():
        lower[r], upper[r] = -np.inf, max(0, capped[w] or 0)
    matrix = csr_array((vals, (rows, cols)), shape=(m, n + slack))
    result = milp(
        cost,
        constraints=LinearConstraint(matrix, lower, upper),
        integrality=np.concatenate([np.zeros(n) if relax else np.ones(n), np.zeros(slack)]),
        bounds=Bounds(np.zeros(n + slack), np.concatenate([np.ones(n), np.full(slack, np.inf)])),
        options={"time_limit": max(0.1, time_budget), "disp": False},
    )
    seconds = time.perf_counter() - started
    bound = getattr(result, "mip_dual_bound", None)
    if relax:
        bound = float(result.fun) if result.x is not None else None
        return WaveResult(
            dict(rules_options), rules_options, "relaxed", seconds, bound, capped, current
        )
    if result.x is None:
        return WaveResult(
            dict(rules_options), rules_options, "rules", seconds, None, capped, current
        )
    chosen: dict[str, Option] = {}
    picks = np.asarray(result.x)
    best: dict[int, tuple[float, Option]] = {}
    for j, (i, opt) in enumerate(columns):
        if i not in best or picks[j] > best[i][0]:
            best[i] = (picks[j], opt)
    for i, order in enumerate(orders):
        chosen[order.id] = best[i][1]
    status = "optimal" if result.status == 0 else "time_limit"
    out = WaveResult(chosen, rules_options, status, seconds, bound, capped, current)
    if out.score > out.rules_score:  # a budget-cut answer worse than the rules: keep the rules
        return WaveResult(
            dict(rules_options), rules_options, "rules", seconds, bound, capped, current
        )
    return out
