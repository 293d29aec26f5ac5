"""Evaluating routing rules for one order: pure, no I/O, a few hundred microseconds.

``route`` walks the rule set (see ``rules``) over the locations that may serve the order and
returns a ``Plan`` that says which rule decided, which candidates there were, and why the winner
won. Costs come from ``costs``; the split search is exact up to three parcels.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from itertools import combinations
from typing import Any

from podium.catalog import RateTable
from podium.geo import Coordinates, haversine_km
from podium.money import parse_amount
from podium.routing.costs import DEFAULT_RATES, Calendar, delivery_date
from podium.routing.model import Allocation, Candidate, Plan, plan_shipments
from podium.routing.rules import LocationFilter, OrderFilter, Rule, RuleSet
from podium.routing.scarcity import Scarcity

__all__ = ["Location", "OrderFacts", "Site", "plan_cost", "route", "sites_for"]

_MAX_SPLIT = 3  # parcels searched exactly; beyond, the greedy fill of the fallback


@dataclass(frozen=True, slots=True)
class Location:
    """A warehouse or store as routing sees it."""

    code: str
    priority: int = 100
    coords: Coordinates | None = None
    active: bool = True
    capacity_left: int | None = None  # None: unlimited
    ship_from_store: bool = False
    serves_channels: frozenset[str] | None = None
    serves_countries: frozenset[str] | None = None
    rates: RateTable = DEFAULT_RATES
    calendar: Calendar = field(default_factory=Calendar)


@dataclass(frozen=True, slots=True)
class OrderFacts:
    """What rules may look at in an order."""

    channel: str
    placed_at: datetime
    country: str | None = None
    region: str | None = None
    postal_code: str | None = None
    value: int = 0
    currency: str = "USD"
    service_level: str | None = None
    promised: date | None = None  # the resolved promise (see costs.promise_for)
    tags: frozenset[str] = frozenset()
    priority: int | None = None
    weights: Mapping[str, int] = field(default_factory=dict)  # grams per unit, by SKU


@dataclass(frozen=True, slots=True)
class Site:
    """A location priced for one order."""

    loc: Location
    distance: float | None
    delivers: date


def sites_for(
    order: OrderFacts, locations: Sequence[Location], dest: Coordinates | None
) -> list[Site]:
    """Locations allowed to serve this order at all: active, for its channel and country."""
    service = order.service_level or "standard"
    out = []
    for loc in locations:
        if not loc.active:
            continue
        if loc.serves_channels is not None and order.channel not in loc.serves_channels:
            continue
        if (
            loc.serves_countries is not None
            and order.country is not None
            and order.country not in loc.serves_countries
        ):
            continue
        dist = haversine_km(loc.coords, dest) if loc.coords and dest else None
        out.append(Site(loc, dist, delivery_date(order.placed_at, loc.calendar, dist, service)))
    return out


def _weight(order: OrderFacts, units: Mapping[str, int]) -> int:
    return sum(order.weights.get(s, 0) * q for s, q in units.items())


def plan_cost(
    order: OrderFacts, sites: Mapping[str, Site], allocations: Sequence[Allocation], penalty: int
) -> int:
    per: dict[str, dict[str, int]] = {}
    for a in allocations:
        per.setdefault(a.warehouse, {})[a.sku] = a.quantity
    service = order.service_level or "standard"
    total = sum(
        sites[w].loc.rates.price(sites[w].distance, _weight(order, units), service)
        for w, units in per.items()
    )
    return total + penalty * max(0, len(per) - 1)


def _matches(f: OrderFilter, o: OrderFacts) -> bool:
    if f.channels is not None and o.channel not in f.channels:
        return False
    if f.countries is not None and o.country not in f.countries:
        return False
    if f.regions is not None and (o.region or "").upper() not in {r.upper() for r in f.regions}:
        return False
    if f.postal_prefixes is not None and not any(
        (o.postal_code or "").upper().startswith(p.upper()) for p in f.postal_prefixes
    ):
        return False
    if f.min_value is not None and o.value < parse_amount(f.min_value, o.currency):
        return False
    if f.max_value is not None and o.value > parse_amount(f.max_value, o.currency):
        return False
    if f.service_levels is not None and (o.service_level or "standard") not in f.service_levels:
        return False
    if f.tags_any is not None and not o.tags.intersection(f.tags_any):
        return False
    return f.min_priority is None or (o.priority is not None and o.priority >= f.min_priority)


def _why_not(
    f: LocationFilter, site: Site, order: OrderFacts, demand: Mapping[str, int], stock: Any
) -> str | None:
    loc = site.loc
    if f.warehouses is not None and loc.code not in f.warehouses:
        return "not in the rule's locations"
    if f.ship_from_store is not None and loc.ship_from_store != f.ship_from_store:
        return "a store" if loc.ship_from_store else "not a store"
    if f.capacity_left and loc.capacity_left is not None and loc.capacity_left <= 0:
        return "no capacity left today"
    if f.max_distance_km is not None and (
        site.distance is None or site.distance > f.max_distance_km
    ):
        return "too far"
    if f.meets_promise and order.promised is not None and site.delivers > order.promised:
        return f"delivers {site.delivers.isoformat()}, after the promise"
    if not any(stock.get((loc.code, s), 0) > f.min_units_after_safety for s in demand):
        return "no stock for these lines"
    return None


def _usable(stock: Mapping[tuple[str, str], int], f: LocationFilter, code: str, sku: str) -> int:
    return max(0, stock.get((code, sku), 0) - f.min_units_after_safety)


def _sort_key(
    rule: Rule,
    site: Site,
    cost: int,
    demand: Mapping[str, int],
    stock: Mapping[tuple[str, str], int],
    scarcity: Scarcity | None = None,
) -> tuple[float, ...]:
    key: list[float] = []
    for s in rule.sort:
        if s == "cost_to_go":
            extra = scarcity.of(site.loc.code, demand) if scarcity is not None else 0.0
            key.append(cost + rule.scarcity_weight * extra)
        elif s == "distance":
            key.append(site.distance if site.distance is not None else float("inf"))
        elif s == "shipping_cost":
            key.append(cost)
        elif s == "stock_balance":  # most left over after taking the order first
            key.append(-min(stock.get((site.loc.code, k), 0) - q for k, q in demand.items()))
        else:
            key.append(site.loc.priority)
    return tuple(key)


def _try_rule(
    rule: Rule,
    order: OrderFacts,
    demand: Mapping[str, int],
    stock: Mapping[tuple[str, str], int],
    sites: Sequence[Site],
    by_code: Mapping[str, Site],
    penalty: int,
    notes: dict[str, str],
    scarcity: Scarcity | None,
) -> tuple[list[Allocation], str] | None:
    f = rule.locations
    eligible = []
    for site in sites:
        why = _why_not(f, site, order, demand, stock)
        if why is None:
            eligible.append(site)
        else:
            notes.setdefault(site.loc.code, why)
    service = order.service_level or "standard"
    whole_weight = _weight(order, demand)
    if "cost_to_go" not in rule.sort or not rule.scarcity_weight:
        scarcity = None
    wholes = []
    for site in eligible:
        code = site.loc.code
        if all(_usable(stock, f, code, s) >= q for s, q in demand.items()):
            cost = site.loc.rates.price(site.distance, whole_weight, service)
            wholes.append((_sort_key(rule, site, cost, demand, stock, scarcity), code, cost))
        else:
            notes.setdefault(code, "cannot ship every line")
    if wholes:
        wholes.sort()
        _, code, cost = wholes[0]
        runner = f"; next best {wholes[1][1]}" if len(wholes) > 1 else ""
        allocations = [Allocation(code, s, q) for s, q in demand.items()]
        return allocations, f"whole order from {code} (first by {', '.join(rule.sort)}){runner}"
    if rule.action == "allocate_whole" or len(eligible) < 2:
        return None
    ranked = sorted(eligible, key=lambda s: (*_sort_key(rule, s, 0, demand, stock), s.loc.priority))
    codes = [s.loc.code for s in ranked]
    for size in range(2, min(_MAX_SPLIT, len(codes)) + 1):
        best: tuple[float, list[Allocation]] | None = None
        for group in combinations(codes, size):
            if any(sum(_usable(stock, f, w, s) for w in group) < q for s, q in demand.items()):
                continue
            allocations = _fill(demand, stock, f, group)
            if len({a.warehouse for a in allocations}) < size:
                continue  # a smaller group would do; it was tried already
            score: float = plan_cost(order, by_code, allocations, penalty)
            if scarcity is not None:
                score += rule.scarcity_weight * _split_scarcity(scarcity, allocations)
            if best is None or score < best[0]:
                best = (score, allocations)
        if best is not None:
            used = sorted({a.warehouse for a in best[1]})
            return best[1], (
                f"split across {size} warehouses ({', '.join(used)}): no single eligible warehouse "
                "holds every line; the cheapest split including the split penalty"
                + (" and the scarcity of the stock it takes" if scarcity is not None else "")
            )
    return None


def _split_scarcity(scarcity: Scarcity, allocations: Sequence[Allocation]) -> float:
    per: dict[str, dict[str, int]] = {}
    for a in allocations:
        per.setdefault(a.warehouse, {})[a.sku] = a.quantity
    return sum(scarcity.of(w, units) for w, units in per.items())


def _fill(
    demand: Mapping[str, int],
    stock: Mapping[tuple[str, str], int],
    f: LocationFilter,
    group: Sequence[str],
) -> list[Allocation]:
    """Lines whole where one location of the group can, then units from the first ones first."""
    out = []
    for sku, wanted in demand.items():
        whole = next((w for w in group if _usable(stock, f, w, sku) >= wanted), None)
        if whole is not None:
            out.append(Allocation(whole, sku, wanted))
            continue
        left = wanted
        for w in group:
            take = min(left, _usable(stock, f, w, sku))
            if take:
                out.append(Allocation(w, sku, take))
                left -= take
    return out


def route(
    order: OrderFacts,
    demand: Mapping[str, int],
    stock: Mapping[tuple[str, str], int],
    locations: Sequence[Location],
    rules: RuleSet,
    destination: Coordinates | None,
) -> Plan:
    """Decide which locations ship which units under ``rules``.

    ``stock`` maps (location, SKU) to units available (safety stock already set aside).
    """
    demand = {s: q for s, q in demand.items() if q > 0}
    penalty = parse_amount(rules.split_penalty, rules.currency)
    sites = sites_for(order, locations, destination)
    by_code = {s.loc.code: s for s in sites}
    distances = {s.loc.code: s.distance for s in sites if s.distance is not None}
    service = order.service_level or "standard"
    scarcity = Scarcity(  # computed on first use, shared by the rules
        [s.loc for s in sites],
        stock,
        placed_at=order.placed_at,
        service=service,
        promised=order.promised,
    )
    notes: dict[str, str] = {}
    decided: tuple[list[Allocation], str] | None = None
    rule_name: str | None = None
    queue: str | None = None
    for rule in rules.rules:
        if rule.action == "next_rule" or not _matches(rule.when, order):
            continue
        notes = {}
        decided = _try_rule(rule, order, demand, stock, sites, by_code, penalty, notes, scarcity)
        if decided is not None:
            rule_name = rule.name
            queue = rule.queue if rule.action == "hold" else None
            break
        if rule.if_unfilled == "hold":
            rule_name, queue = rule.name, rule.queue
            break
    if decided is not None:
        plan = Plan(tuple(decided[0]), reason=decided[1], distances_km=distances)
    else:
        candidates = [Candidate(s.loc.code, s.loc.priority, s.loc.coords) for s in sites]
        plan = plan_shipments(demand, stock, candidates, destination)
        if rule_name is None:
            plan = replace(plan, reason=f"no rule decided; {plan.reason}")
    cost = plan_cost(order, by_code, plan.allocations, penalty) if plan.allocations else 0
    late = sorted(
        {
            a.warehouse
            for a in plan.allocations
            if order.promised is not None and by_code[a.warehouse].delivers > order.promised
        }
    )
    return replace(
        plan,
        rule=rule_name,
        hold_queue=queue,
        cost=cost,
        late=tuple(late),
        candidates=tuple(
            {
                "warehouse": s.loc.code,
                "distance_km": None if s.distance is None else round(s.distance, 1),
                "delivers": s.delivers.isoformat(),
                "excluded": notes.get(s.loc.code),
            }
            for s in sites
        ),
    )
