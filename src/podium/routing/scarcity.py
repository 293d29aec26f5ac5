"""The cost-to-go of using a location's stock, for online routing. Pure, no I/O.

Routing one order at a time is myopic: the cheapest location that meets the promise may hold the
last units that some region can only get on time from there. ``Scarcity`` prices that without any
forecast, from the stock routing already locks and the locations' coordinates and calendars.

Every location with coordinates stands for the destinations around it (a *zone*); a location
*covers* a zone when it can deliver there by this order's promise (same service level, same ship
date). For a SKU, a zone's *reach* is the stock of the locations covering it and the network's
stock is everyone's. Taking ``q`` units from a location lowers the reach of every zone it covers;
that hurts in proportion to what the zone cannot reach (network − reach) per unit it still can
(reach − q + 1), times the share of the network's stock out of its reach. Summed over the
order's SKUs and the zones the location covers, averaged over the zones:

    outside = network − reach
    scarcity(location) = Σ_sku Σ_{zone covered} q × outside / (reach − q + 1)
                                                   × outside / network  /  zones

A zone that reaches the whole network adds nothing (any choice takes the same units from it);
a zone left with few on-time units, when much of the stock is out of its reach, adds a lot.
A rule's ``cost_to_go`` sort ranks candidates (and splits) by shipping cost + ``scarcity_weight``
× scarcity, in minor units; the weight is tuned on benchmarks/routing.py.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

from podium.geo import Coordinates, haversine_km
from podium.routing.costs import Calendar, add_business_days, ship_date, transit_days

if TYPE_CHECKING:
    from podium.routing.engine import Location

__all__ = ["Scarcity", "coverage"]


@functools.lru_cache(maxsize=4096)
def _km(a: Coordinates, b: Coordinates) -> float:
    return haversine_km(a, b)


@functools.lru_cache(maxsize=256)
def coverage(
    places: tuple[tuple[str, Coordinates | None], ...],
    leaves: tuple[date, ...],
    service: str,
    promised: date | None,
) -> tuple[tuple[str, frozenset[str]], ...]:
    """Each zone (a location with coordinates) and the locations that reach it by the promise.

    ``places``: each location's code and coordinates; ``leaves``: the date each would ship the
    order. Without a promise every location covers every zone.
    """
    out = []
    for zone, centre in places:
        if centre is None:
            continue
        sources = set()
        for (code, coords), day in zip(places, leaves, strict=True):
            if promised is None:
                sources.add(code)
            elif coords is not None:
                days = transit_days(_km(coords, centre), service)
                if add_business_days(day, days) <= promised:
                    sources.add(code)
        out.append((zone, frozenset(sources)))
    return tuple(out)


class Scarcity:
    """Zone coverage for one order; ``of(code, units)`` is a candidate's scarcity term.

    Built per order for free: coverage is worked out on the first ``of``.
    """

    __slots__ = ("_codes", "_covers", "_locations", "_network", "_order", "_reach", "_stock")

    def __init__(
        self,
        locations: Sequence[Location],
        stock: Mapping[tuple[str, str], int],
        *,
        placed_at: datetime,
        service: str,
        promised: date | None,
    ) -> None:
        self._locations = locations
        self._order = (placed_at, service, promised)
        self._covers: tuple[tuple[str, frozenset[str]], ...] | None = None
        self._codes = tuple(loc.code for loc in locations)
        self._stock = stock
        self._reach: dict[tuple[str, str], int] = {}
        self._network: dict[str, int] = {}

    def _coverage(self) -> tuple[tuple[str, frozenset[str]], ...]:
        if self._covers is None:
            placed_at, service, promised = self._order
            days: dict[Calendar, date] = {}
            leaves = []
            for loc in self._locations:
                leaves.append(days.get(loc.calendar) or ship_date(placed_at, loc.calendar))
                days[loc.calendar] = leaves[-1]
            places = tuple((loc.code, loc.coords) for loc in self._locations)
            self._covers = coverage(places, tuple(leaves), service, promised)
        return self._covers

    def _reach_of(self, zone: str, sources: frozenset[str], sku: str) -> int:
        found = self._reach.get((zone, sku))
        if found is None:
            stock = self._stock
            found = sum(stock.get((w, sku), 0) for w in sources)
            self._reach[(zone, sku)] = found
        return found

    def _network_of(self, sku: str) -> int:
        found = self._network.get(sku)
        if found is None:
            found = sum(self._stock.get((w, sku), 0) for w in self._codes)
            self._network[sku] = found
        return found

    def of(self, code: str, units: Mapping[str, int]) -> float:
        """The scarcity of taking ``units`` (SKU → quantity) from location ``code``."""
        covers = self._coverage()
        if not covers:
            return 0.0
        total = 0.0
        for zone, sources in covers:
            if code not in sources:
                continue
            for sku, q in units.items():
                reach = self._reach_of(zone, sources, sku)
                outside = self._network_of(sku) - reach
                if outside > 0:
                    total += q * outside / max(1, reach - q + 1) * outside / (outside + reach)
        return total / len(covers)
