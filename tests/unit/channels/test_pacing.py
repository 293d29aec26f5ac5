"""Pacing stock pushes to a platform's rate budget, and batching them (pure)."""

from __future__ import annotations

import pytest

from podium.channels.pacing import Backoff, Pacer, PushBudget


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


# Shopify Standard: 100 points a second, 1,000 in the bucket, 13 per inventorySetQuantities.
STANDARD = PushBudget(calls_per_second=100 / 13, burst=1000 / 13, max_batch=250)


def test_a_full_bucket_lets_calls_out_at_once_then_paces_them_at_the_restore_rate() -> None:
    clock = Clock()
    pacer = Pacer(PushBudget(calls_per_second=2.0, burst=3.0, max_batch=10), clock)
    for _ in range(3):
        assert pacer.wait() == 0.0
        pacer.spend()
    assert pacer.wait() == pytest.approx(0.5)
    clock.now += 0.5
    assert pacer.wait() == 0.0
    pacer.spend()
    assert pacer.wait() == pytest.approx(0.5)


def test_under_sustained_load_calls_never_exceed_the_budget() -> None:
    clock = Clock()
    budget = STANDARD.share(0.8)
    pacer = Pacer(budget, clock)
    calls = 0
    while clock.now < 160.0:  # a minute of marks arriving all the time
        wait = pacer.wait()
        if wait > 0:
            clock.now += wait
            continue
        pacer.spend()
        calls += 1
    allowed = budget.burst + 60 * budget.calls_per_second
    assert calls <= allowed + 1
    assert calls >= 60 * budget.calls_per_second  # and it uses what it may


def test_the_share_leaves_room_for_other_calls_and_keeps_at_least_one_in_a_burst() -> None:
    half = STANDARD.share(0.5)
    assert half.calls_per_second == pytest.approx(50 / 13)
    assert half.max_batch == 250
    tiny = PushBudget(0.5, 1.0, 10).share(0.1)
    assert tiny.burst == 1.0 and tiny.calls_per_second == pytest.approx(0.05)


def test_a_throttle_empties_the_bucket_so_the_next_call_waits() -> None:
    clock = Clock()
    pacer = Pacer(PushBudget(calls_per_second=4.0, burst=10.0, max_batch=10), clock)
    assert pacer.wait() == 0.0
    pacer.slow_down()
    assert pacer.wait() == pytest.approx(0.25)


def test_a_new_budget_from_the_platform_applies_from_now() -> None:
    clock = Clock()
    pacer = Pacer(PushBudget(calls_per_second=10.0, burst=10.0, max_batch=10), clock)
    pacer.retune(PushBudget(calls_per_second=1.0, burst=2.0, max_batch=10))
    pacer.spend(2)
    assert pacer.wait() == pytest.approx(1.0)


def test_failures_back_off_doubling_up_to_a_ceiling_and_reset_on_success() -> None:
    backoff = Backoff(first=1.0, ceiling=5.0, rng=lambda: 1.0)  # the jitter at its ceiling
    assert [backoff.failed() for _ in range(5)] == [1.0, 2.0, 4.0, 5.0, 5.0]
    backoff.succeeded()
    assert backoff.failed() == 1.0


def test_the_back_off_is_jittered_but_never_shorter_than_the_first_delay() -> None:
    backoff = Backoff(first=1.0, ceiling=30.0, rng=lambda: 0.0)
    assert [backoff.failed() for _ in range(3)] == [1.0, 1.0, 1.0]
    delays = set()
    for _ in range(20):
        spread = Backoff(first=1.0, ceiling=30.0)
        delays.add([spread.failed() for _ in range(6)][-1])  # up to 30 s, jittered
    assert len(delays) > 5 and all(1.0 <= d <= 30.0 for d in delays)
