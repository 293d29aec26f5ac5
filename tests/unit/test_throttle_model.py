"""Sliding-window estimates over fixed windows (pure)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from podium.throttle.model import Limit, counter_key, estimate, retry_after, window_start

LIMIT = Limit("t", 5, 60)


def test_a_burst_across_a_window_edge_is_still_one_burst() -> None:
    # 3 failures at the end of one window, 2 right at the edge: 5 within a few seconds.
    assert retry_after(3, 2, 120.0, LIMIT) > 0
    assert retry_after(3, 1, 120.0, LIMIT) == 0
    assert retry_after(3, 2, 150.0, LIMIT) == 0  # half the old window has passed


def test_the_wait_ends_when_the_estimate_drops_under_the_limit() -> None:
    wait = retry_after(0, 5, 130.0, LIMIT)
    assert wait > 0
    later = 130.0 + wait
    previous, current = (5, 0) if window_start(later, 60) > 120 else (0, 5)
    assert estimate(previous, current, later, 60) < LIMIT.limit


@given(st.integers(0, 50), st.integers(0, 50), st.integers(0, 4 * 10**9).map(lambda n: n / 4))
def test_after_the_wait_the_same_counts_are_under_the_limit(
    previous: int, current: int, now: float
) -> None:
    wait = retry_after(previous, current, now, LIMIT)
    if wait == 0:
        assert estimate(previous, current, now, 60) < LIMIT.limit
        return
    later = now + wait
    shift = (window_start(later, 60) - window_start(now, 60)) // 60
    counts = {0: (previous, current), 1: (current, 0)}.get(shift, (0, 0))
    assert estimate(*counts, later, 60) < LIMIT.limit


def test_keys_hide_the_subject_and_fit_their_column() -> None:
    key = counter_key(LIMIT, "someone@example.com|203.0.113.9" * 20)
    assert "example" not in key and len(key) <= 200
