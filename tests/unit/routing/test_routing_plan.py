"""The routing policy: whole order from the nearest, else the fewest warehouses, else shortages."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from podium.geo.coordinates import Coordinates, haversine_km
from podium.routing.model import (
    _EXACT_SEARCH_LIMIT,
    Allocation,
    Candidate,
    Plan,
    plan_shipments,
    rank_candidates,
)

Scenario = tuple[dict[str, int], dict[tuple[str, str], int], list[Candidate], Coordinates | None]

# Points along the equator: one degree of longitude is about 111 km.
HOME = Coordinates(0.0, 0.0)


def at(km_east: float) -> Coordinates:
    return Coordinates(0.0, km_east / 111.195)


def wh(code: str, priority: int = 100, km: float | None = None) -> Candidate:
    return Candidate(code, priority, None if km is None else at(km))


def shipped(plan: Plan) -> dict[tuple[str, str], int]:
    """Units per (warehouse, SKU) in a plan."""
    units: dict[tuple[str, str], int] = defaultdict(int)
    for a in plan.allocations:
        units[a.warehouse, a.sku] += a.quantity
    return dict(units)


# --- whole order ---------------------------------------------------------------------------


def test_whole_order_ships_from_the_nearest_warehouse_that_has_everything() -> None:
    candidates = [wh("FAR", km=900), wh("NEAR", km=50), wh("MID", km=300)]
    stock = {(w, s): 5 for w in ("FAR", "NEAR", "MID") for s in ("a", "b")}

    plan = plan_shipments({"a": 2, "b": 1}, stock, candidates, HOME)

    assert plan.allocations == (Allocation("NEAR", "a", 2), Allocation("NEAR", "b", 1))
    assert plan.shortages == {}
    assert plan.warehouses == ["NEAR"]
    assert "NEAR" in plan.reason
    assert "by distance" in plan.reason


def test_whole_order_skips_a_nearer_warehouse_that_lacks_a_line() -> None:
    candidates = [wh("NEAR", km=10), wh("FAR", km=1000)]
    stock = {("NEAR", "a"): 9, ("NEAR", "b"): 1, ("FAR", "a"): 2, ("FAR", "b"): 2}

    plan = plan_shipments({"a": 2, "b": 2}, stock, candidates, HOME)

    assert plan.warehouses == ["FAR"]
    assert shipped(plan) == {("FAR", "a"): 2, ("FAR", "b"): 2}


def test_distances_are_reported_for_located_warehouses_only() -> None:
    candidates = [wh("A", km=100), wh("B")]

    plan = plan_shipments({"a": 1}, {("A", "a"): 1}, candidates, HOME)

    assert set(plan.distances_km) == {"A"}
    assert plan.distances_km["A"] == pytest.approx(100, rel=1e-3)


def test_priority_decides_when_the_destination_has_no_coordinates() -> None:
    candidates = [wh("NEAR", priority=50, km=1), wh("FIRST", priority=10, km=5000)]
    stock = {("NEAR", "a"): 1, ("FIRST", "a"): 1}

    plan = plan_shipments({"a": 1}, stock, candidates, None)

    assert plan.warehouses == ["FIRST"]
    assert plan.distances_km == {}
    assert "by priority" in plan.reason


def test_equal_distances_are_broken_by_priority_then_code() -> None:
    same_place = at(200)
    candidates = [
        Candidate("C", 5, same_place),
        Candidate("B", 1, same_place),
        Candidate("A", 5, same_place),
    ]
    ranked, _ = rank_candidates(candidates, HOME)
    assert [c.code for c in ranked] == ["B", "A", "C"]

    stock = {("A", "a"): 1, ("C", "a"): 1}
    assert plan_shipments({"a": 1}, stock, candidates, HOME).warehouses == ["A"]


def test_equal_priorities_without_a_destination_are_broken_by_code() -> None:
    candidates = [wh("ZED", 1), wh("ALPHA", 1), wh("MID", 0)]

    ranked, distances = rank_candidates(candidates, None)

    assert [c.code for c in ranked] == ["MID", "ALPHA", "ZED"]
    assert distances == {}


def test_unlocated_warehouses_rank_after_located_ones() -> None:
    candidates = [wh("NOWHERE", priority=0), wh("SOMEWHERE", priority=99, km=5000)]

    ranked, distances = rank_candidates(candidates, HOME)

    assert [c.code for c in ranked] == ["SOMEWHERE", "NOWHERE"]
    assert set(distances) == {"SOMEWHERE"}
    assert distances["SOMEWHERE"] == pytest.approx(haversine_km(at(5000), HOME))


def test_no_split_when_one_location_has_all_lines_even_if_a_nearer_pair_exists() -> None:
    candidates = [wh("A", km=1), wh("B", km=2), wh("ALL", km=4000)]
    stock = {("A", "x"): 5, ("B", "y"): 5, ("ALL", "x"): 5, ("ALL", "y"): 5}

    plan = plan_shipments({"x": 3, "y": 3}, stock, candidates, HOME)

    assert plan.warehouses == ["ALL"]
    assert plan.shortages == {}


# --- splitting -----------------------------------------------------------------------------


def test_split_uses_two_warehouses_when_two_suffice_out_of_three() -> None:
    candidates = [wh("A", km=10), wh("B", km=20), wh("C", km=30)]
    # A and C each hold one line; B holds a bit of both; nobody holds everything.
    stock = {("A", "x"): 4, ("B", "x"): 1, ("B", "y"): 1, ("C", "y"): 4}

    plan = plan_shipments({"x": 4, "y": 4}, stock, candidates, HOME)

    assert sorted(plan.warehouses) == ["A", "C"]
    assert shipped(plan) == {("A", "x"): 4, ("C", "y"): 4}
    assert plan.shortages == {}
    assert "split across 2 warehouses" in plan.reason


def test_split_prefers_the_pair_with_the_least_total_distance() -> None:
    # Rank order is A, B, C, D. Pairs that cover: (A, D) = 10 + 900 km, (B, C) = 100 + 200 km
    # and (B, D) = 100 + 900 km. The first in rank order is (A, D); the nearest is (B, C).
    candidates = [wh("D", km=900), wh("C", km=200), wh("B", km=100), wh("A", km=10)]
    holds = {"A": "x", "B": "xy", "C": "z", "D": "yz"}
    stock = {(w, s): 1 for w, skus in holds.items() for s in skus}

    plan = plan_shipments({"x": 1, "y": 1, "z": 1}, stock, candidates, HOME)

    assert sorted(plan.warehouses) == ["B", "C"]
    assert "(B, C)" in plan.reason


def test_split_without_destination_takes_the_best_ranked_feasible_pair() -> None:
    candidates = [wh("P1", 1), wh("P2", 2), wh("P3", 3), wh("P4", 4)]
    stock = {("P1", "x"): 1, ("P3", "y"): 1, ("P2", "y"): 1, ("P4", "x"): 1}

    plan = plan_shipments({"x": 1, "y": 1}, stock, candidates, None)

    assert plan.warehouses == ["P1", "P2"]


def test_split_takes_each_line_from_the_better_ranked_member_first() -> None:
    candidates = [wh("NEAR", km=10), wh("FAR", km=20)]
    # Neither holds 3 of y, so the order must be split.
    stock = {("NEAR", "x"): 2, ("NEAR", "y"): 1, ("FAR", "x"): 9, ("FAR", "y"): 2}

    plan = plan_shipments({"x": 5, "y": 3}, stock, candidates, HOME)

    assert plan.allocations == (
        Allocation("NEAR", "x", 2),
        Allocation("FAR", "x", 3),
        Allocation("NEAR", "y", 1),
        Allocation("FAR", "y", 2),
    )
    assert plan.warehouses == ["NEAR", "FAR"]


def test_split_needs_three_when_no_pair_suffices() -> None:
    candidates = [wh(c, km=km) for c, km in (("A", 1), ("B", 2), ("C", 3), ("D", 4))]
    stock = {("A", "x"): 1, ("B", "y"): 1, ("C", "z"): 1, ("D", "x"): 1}

    plan = plan_shipments({"x": 1, "y": 1, "z": 1}, stock, candidates, HOME)

    assert sorted(plan.warehouses) == ["A", "B", "C"]
    assert "split across 3 warehouses" in plan.reason


def test_split_does_not_treat_an_unlocated_warehouse_as_zero_km_away() -> None:
    # B (222 km) is located; C has no coordinates and so ranks last everywhere else.
    candidates = [wh("A", km=111), wh("B", km=222), wh("C")]
    stock = {("A", "x"): 1, ("B", "y"): 1, ("C", "y"): 1}

    plan = plan_shipments({"x": 1, "y": 1}, stock, candidates, HOME)

    assert sorted(plan.warehouses) == ["A", "B"]


# --- shortages -----------------------------------------------------------------------------


def test_shortage_allocates_what_exists_and_reports_the_rest() -> None:
    candidates = [wh("A", km=10), wh("B", km=20)]
    stock = {("A", "x"): 2, ("B", "x"): 1, ("B", "y"): 4}

    plan = plan_shipments({"x": 5, "y": 3, "z": 2}, stock, candidates, HOME)

    assert shipped(plan) == {("A", "x"): 2, ("B", "x"): 1, ("B", "y"): 3}
    assert plan.shortages == {"x": 2, "z": 2}
    assert plan.reason == "not enough stock across all warehouses; allocated what exists"


def test_nothing_in_stock_anywhere_is_all_shortage() -> None:
    plan = plan_shipments({"x": 3}, {}, [wh("A", km=1)], HOME)

    assert plan.allocations == ()
    assert plan.shortages == {"x": 3}


def test_no_candidates_is_all_shortage() -> None:
    plan = plan_shipments({"x": 3, "y": 1}, {("A", "x"): 9}, [], HOME)

    assert plan.allocations == ()
    assert plan.shortages == {"x": 3, "y": 1}


def test_stock_at_warehouses_that_are_not_candidates_is_ignored() -> None:
    stock = {("OTHER", "x"): 100, ("A", "x"): 1}

    plan = plan_shipments({"x": 2}, stock, [wh("A")], None)

    assert shipped(plan) == {("A", "x"): 1}
    assert plan.shortages == {"x": 1}


# --- odd demand ----------------------------------------------------------------------------


def test_zero_and_negative_quantities_are_dropped_from_demand() -> None:
    plan = plan_shipments({"x": 0, "y": -3, "z": 1}, {("A", "z"): 1}, [wh("A")], None)

    assert plan.allocations == (Allocation("A", "z", 1),)
    assert plan.shortages == {}


def test_demand_of_only_zeros_allocates_nothing_and_is_short_of_nothing() -> None:
    plan = plan_shipments({"x": 0}, {}, [wh("A")], None)

    assert plan.allocations == ()
    assert plan.shortages == {}


def test_demand_summed_from_duplicate_lines_is_allocated_once_per_warehouse() -> None:
    # The caller sums lines of one SKU into one demand entry; the plan takes it in one piece.
    lines = [("x", 2), ("x", 3)]
    demand: dict[str, int] = defaultdict(int)
    for sku, quantity in lines:
        demand[sku] += quantity

    plan = plan_shipments(demand, {("A", "x"): 5}, [wh("A")], None)

    assert plan.allocations == (Allocation("A", "x", 5),)


def test_duplicate_demand_beyond_one_warehouse_is_split() -> None:
    demand = {"x": 2 + 3}
    stock = {("A", "x"): 3, ("B", "x"): 3}

    plan = plan_shipments(demand, stock, [wh("A", 1), wh("B", 2)], None)

    assert plan.allocations == (Allocation("A", "x", 3), Allocation("B", "x", 2))


# --- greedy above the exact-search limit ---------------------------------------------------


def _set_cover_trap(fillers: int) -> Scenario:
    """BIG holds 4 of 6 lines; LEFT + RIGHT hold all 6 between them; fillers hold nothing.

    The exact search finds LEFT + RIGHT; greedy grabs BIG first and then needs both others.
    """
    demand = {s: 1 for s in "abcdef"}
    stock = {("BIG", s): 1 for s in "abcd"}
    stock |= {("LEFT", s): 1 for s in "abe"}
    stock |= {("RIGHT", s): 1 for s in "cdf"}
    candidates = [wh("BIG", 1), wh("LEFT", 2), wh("RIGHT", 3)]
    candidates += [wh(f"EMPTY{i:02}", 50) for i in range(fillers)]
    return demand, stock, candidates, None


def test_at_the_exact_search_limit_the_fewest_warehouses_are_found() -> None:
    demand, stock, candidates, _ = _set_cover_trap(fillers=_EXACT_SEARCH_LIMIT - 3)
    assert len(candidates) == _EXACT_SEARCH_LIMIT

    plan = plan_shipments(demand, stock, candidates, None)

    assert sorted(plan.warehouses) == ["LEFT", "RIGHT"]
    assert plan.shortages == {}
    assert plan.reason.startswith("split across 2 warehouses (LEFT, RIGHT)")


def test_above_the_exact_search_limit_greedy_takes_the_widest_warehouse_first() -> None:
    demand, stock, candidates, _ = _set_cover_trap(fillers=_EXACT_SEARCH_LIMIT - 2)
    assert len(candidates) == _EXACT_SEARCH_LIMIT + 1

    plan = plan_shipments(demand, stock, candidates, None)

    assert plan.warehouses == ["BIG", "LEFT", "RIGHT"]
    assert plan.shortages == {}
    assert plan.reason == "split across 3 warehouses (BIG, LEFT, RIGHT)"


def test_above_the_limit_a_single_warehouse_still_wins_when_it_has_everything() -> None:
    candidates = [wh(f"W{i:02}", km=10 * i) for i in range(_EXACT_SEARCH_LIMIT + 5)]
    stock = {(c.code, s): 1 for c in candidates for s in "xy"}

    plan = plan_shipments({"x": 1, "y": 1}, stock, candidates, HOME)

    assert plan.warehouses == ["W00"]


def test_greedy_breaks_equal_coverage_by_rank() -> None:
    candidates = [wh(f"W{i:02}", km=100 + i) for i in range(_EXACT_SEARCH_LIMIT + 1)]
    # Every warehouse holds one unit of x and one of y, except the nearest two: x-only, y-only.
    stock = {(c.code, s): 1 for c in candidates for s in "xy"}
    stock["W00", "y"] = 0
    stock["W01", "x"] = 0

    plan = plan_shipments({"x": 2, "y": 2}, stock, candidates, HOME)

    # W02 is the best-ranked warehouse covering 2 units; then W03 the next one.
    assert plan.warehouses == ["W02", "W03"]
    assert plan.shortages == {}


def test_greedy_reports_shortage_above_the_limit() -> None:
    candidates = [wh(f"W{i:02}", i) for i in range(_EXACT_SEARCH_LIMIT + 3)]
    stock = {(c.code, "x"): 1 for c in candidates}

    plan = plan_shipments({"x": len(candidates) + 4}, stock, candidates, None)

    assert sum(a.quantity for a in plan.allocations) == len(candidates)
    assert plan.shortages == {"x": 4}


# --- properties ----------------------------------------------------------------------------

SKUS = ["a", "b", "c"]
# Few warehouses (exact search) or just above the limit (greedy); the costly middle is skipped.
EITHER_PATH = st.integers(min_value=0, max_value=6) | st.integers(
    min_value=_EXACT_SEARCH_LIMIT + 1, max_value=_EXACT_SEARCH_LIMIT + 3
)


@st.composite
def scenarios(draw: st.DrawFn, counts: st.SearchStrategy[int], located: bool = False) -> Scenario:
    count = draw(counts)
    candidates = []
    kms = st.integers(min_value=0, max_value=5000)
    for i in range(count):
        km = draw(kms if located else st.none() | kms)
        priority = draw(st.integers(min_value=0, max_value=3))
        candidates.append(wh(f"W{i}", priority, None if km is None else float(km)))
    stock = {
        (c.code, s): draw(st.integers(min_value=0, max_value=4)) for c in candidates for s in SKUS
    }
    demand = draw(st.dictionaries(st.sampled_from(SKUS), st.integers(min_value=0, max_value=6)))
    destination = HOME if located else draw(st.sampled_from([HOME, None]))
    return demand, stock, candidates, destination


def _single_warehouses_covering(
    demand: Mapping[str, int], stock: Mapping[tuple[str, str], int], codes: list[str]
) -> list[str]:
    return [w for w in codes if all(stock.get((w, s), 0) >= q for s, q in demand.items())]


def _fewest_cover(
    demand: Mapping[str, int], stock: Mapping[tuple[str, str], int], codes: list[str]
) -> int | None:
    wanted = {s: q for s, q in demand.items() if q > 0}
    for size in range(len(codes) + 1):
        for group in combinations(codes, size):
            if all(sum(stock.get((w, s), 0) for w in group) >= q for s, q in wanted.items()):
                return size
    return None


@settings(max_examples=60, deadline=None)
@given(scenarios(EITHER_PATH))
def test_allocations_never_exceed_stock_per_warehouse_and_sku(
    scenario: Scenario,
) -> None:
    demand, stock, candidates, destination = scenario

    plan = plan_shipments(demand, stock, candidates, destination)

    assert all(a.quantity > 0 for a in plan.allocations)
    codes = {c.code for c in candidates}
    for (w, s), units in shipped(plan).items():
        assert w in codes
        assert units <= stock.get((w, s), 0)


@settings(max_examples=60, deadline=None)
@given(scenarios(EITHER_PATH))
def test_allocated_plus_shortage_equals_demand_for_every_sku(
    scenario: Scenario,
) -> None:
    demand, stock, candidates, destination = scenario

    plan = plan_shipments(demand, stock, candidates, destination)

    allocated: dict[str, int] = defaultdict(int)
    for a in plan.allocations:
        allocated[a.sku] += a.quantity
    assert set(allocated) | set(plan.shortages) <= {s for s, q in demand.items() if q > 0}
    for sku, wanted in demand.items():
        assert allocated[sku] + plan.shortages.get(sku, 0) == max(wanted, 0)
        # Allocate what exists: a shortage is only what no candidate holds.
        held = sum(stock.get((c.code, sku), 0) for c in candidates)
        assert plan.shortages.get(sku, 0) == max(0, wanted - held)


@settings(max_examples=60, deadline=None)
@given(scenarios(EITHER_PATH))
def test_no_shortages_when_total_stock_covers_demand(
    scenario: Scenario,
) -> None:
    demand, stock, candidates, destination = scenario
    covered = all(
        sum(stock.get((c.code, s), 0) for c in candidates) >= q for s, q in demand.items()
    )

    plan = plan_shipments(demand, stock, candidates, destination)

    assert (plan.shortages == {}) == covered


@settings(max_examples=60, deadline=None)
@given(scenarios(EITHER_PATH))
def test_one_warehouse_is_used_whenever_some_single_warehouse_covers_all(
    scenario: Scenario,
) -> None:
    demand, stock, candidates, destination = scenario
    ranked, _ = rank_candidates(candidates, destination)
    able = _single_warehouses_covering(demand, stock, [c.code for c in ranked])
    wanted = any(q > 0 for q in demand.values())

    plan = plan_shipments(demand, stock, candidates, destination)

    if able and wanted:
        assert plan.warehouses == [able[0]]


@settings(max_examples=60, deadline=None)
@given(scenarios(st.integers(min_value=0, max_value=6)))
def test_within_the_limit_a_covered_order_uses_the_fewest_warehouses(
    scenario: Scenario,
) -> None:
    demand, stock, candidates, destination = scenario
    fewest = _fewest_cover(demand, stock, [c.code for c in candidates])

    plan = plan_shipments(demand, stock, candidates, destination)

    if fewest is not None:
        assert len(plan.warehouses) == fewest
        assert plan.shortages == {}


@settings(max_examples=60, deadline=None)
@given(scenarios(st.integers(min_value=0, max_value=6), located=True))
def test_within_the_limit_the_nearest_of_the_smallest_covering_groups_is_chosen(
    scenario: Scenario,
) -> None:
    demand, stock, candidates, destination = scenario
    codes = [c.code for c in candidates]
    fewest = _fewest_cover(demand, stock, codes)
    plan = plan_shipments(demand, stock, candidates, destination)
    if not fewest:
        return
    wanted = {s: q for s, q in demand.items() if q > 0}
    groups = [
        g
        for g in combinations(codes, fewest)
        if all(sum(stock.get((w, s), 0) for w in g) >= q for s, q in wanted.items())
    ]
    least = min(sum(plan.distances_km[w] for w in g) for g in groups)

    assert sum(plan.distances_km[w] for w in plan.warehouses) == pytest.approx(least)
