"""The wave optimiser: never worse than the rules, and its plan respects stock and capacity."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from podium.geo.coordinates import Coordinates
from podium.routing.engine import Location, OrderFacts
from podium.routing.optimiser import WaveOrder, optimise, over_capacity
from podium.routing.rules import DEFAULT_RULES

MONDAY = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
SITES = [
    ("NJ", 40.74, -74.17),
    ("CA", 37.80, -122.27),
    ("TX", 32.78, -96.80),
    ("IL", 41.88, -87.63),
]
CITIES = [(47.61, -122.33), (25.76, -80.19), (39.74, -104.99), (42.36, -71.06), (34.05, -118.24)]
SKUS = ["A", "B", "C"]


@st.composite
def waves(draw: st.DrawFn) -> tuple[list[WaveOrder], dict[tuple[str, str], int], list[Location]]:
    locations = [
        Location(
            code,
            coords=Coordinates(lat, lon),
            capacity_left=draw(st.one_of(st.none(), st.integers(0, 6))),
        )
        for code, lat, lon in SITES
    ]
    stock = {(code, s): draw(st.integers(0, 6)) for code, _, _ in SITES for s in SKUS}
    orders = []
    for i in range(draw(st.integers(1, 10))):
        lines = draw(st.dictionaries(st.sampled_from(SKUS), st.integers(1, 3), min_size=1))
        lat, lon = draw(st.sampled_from(CITIES))
        promised = draw(st.one_of(st.none(), st.dates(date(2026, 11, 24), date(2026, 12, 2))))
        facts = OrderFacts(
            channel="web",
            placed_at=MONDAY,
            promised=promised,
            service_level=draw(st.sampled_from([None, "standard", "express"])),
            weights={"A": 300, "B": 1200, "C": 4000},
        )
        orders.append(WaveOrder(f"o{i}", facts, lines, Coordinates(lat, lon)))
    return orders, stock, locations


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(waves())
def test_optimiser_is_never_worse_than_the_rules_and_respects_stock_and_capacity(
    wave: tuple[list[WaveOrder], dict[tuple[str, str], int], list[Location]],
) -> None:
    orders, stock, locations = wave
    result = optimise(orders, stock, locations, DEFAULT_RULES, time_budget=5)
    assert result.status in ("optimal", "rules")
    assert result.score <= result.rules_score
    used: dict[tuple[str, str], int] = defaultdict(int)
    for option in result.chosen.values():
        for a in option.allocations:
            used[(a.warehouse, a.sku)] += a.quantity
    assert all(q <= stock.get(k, 0) for k, q in used.items())
    capacity = {loc.code: loc.capacity_left for loc in locations}
    assert over_capacity(result.chosen.values(), capacity) <= over_capacity(
        result.rules.values(), capacity
    )
    lower = optimise(orders, stock, locations, DEFAULT_RULES, relax=True).bound
    assert lower is not None and lower <= result.score + 1e-6


def test_optimiser_moves_an_order_off_stock_another_order_needs_more() -> None:
    # One unit in California, one in New Jersey. Routing in order gives California to Denver
    # (first come, nearest), leaving San Francisco to ship from New Jersey; the optimum swaps.
    locations = [
        Location("NJ", coords=Coordinates(40.74, -74.17)),
        Location("CA", coords=Coordinates(37.80, -122.27)),
    ]
    stock = {("NJ", "A"): 1, ("CA", "A"): 1}
    sf = OrderFacts(channel="web", placed_at=MONDAY, weights={"A": 500})
    denver = OrderFacts(channel="web", placed_at=MONDAY, weights={"A": 500})
    orders = [
        WaveOrder("denver", denver, {"A": 1}, Coordinates(39.74, -104.99)),
        WaveOrder("sf", sf, {"A": 1}, Coordinates(37.77, -122.42)),
    ]
    result = optimise(orders, stock, locations, DEFAULT_RULES)
    assert result.rules["denver"].warehouses == {"CA"}  # first come, nearest
    assert result.chosen["denver"].warehouses == {"NJ"}
    assert result.chosen["sf"].warehouses == {"CA"}
    assert result.score < result.rules_score


def test_a_tight_time_budget_still_answers_and_never_worse_than_the_rules() -> None:
    import random

    rng = random.Random(7)
    locations = [Location(code, coords=Coordinates(lat, lon)) for code, lat, lon in SITES]
    skus = [f"S{i}" for i in range(60)]
    stock = {(code, s): rng.randint(0, 40) for code, _, _ in SITES for s in skus}
    orders = []
    for i in range(1500):
        lines = {s: rng.randint(1, 2) for s in rng.sample(skus, rng.randint(1, 3))}
        facts = OrderFacts(channel="web", placed_at=MONDAY, weights=dict.fromkeys(lines, 700))
        orders.append(WaveOrder(f"o{i}", facts, lines, Coordinates(*rng.choice(CITIES))))
    result = optimise(orders, stock, locations, DEFAULT_RULES, time_budget=0.1)
    assert result.status in ("optimal", "time_limit", "rules")
    assert set(result.chosen) == {o.id for o in orders}
    assert result.score <= result.rules_score
