"""Rule evaluation: each order filter, location filter, sort and action, pure."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

import pytest

from podium.catalog.rates import RateTable
from podium.geo.coordinates import Coordinates
from podium.routing.costs import (
    DEFAULT_RATES,
    Calendar,
    delivery_date,
    promise_for,
    ship_date,
)
from podium.routing.engine import Location, OrderFacts, route
from podium.routing.rules import DEFAULT_RULES, LocationFilter, OrderFilter, Rule, RuleSet

SEATTLE = Coordinates(47.6062, -122.3321)
MONDAY = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
NEAR = Location("NEAR", priority=50, coords=Coordinates(45.5152, -122.6784))  # Portland
MID = Location("MID", priority=10, coords=Coordinates(39.7392, -104.9903))  # Denver
FAR = Location("FAR", priority=1, coords=Coordinates(40.7357, -74.1724))  # Newark
ALL = [NEAR, MID, FAR]


def facts(**kw: Any) -> OrderFacts:
    base: dict[str, Any] = {
        "channel": "web",
        "placed_at": MONDAY,
        "country": "US",
        "region": "WA",
        "postal_code": "98101",
        "value": 5000,
        "weights": {"A": 500, "B": 500},
    }
    base.update(kw)
    return OrderFacts(**base)


def everywhere(units: int = 10, skus: tuple[str, ...] = ("A", "B")) -> dict[tuple[str, str], int]:
    return {(loc.code, s): units for loc in ALL for s in skus}


def one(rule: Rule, **kw: Any) -> RuleSet:
    return RuleSet(rules=[rule], **kw)


def shipped_from(plan: object) -> list[str]:
    return sorted({a.warehouse for a in plan.allocations})  # type: ignore[attr-defined]


def test_default_rules_ship_whole_from_the_cheapest_location() -> None:
    plan = route(facts(), {"A": 1, "B": 1}, everywhere(), ALL, DEFAULT_RULES, SEATTLE)
    assert shipped_from(plan) == ["NEAR"]
    assert plan.rule == "whole-order-on-time"
    assert plan.cost == DEFAULT_RATES.price(plan.distances_km["NEAR"], 1000)
    assert {c["warehouse"] for c in plan.candidates} == {"NEAR", "MID", "FAR"}


@pytest.mark.parametrize(
    ("sort", "winner"),
    [
        (["distance"], "NEAR"),
        (["shipping_cost"], "NEAR"),
        (["priority"], "FAR"),
        (["stock_balance"], "MID"),
    ],
)
def test_each_sort_orders_the_candidates(sort: list[str], winner: str) -> None:
    stock = everywhere()
    stock[("MID", "A")] = 50  # the most left over after the order
    rules = one(Rule(name="r", sort=sort, action="allocate_whole"))
    plan = route(facts(), {"A": 1}, stock, ALL, rules, SEATTLE)
    assert shipped_from(plan) == [winner]


@pytest.mark.parametrize(
    ("when", "matches"),
    [
        (OrderFilter(channels=["web"]), True),
        (OrderFilter(channels=["pos"]), False),
        (OrderFilter(countries=["US"]), True),
        (OrderFilter(countries=["CA"]), False),
        (OrderFilter(regions=["wa"]), True),
        (OrderFilter(regions=["OR"]), False),
        (OrderFilter(postal_prefixes=["981"]), True),
        (OrderFilter(postal_prefixes=["100"]), False),
        (OrderFilter(min_value="50.00"), True),
        (OrderFilter(min_value="50.01"), False),
        (OrderFilter(max_value="49.99"), False),
        (OrderFilter(service_levels=["standard"]), True),
        (OrderFilter(service_levels=["express"]), False),
        (OrderFilter(tags_any=["vip", "gift"]), True),
        (OrderFilter(tags_any=["wholesale"]), False),
        (OrderFilter(min_priority=5), True),
        (OrderFilter(min_priority=8), False),
    ],
)
def test_each_order_filter(when: OrderFilter, matches: bool) -> None:
    rules = RuleSet(
        rules=[
            Rule(name="far-only", when=when, locations=LocationFilter(warehouses=["FAR"])),
            Rule(name="rest", sort=["distance"]),
        ]
    )
    order = facts(tags=frozenset({"gift"}), priority=7)
    plan = route(order, {"A": 1}, everywhere(), ALL, rules, SEATTLE)
    assert plan.rule == ("far-only" if matches else "rest")


def test_capacity_filter_skips_a_full_location_and_says_why() -> None:
    full = Location("NEAR", coords=NEAR.coords, capacity_left=0)
    plan = route(facts(), {"A": 1}, everywhere(), [full, MID, FAR], DEFAULT_RULES, SEATTLE)
    assert shipped_from(plan) == ["MID"]
    why = {c["warehouse"]: c["excluded"] for c in plan.candidates}
    assert why["NEAR"] == "no capacity left today"


def test_inactive_locations_and_ones_not_serving_the_channel_or_country_never_ship() -> None:
    locations = [
        Location("NEAR", coords=NEAR.coords, active=False),
        Location("MID", coords=MID.coords, serves_channels=frozenset({"pos"})),
        Location("FAR", coords=FAR.coords, serves_countries=frozenset({"CA"})),
        Location("OK", coords=Coordinates(33.4484, -112.0740)),
    ]
    stock = {(loc.code, "A"): 5 for loc in locations}
    plan = route(facts(), {"A": 1}, stock, locations, DEFAULT_RULES, SEATTLE)
    assert shipped_from(plan) == ["OK"]


def test_safety_margin_filter_needs_units_left_behind() -> None:
    rules = one(
        Rule(name="r", locations=LocationFilter(min_units_after_safety=3), sort=["distance"])
    )
    stock = everywhere()
    stock[("NEAR", "A")] = 3  # one order would leave 2
    plan = route(facts(), {"A": 1}, stock, ALL, rules, SEATTLE)
    assert shipped_from(plan) == ["MID"]


def test_store_and_distance_filters() -> None:
    store = Location("STORE", coords=Coordinates(47.61, -122.33), ship_from_store=True)
    stock = {**everywhere(), ("STORE", "A"): 5}
    no_stores = one(Rule(name="r", locations=LocationFilter(ship_from_store=False)))
    stores = one(Rule(name="r", locations=LocationFilter(ship_from_store=True)))
    near_only = one(
        Rule(name="r", locations=LocationFilter(max_distance_km=2000), sort=["priority"])
    )
    locations = [store, *ALL]
    assert shipped_from(route(facts(), {"A": 1}, stock, locations, no_stores, SEATTLE)) == ["NEAR"]
    assert shipped_from(route(facts(), {"A": 1}, stock, locations, stores, SEATTLE)) == ["STORE"]
    assert shipped_from(route(facts(), {"A": 1}, stock, ALL, near_only, SEATTLE)) == ["MID"]


def test_promise_filter_keeps_only_locations_that_deliver_in_time() -> None:
    promised = promise_for(MONDAY, "express", None)  # two business days: Wednesday
    assert promised == date(2026, 11, 25)
    rules = one(Rule(name="r", locations=LocationFilter(meets_promise=True), sort=["priority"]))
    order = facts(service_level="express", promised=promised)
    plan = route(order, {"A": 1}, everywhere(), ALL, rules, SEATTLE)
    assert shipped_from(plan) == ["MID"]  # FAR has priority but arrives Thursday
    why = {c["warehouse"]: c["excluded"] for c in plan.candidates}
    assert why["FAR"] == "delivers 2026-11-26, after the promise"
    assert plan.late == ()


def test_whole_order_beats_a_nearer_split_and_split_is_the_cheapest_fewest() -> None:
    stock = {("NEAR", "A"): 5, ("FAR", "A"): 5, ("FAR", "B"): 5, ("MID", "B"): 5}
    plan = route(facts(), {"A": 1, "B": 1}, stock, ALL, DEFAULT_RULES, SEATTLE)
    assert shipped_from(plan) == ["FAR"]
    stock.pop(("FAR", "B"))
    split = route(facts(), {"A": 1, "B": 1}, stock, ALL, DEFAULT_RULES, SEATTLE)
    assert shipped_from(split) == ["MID", "NEAR"]  # not FAR+MID: dearer
    assert "split across 2 warehouses" in split.reason


def test_split_penalty_is_in_the_cost() -> None:
    stock = {("NEAR", "A"): 5, ("MID", "B"): 5}
    cheap = route(
        facts(),
        {"A": 1, "B": 1},
        stock,
        ALL,
        RuleSet(rules=DEFAULT_RULES.rules, split_penalty="0"),
        SEATTLE,
    )
    dear = route(
        facts(),
        {"A": 1, "B": 1},
        stock,
        ALL,
        RuleSet(rules=DEFAULT_RULES.rules, split_penalty="10.00"),
        SEATTLE,
    )
    assert dear.cost == (cheap.cost or 0) + 1000


def test_allocate_whole_unfilled_goes_to_the_next_rule_or_holds() -> None:
    stock = {("NEAR", "A"): 5, ("MID", "B"): 5}
    nxt = RuleSet(
        rules=[
            Rule(name="whole", action="allocate_whole"),
            Rule(name="split", action="allow_split"),
        ]
    )
    assert route(facts(), {"A": 1, "B": 1}, stock, ALL, nxt, SEATTLE).rule == "split"
    hold = one(Rule(name="whole", action="allocate_whole", if_unfilled="hold", queue="review"))
    plan = route(facts(), {"A": 1, "B": 1}, stock, ALL, hold, SEATTLE)
    assert (plan.rule, plan.hold_queue) == ("whole", "review")
    assert shipped_from(plan) == ["MID", "NEAR"]  # stock is still reserved while held


def test_hold_action_and_next_rule_action() -> None:
    rules = RuleSet(
        rules=[
            Rule(name="skip", action="next_rule"),
            Rule(name="big", when=OrderFilter(min_value="1000.00"), action="hold", queue="big"),
            Rule(name="rest"),
        ]
    )
    assert route(facts(), {"A": 1}, everywhere(), ALL, rules, SEATTLE).rule == "rest"
    big = route(facts(value=200_000), {"A": 1}, everywhere(), ALL, rules, SEATTLE)
    assert (big.rule, big.hold_queue) == ("big", "big")


def test_no_rule_decides_falls_back_to_nearest_with_stock_and_reports_shortage() -> None:
    rules = one(Rule(name="far", locations=LocationFilter(warehouses=["FAR"])))
    plan = route(facts(), {"A": 3}, {("NEAR", "A"): 1, ("MID", "A"): 1}, ALL, rules, SEATTLE)
    assert plan.rule is None and plan.reason.startswith("no rule decided")
    assert plan.shortages == {"A": 1}


def test_rule_sets_refuse_holds_without_a_queue_and_duplicate_names() -> None:
    with pytest.raises(ValueError, match="queue"):
        Rule(name="h", action="hold")
    with pytest.raises(ValueError, match="unique"):
        RuleSet(rules=[Rule(name="x"), Rule(name="x")])


def test_cut_off_time_zone_and_working_days_set_the_ship_date() -> None:
    cal = Calendar(cutoff=time(14, 0), time_zone="America/Los_Angeles")
    morning = datetime(2026, 11, 23, 18, 0, tzinfo=UTC)  # 10:00 in Los Angeles, Monday
    evening = datetime(2026, 11, 23, 23, 0, tzinfo=UTC)  # 15:00 there: after the cut-off
    friday_late = datetime(2026, 11, 27, 23, 0, tzinfo=UTC)
    assert ship_date(morning, cal) == date(2026, 11, 23)
    assert ship_date(evening, cal) == date(2026, 11, 24)
    assert ship_date(friday_late, cal) == date(2026, 11, 30)  # the weekend is skipped
    saturdays = Calendar(working_days=(6,))
    assert ship_date(morning, saturdays) == date(2026, 11, 28)
    assert delivery_date(morning, cal, 100.0, "next_day") == date(2026, 11, 24)


def test_rate_table_prices_by_band_weight_and_service() -> None:
    assert DEFAULT_RATES.price(100, 400) < DEFAULT_RATES.price(2000, 400)
    assert DEFAULT_RATES.price(100, 400) < DEFAULT_RATES.price(100, 4000)
    assert DEFAULT_RATES.price(100, 400, "next_day") == DEFAULT_RATES.price(100, 400) * 3
    heavy = DEFAULT_RATES.price(100, 12_500)
    assert heavy == DEFAULT_RATES.price(100, 10_000) + 3 * DEFAULT_RATES.extra_per_kg[0]
    assert DEFAULT_RATES.price(None, 400) == DEFAULT_RATES.price(99_999, 400)


@pytest.mark.parametrize(
    "table",
    [
        {"weights_g": [], "prices": [], "extra_per_kg": []},
        {"weights_g": [500, 400], "prices": [[1, 2]] * 6, "extra_per_kg": [1] * 6},
        {"weights_g": [500], "prices": [[1]] * 5, "extra_per_kg": [1] * 6},
        {"weights_g": [500], "prices": [[-1]] * 6, "extra_per_kg": [1] * 6},
        {"weights_g": [500], "prices": [[1]] * 6},
    ],
)
def test_malformed_rate_tables_are_refused(table: dict[str, Any]) -> None:
    with pytest.raises((ValueError, KeyError)):
        RateTable.from_json(table)


def test_a_rate_table_survives_its_json() -> None:
    assert RateTable.from_json(DEFAULT_RATES.as_json()) == DEFAULT_RATES


def test_an_intake_without_the_new_routing_fields_keeps_its_old_fingerprint() -> None:
    import hashlib
    import json

    from podium.orders.model import OrderIntake

    body = {
        "channel": "web",
        "currency": "USD",
        "shipping_address": {"country": "US"},
        "lines": [{"sku": "A", "quantity": 1, "unit_price": "1.00"}],
    }
    intake = OrderIntake.model_validate(body)
    old = intake.model_dump(mode="json")
    # Fields added since (routing, issue 14's handed_over/warehouse/taxes_included, issue 15's).
    for key in (
        "promised_date",
        "service_level",
        "priority",
        "taxes_included",
        "handed_over",
        "warehouse",
        "payment",
        # issue 15: risk facts
        "billing_address",
        "client_ip",
        "channel_risk",
        "channel_risk_detail",
    ):
        old.pop(key)
    digest = hashlib.sha256(
        json.dumps(old, sort_keys=True, separators=(",", ":")).encode()
    ).hexdigest()
    assert intake.fingerprint() == digest
    promised = OrderIntake.model_validate({**body, "promised_date": "2026-12-01"})
    assert promised.fingerprint() != digest
