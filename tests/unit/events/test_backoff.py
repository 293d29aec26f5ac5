"""Retry backoff for the outbox relay: base, doubling, capped."""

from __future__ import annotations

from datetime import timedelta
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from podium.events.model import backoff_delay


@pytest.mark.parametrize(
    ("attempts", "seconds"), [(1, 2.0), (2, 4.0), (3, 8.0), (4, 16.0), (5, 32.0)]
)
def test_backoff_starts_at_the_base_and_doubles(attempts: int, seconds: float) -> None:
    assert backoff_delay(attempts, base_seconds=2.0) == timedelta(seconds=seconds)


def test_each_attempt_waits_twice_as_long_as_the_one_before() -> None:
    delays = [backoff_delay(n, base_seconds=0.5) for n in range(1, 10)]

    assert all(later == earlier * 2 for earlier, later in pairwise(delays))


def test_backoff_is_capped() -> None:
    assert backoff_delay(6, base_seconds=1.0, cap_seconds=10.0) == timedelta(seconds=10)
    assert backoff_delay(4, base_seconds=1.0, cap_seconds=10.0) == timedelta(seconds=8)


def test_default_cap_is_an_hour() -> None:
    assert backoff_delay(12, base_seconds=1.0) == timedelta(seconds=2048)
    assert backoff_delay(13, base_seconds=1.0) == timedelta(hours=1)


def test_zero_or_negative_attempts_wait_the_base() -> None:
    assert backoff_delay(0, base_seconds=3.0) == timedelta(seconds=3)
    assert backoff_delay(-5, base_seconds=3.0) == timedelta(seconds=3)


def test_a_huge_attempt_count_does_not_overflow() -> None:
    assert backoff_delay(10**9, base_seconds=1.0) == timedelta(hours=1)


def test_a_base_above_the_cap_is_capped_from_the_first_attempt() -> None:
    assert backoff_delay(1, base_seconds=7200.0) == timedelta(hours=1)


@settings(max_examples=100)
@given(
    attempts=st.integers(min_value=1, max_value=200),
    base=st.floats(min_value=0.001, max_value=120.0),
    cap=st.floats(min_value=1.0, max_value=86_400.0),
)
def test_backoff_never_shrinks_and_never_exceeds_the_cap(
    attempts: int, base: float, cap: float
) -> None:
    now = backoff_delay(attempts, base, cap)
    after = backoff_delay(attempts + 1, base, cap)

    assert timedelta(0) < now <= after
    assert after <= timedelta(seconds=cap)
