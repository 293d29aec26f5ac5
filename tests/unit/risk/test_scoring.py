"""Risk scoring (pure): each signal, the levels, and score bounds and determinism."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from podium.risk import POINTS, RiskFacts, RiskSettings, assess, level_of

SETTINGS = RiskSettings()
CLEAN = RiskFacts(
    total=3000,
    currency="USD",
    shipping_country="US",
    shipping_postal="98101",
    billing_country="US",
    billing_postal="98101",
    earlier_orders_by_email=1,
)


def codes(facts: RiskFacts, settings: RiskSettings = SETTINGS) -> list[str]:
    return [s.code for s in assess(facts, settings).signals]


def test_a_clean_order_raises_nothing() -> None:
    assert assess(CLEAN, SETTINGS).as_dict() == {"score": 0, "level": "low", "signals": []}


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"billing_country": "GB"}, "billing_country_mismatch"),
        ({"billing_postal": "10001"}, "billing_postal_mismatch"),
        ({"earlier_orders_by_email": 0, "total": 50_000}, "first_order_high_value"),
        ({"recent_by_email": 3}, "velocity_email"),
        ({"recent_by_address": 3}, "velocity_address"),
        ({"recent_by_ip": 5}, "velocity_ip"),
        ({"disposable_domain": "mailinator.com"}, "disposable_email"),
        ({"forwarder": "shipito"}, "freight_forwarder"),
        ({"postal_problem": "ZIP code 10001 is in NY, not WA"}, "postal_mismatch"),
        ({"channel_risk": "high"}, "channel_risk_high"),
        ({"channel_risk": "medium"}, "channel_risk_medium"),
    ],
)
def test_each_signal_alone(change: dict[str, object], code: str) -> None:
    found = assess(replace(CLEAN, **change), SETTINGS)  # type: ignore[arg-type]
    assert [s.code for s in found.signals] == [code]
    assert found.score == POINTS[code]
    assert found.signals[0].detail


def test_a_country_mismatch_is_not_also_a_postal_mismatch() -> None:
    assert codes(replace(CLEAN, billing_country="GB", billing_postal="SW1A 1AA")) == [
        "billing_country_mismatch"
    ]


def test_postal_codes_compare_without_spaces_or_case() -> None:
    facts = replace(CLEAN, shipping_postal="sw1a 1aa", billing_postal="SW1A1AA")
    assert codes(facts) == []


def test_no_email_is_not_a_first_order() -> None:
    assert codes(replace(CLEAN, earlier_orders_by_email=None, total=10**9)) == []


def test_first_order_value_is_in_the_orders_currency() -> None:
    settings = replace(SETTINGS, first_order_value=Decimal("500"))
    yen = replace(CLEAN, currency="JPY", earlier_orders_by_email=0, total=499)
    assert codes(yen, settings) == []
    assert codes(replace(yen, total=500), settings) == ["first_order_high_value"]
    usd = replace(CLEAN, earlier_orders_by_email=0, total=49_999)
    assert codes(usd, settings) == []


def test_velocity_below_the_limit_is_quiet() -> None:
    assert codes(replace(CLEAN, recent_by_email=2, recent_by_ip=2, recent_by_address=2)) == []


def test_channel_saying_low_adds_nothing() -> None:
    assert codes(replace(CLEAN, channel_risk="low")) == []


def test_levels_follow_the_thresholds() -> None:
    s = RiskSettings(medium_score=40, high_score=70)
    assert [level_of(n, s) for n in (0, 39, 40, 69, 70, 100)] == [
        "low",
        "low",
        "medium",
        "medium",
        "high",
        "high",
    ]


def test_the_issue_example_is_high() -> None:
    facts = replace(
        CLEAN,
        total=200_000,
        earlier_orders_by_email=0,
        billing_country="GB",
        disposable_domain="mailinator.com",
        forwarder="shipito",
    )
    assert assess(facts, SETTINGS).level == "high"


FACTS = st.builds(
    RiskFacts,
    total=st.integers(0, 10**12),
    currency=st.sampled_from(["USD", "JPY", "EUR", "KWD"]),
    shipping_country=st.sampled_from(["US", "GB", "DE"]),
    shipping_postal=st.one_of(st.none(), st.sampled_from(["98101", "10001", "SW1A 1AA"])),
    billing_country=st.one_of(st.none(), st.sampled_from(["US", "GB", "DE"])),
    billing_postal=st.one_of(st.none(), st.sampled_from(["98101", "10001"])),
    earlier_orders_by_email=st.one_of(st.none(), st.integers(0, 1)),
    recent_by_email=st.integers(0, 50),
    recent_by_address=st.integers(0, 50),
    recent_by_ip=st.integers(0, 50),
    disposable_domain=st.one_of(st.none(), st.just("mailinator.com")),
    forwarder=st.one_of(st.none(), st.just("shipito")),
    postal_problem=st.one_of(st.none(), st.just("mismatch")),
    channel_risk=st.one_of(st.none(), st.sampled_from(["low", "medium", "high"])),
)


@given(FACTS, st.integers(1, 100), st.integers(1, 100))
def test_score_is_bounded_and_deterministic(facts: RiskFacts, a: int, b: int) -> None:
    settings = RiskSettings(medium_score=min(a, b), high_score=max(a, b))
    first, second = assess(facts, settings), assess(facts, settings)
    assert first == second
    assert 0 <= first.score <= 100
    assert first.score == min(100, sum(s.points for s in first.signals))
    assert first.level == level_of(first.score, settings)
    assert len({s.code for s in first.signals}) == len(first.signals)
