"""The shared outage mechanism: full-jitter back-off, Retry-After, circuit breakers (fake clock)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from podium.resilience import (
    CLOSED,
    HALF_OPEN,
    OPEN,
    BreakerPolicy,
    Breakers,
    CircuitBreaker,
    CircuitOpen,
    Deadline,
    Timeouts,
    full_jitter,
    parse_retry_after,
)


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _breaker(clock: FakeClock, failures: int = 3) -> CircuitBreaker:
    return CircuitBreaker("hooks.example", BreakerPolicy(failures, 60.0, 30.0), clock)


def test_full_jitter_stays_under_the_exponential_ceiling_and_the_cap() -> None:
    assert full_jitter(1, 2.0, 100.0, lambda: 1.0) == 2.0
    assert full_jitter(4, 2.0, 100.0, lambda: 1.0) == 16.0
    assert full_jitter(30, 2.0, 100.0, lambda: 1.0) == 100.0
    assert full_jitter(4, 2.0, 100.0, lambda: 0.25) == 4.0
    assert full_jitter(4, 2.0, 100.0, lambda: 0.0) == 0.0
    assert full_jitter(10_000, 1.0, 5.0, lambda: 0.5) == 2.5  # no overflow


def test_full_jitter_spreads_retries_out() -> None:
    delays = {round(full_jitter(5, 1.0, 60.0), 3) for _ in range(50)}
    assert len(delays) > 10
    assert all(0 <= d <= 16.0 for d in delays)


def test_retry_after_reads_seconds_and_http_dates() -> None:
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after("1.5") == 1.5
    assert parse_retry_after("-3") == 0.0
    assert parse_retry_after(None, 2.0) == 2.0
    assert parse_retry_after("soon", 2.0) == 2.0
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=120), usegmt=True)
    assert 100 < (parse_retry_after(later) or 0) <= 121


def test_timeouts_never_let_a_phase_outlast_the_total() -> None:
    t = Timeouts(connect=5, read=10, total=3).httpx_timeout()
    assert t.connect == 3 and t.read == 3
    clock = FakeClock()
    deadline = Deadline(2.0, clock)
    clock.now += 1.5
    assert deadline.left() == pytest.approx(0.5) and not deadline.passed()
    clock.now += 1
    assert deadline.left() == 0 and deadline.passed()


def test_a_circuit_opens_after_n_consecutive_failures_and_fails_fast() -> None:
    clock = FakeClock()
    b = _breaker(clock)
    for _ in range(2):
        assert b.allow()
        b.failed()
    assert b.state == CLOSED
    assert b.allow()
    b.failed()
    assert b.state == OPEN
    assert not b.allow()
    with pytest.raises(CircuitOpen) as refused:
        b.check()
    assert refused.value.retry_in == pytest.approx(30.0)


def test_a_success_resets_the_streak() -> None:
    clock = FakeClock()
    b = _breaker(clock)
    b.failed()
    b.failed()
    b.succeeded()
    b.failed()
    b.failed()
    assert b.state == CLOSED


def test_failures_spread_beyond_the_window_do_not_open_it() -> None:
    clock = FakeClock()
    b = _breaker(clock)
    b.failed()
    b.failed()
    clock.now += 61
    b.failed()  # the streak starts again
    assert b.state == CLOSED
    b.failed()
    b.failed()
    assert b.state == OPEN


def test_after_the_cool_down_one_probe_goes_out_and_its_success_closes_the_circuit() -> None:
    clock = FakeClock()
    b = _breaker(clock, failures=1)
    b.failed()
    clock.now += 29.9
    assert not b.allow()
    clock.now += 0.1
    assert b.state == HALF_OPEN
    assert b.allow()  # the probe
    assert not b.allow()  # only one at a time
    b.succeeded()
    assert b.state == CLOSED
    assert b.allow() and b.allow()


def test_a_failed_probe_opens_the_circuit_for_another_cool_down() -> None:
    clock = FakeClock()
    b = _breaker(clock, failures=1)
    b.failed()
    clock.now += 30
    assert b.allow()
    b.failed()
    assert b.state == OPEN
    assert b.retry_in() == pytest.approx(30.0)
    clock.now += 30
    assert b.allow()


def test_breakers_are_per_destination_and_report_their_state() -> None:
    clock = FakeClock()
    breakers = Breakers("webhook", BreakerPolicy(1, 60, 30), clock)
    breakers("dead.example").failed()
    assert breakers("dead.example") is breakers("dead.example")
    assert breakers("alive.example").allow()
    assert breakers.states() == {"dead.example": OPEN, "alive.example": CLOSED}
