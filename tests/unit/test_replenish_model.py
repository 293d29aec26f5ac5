"""Replenishment math (issue 16 item 3): safety stock, reorder point, order-up-to, MOQ and
case-pack rounding, the order-by day and transfers, with hypothesis properties."""

from __future__ import annotations

import math
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from podium.planning.replenish_model import (
    Policy,
    Site,
    order_by,
    order_quantity,
    policy_levels,
    sigma_of_interval,
    transfers,
    z_for,
)

TODAY = date(2026, 6, 1)


def flat(quantity: float, sigma: float, days: int = 28) -> list[tuple[float, float, float]]:
    half = sigma * 1.6448536269514722
    return [(quantity, quantity - half, quantity + half)] * days


def test_z_of_ninety_five_percent_is_the_normal_quantile() -> None:
    assert z_for(0.95) == pytest.approx(1.644854, abs=1e-6)
    with pytest.raises(ValueError):
        z_for(1.0)


def test_sigma_is_read_back_from_a_ninety_percent_interval() -> None:
    assert sigma_of_interval(10 - 1.644854 * 3, 10 + 1.644854 * 3, 90) == pytest.approx(3.0)


def test_safety_stock_is_z_times_sigma_times_root_lead_time() -> None:
    levels = policy_levels(flat(10, 4), 90, Policy(lead_time_days=9, review_days=7))
    assert levels.sigma_daily == pytest.approx(4.0)
    assert levels.safety_stock == math.ceil(1.644854 * 4 * 3)  # 20
    assert levels.reorder_point == 90 + 20
    assert levels.order_up_to == 110 + 70


def test_a_higher_service_level_holds_more_safety_stock() -> None:
    low = policy_levels(flat(5, 2), 90, Policy(lead_time_days=10, service_level=0.9))
    high = policy_levels(flat(5, 2), 90, Policy(lead_time_days=10, service_level=0.99))
    assert high.safety_stock > low.safety_stock


def test_demand_past_the_horizon_carries_the_forecast_mean_on() -> None:
    levels = policy_levels(flat(2, 0, days=7), 90, Policy(lead_time_days=14, review_days=7))
    assert (levels.reorder_point, levels.order_up_to) == (28, 42)


def test_order_quantity_rounds_up_to_moq_then_case_packs() -> None:
    assert order_quantity(0, 50, 12) == 0
    assert order_quantity(7, 50, 12) == 60
    assert order_quantity(61, 50, 12) == 72
    assert order_quantity(5) == 5


def test_order_by_is_today_when_below_and_the_crossing_day_otherwise() -> None:
    daily = flat(10, 0, days=10)
    assert order_by(40, daily, 50, TODAY, TODAY) == TODAY
    assert order_by(75, daily, 50, TODAY, TODAY) == date(2026, 6, 3)
    assert order_by(500, daily, 50, TODAY, TODAY) is None


def test_transfers_move_from_the_long_warehouse_to_the_short_one() -> None:
    moves = transfers(
        "TEE",
        [Site("EAST", 200, 50, 100), Site("WEST", 10, 50, 100), Site("MID", 60, 50, 100)],
    )
    assert [(m.source, m.target, m.quantity) for m in moves] == [("EAST", "WEST", 90)]


@given(
    need=st.integers(min_value=-50, max_value=10_000),
    moq=st.integers(min_value=1, max_value=500),
    pack=st.integers(min_value=1, max_value=144),
)
def test_a_quantity_is_whole_packs_and_at_least_moq_and_need_whenever_positive(
    need: int, moq: int, pack: int
) -> None:
    q = order_quantity(need, moq, pack)
    if need <= 0:
        assert q == 0
    else:
        assert q % pack == 0 and q >= moq and q >= need
        assert q - pack < max(need, moq)  # no more than one pack over


@given(
    quantity=st.floats(min_value=0, max_value=200),
    sigma=st.floats(min_value=0, max_value=50),
    lead=st.integers(min_value=0, max_value=60),
    position=st.integers(min_value=-500, max_value=20_000),
)
def test_no_order_is_due_today_when_the_position_is_at_or_above_the_reorder_point(
    quantity: float, sigma: float, lead: int, position: int
) -> None:
    daily = flat(quantity, sigma)
    levels = policy_levels(daily, 90, Policy(lead_time_days=lead))
    assert levels.order_up_to >= levels.reorder_point >= levels.safety_stock >= 0
    when = order_by(position, daily, levels.reorder_point, date(2026, 6, 2), TODAY)
    if position >= levels.reorder_point:
        assert when != TODAY
    else:
        assert when == TODAY


site = st.builds(
    lambda w, p, r, extra: Site(w, p, r, r + extra),
    st.sampled_from(["A", "B", "C", "D", "E"]),
    st.integers(min_value=-100, max_value=1000),
    st.integers(min_value=0, max_value=300),
    st.integers(min_value=0, max_value=300),
)


@given(st.lists(site, max_size=5, unique_by=lambda s: s.warehouse))
def test_transfers_never_take_a_warehouse_below_its_reorder_point(sites: list[Site]) -> None:
    moves = transfers("TEE", sites)
    after = {s.warehouse: s.position for s in sites}
    for m in moves:
        assert m.quantity > 0 and m.source != m.target
        after[m.source] -= m.quantity
        after[m.target] += m.quantity
    by = {s.warehouse: s for s in sites}
    for m in moves:
        assert after[m.source] >= by[m.source].order_up_to >= by[m.source].reorder_point
        assert after[m.target] <= by[m.target].order_up_to
