"""The cost_to_go sort: shipping cost + scarcity_weight × the on-time supply a choice takes away.

Crafted networks where the myopic choice (cheapest on-time location) spends the last units a
region can get on time, and a later order there is late.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from podium.geo.coordinates import Coordinates
from podium.routing.costs import promise_for
from podium.routing.engine import Location, OrderFacts, route
from podium.routing.optimiser import LATE_PENALTY
from podium.routing.rules import DEFAULT_RULES, SCARCITY_WEIGHT, LocationFilter, Rule, RuleSet
from podium.routing.scarcity import Scarcity

MONDAY = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
WEST = Location("WEST", coords=Coordinates(45.5152, -122.6784))  # Portland
MID = Location("MID", coords=Coordinates(39.7392, -104.9903))  # Denver
EAST = Location("EAST", coords=Coordinates(40.7357, -74.1724))  # Newark
ALL = [WEST, MID, EAST]
DENVER = Coordinates(39.7392, -104.9903)
NEW_YORK = Coordinates(40.7128, -74.0060)


def facts(service: str = "standard", **kw: Any) -> OrderFacts:
    base: dict[str, Any] = {
        "channel": "web",
        "placed_at": MONDAY,
        "country": "US",
        "service_level": service,
        "promised": promise_for(MONDAY, service, None),
        "weights": {"A": 400, "B": 400},
    }
    base.update(kw)
    return OrderFacts(**base)


def rules(sort: list[Any], weight: int = SCARCITY_WEIGHT) -> RuleSet:
    on_time = LocationFilter(meets_promise=True)
    return RuleSet(
        rules=[
            Rule(name="whole", locations=on_time, sort=sort, action="allocate_whole",
                 scarcity_weight=weight),
            Rule(name="split", locations=on_time, sort=sort, scarcity_weight=weight),
            Rule(name="any", sort=sort, scarcity_weight=weight),
        ]
    )  # fmt: skip


MYOPIC = rules(["shipping_cost", "stock_balance", "distance"])
TO_GO = rules(["cost_to_go", "stock_balance", "distance"])


def shipped_from(plan: Any) -> list[str]:
    return sorted({a.warehouse for a in plan.allocations})


def day(ruleset: RuleSet, stock: dict[tuple[str, str], int]) -> tuple[int, int, list[str]]:
    """Denver orders first, then New York: total cost, late orders, who shipped."""
    left = dict(stock)
    cost = late = 0
    shipped = []
    for order, dest in ((facts(), DENVER), (facts("express"), NEW_YORK)):
        plan = route(order, {"A": 1}, left, ALL, ruleset, dest)
        for a in plan.allocations:
            left[(a.warehouse, a.sku)] -= a.quantity
        cost += (plan.cost or 0) + LATE_PENALTY * bool(plan.late)
        late += bool(plan.late)
        shipped += shipped_from(plan)
    return cost, late, shipped


def test_cost_to_go_keeps_the_last_units_a_region_can_get_on_time() -> None:
    # MID is next door to Denver, WEST ~1,600 km away; only MID reaches New York on time.
    stock = {("MID", "A"): 1, ("WEST", "A"): 5}
    myopic = day(MYOPIC, stock)
    to_go = day(TO_GO, stock)
    assert myopic[2] == ["MID", "WEST"] and myopic[1] == 1  # New York's order is late
    assert to_go[2] == ["WEST", "MID"] and to_go[1] == 0
    assert to_go[0] < myopic[0]


def test_the_decision_says_it_ranked_by_cost_to_go() -> None:
    plan = route(facts(), {"A": 1}, {("MID", "A"): 1, ("WEST", "A"): 5}, ALL, TO_GO, DENVER)
    assert plan.rule == "whole" and "cost_to_go" in plan.reason


def test_a_zero_weight_is_plain_shipping_cost() -> None:
    stock = {("MID", "A"): 1, ("WEST", "A"): 5}
    assert day(rules(["cost_to_go"], weight=0), stock)[2] == day(MYOPIC, stock)[2]


def test_with_stock_everywhere_cost_to_go_picks_the_cheapest() -> None:
    stock = {(loc.code, "A"): 10 for loc in ALL}
    plan = route(facts(), {"A": 1}, stock, ALL, DEFAULT_RULES, DENVER)
    assert shipped_from(plan) == ["MID"]


def test_scarcity_never_trades_a_met_promise_for_a_late_one() -> None:
    # EAST is out of stock: WEST (Portland) cannot reach New York in two days, MID can; however
    # scarce MID's units are, the express order ships from MID, on time.
    stock = {("MID", "A"): 1, ("WEST", "A"): 500}
    plan = route(facts("express"), {"A": 1}, stock, ALL, rules(["cost_to_go"], 1_000_000),
                 NEW_YORK)  # fmt: skip
    assert shipped_from(plan) == ["MID"] and not plan.late


def test_a_split_takes_the_units_no_region_depends_on() -> None:
    # No location holds both lines: A is only at EAST; B at MID (1) and WEST (3). Taking B from
    # MID, the cheaper for Denver, leaves New York no on-time B; WEST's B reaches only the West.
    stock = {("EAST", "A"): 3, ("MID", "B"): 1, ("WEST", "B"): 3}
    order = facts(weights={"A": 400, "B": 400})
    myopic = route(order, {"A": 1, "B": 1}, stock, ALL, MYOPIC, DENVER)
    to_go = route(order, {"A": 1, "B": 1}, stock, ALL, TO_GO, DENVER)
    assert {(a.warehouse, a.sku) for a in myopic.allocations} == {("EAST", "A"), ("MID", "B")}
    assert {(a.warehouse, a.sku) for a in to_go.allocations} == {("EAST", "A"), ("WEST", "B")}
    assert "scarcity" in to_go.reason


def test_scarcity_weight_is_a_validated_rule_setting() -> None:
    assert Rule(name="r").scarcity_weight == SCARCITY_WEIGHT
    with pytest.raises(ValidationError):
        Rule(name="r", scarcity_weight=-1)
    assert DEFAULT_RULES.rules[0].sort[0] == "cost_to_go"


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(
        st.tuples(st.sampled_from(["WEST", "MID", "EAST"]), st.sampled_from(["A", "B"])),
        st.integers(0, 50),
    ),
    st.sampled_from(["WEST", "MID", "EAST"]),
    st.integers(1, 3),
)
def test_scarcity_is_never_negative_and_nothing_without_a_promise(
    stock: dict[tuple[str, str], int], code: str, q: int
) -> None:
    promised = Scarcity(ALL, stock, placed_at=MONDAY, service="express",
                        promised=promise_for(MONDAY, "express", None))  # fmt: skip
    assert promised.of(code, {"A": q, "B": 1}) >= 0
    # Without a promise every location covers every zone: no choice thins a zone more than another.
    free = Scarcity(ALL, stock, placed_at=MONDAY, service="standard", promised=None)
    assert free.of(code, {"A": q, "B": 1}) == 0
