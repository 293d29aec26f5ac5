"""Sign-in throttling (pure, with a clock the test controls)."""

from __future__ import annotations

from podium.web.ratelimit import LoginLimiter


def test_five_failures_in_a_minute_block_the_sixth_attempt() -> None:
    limiter = LoginLimiter(max_failures=5, window_seconds=60)
    for t in range(5):
        assert limiter.blocked("ann|1.2.3.4", t) == 0
        limiter.failed("ann|1.2.3.4", t)
    assert limiter.blocked("ann|1.2.3.4", 10) == 50
    assert limiter.blocked("bob|1.2.3.4", 10) == 0  # another e-mail is not affected
    assert limiter.blocked("ann|5.6.7.8", 10) == 0  # nor another address


def test_the_block_lifts_as_failures_age_out_of_the_window() -> None:
    limiter = LoginLimiter(max_failures=2, window_seconds=60)
    limiter.failed("k", 0)
    limiter.failed("k", 30)
    assert limiter.blocked("k", 59) > 0
    assert limiter.blocked("k", 60) == 0  # the first failure is a minute old


def test_a_success_forgets_the_failures() -> None:
    limiter = LoginLimiter(max_failures=2, window_seconds=60)
    limiter.failed("k", 0)
    limiter.succeeded("k")
    limiter.failed("k", 1)
    assert limiter.blocked("k", 2) == 0
