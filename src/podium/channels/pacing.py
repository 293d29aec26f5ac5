"""Pacing a channel's stock pushes to the platform's rate budget (pure: no I/O, a clock given).

A platform allows so many calls a second (Shopify: cost points restored at its plan's rate,
100 a second on Standard; one ``inventorySetQuantities`` of up to 250 quantities costs 13),
with a burst on top. The pusher asks ``Pacer.wait`` how long until it may call, spends a call
when it does, and puts every mark waiting by then (up to ``max_batch``) into that one call:
the busier the channel, the fuller each call, never more calls than the budget. A platform
that throttles anyway (``slow_down``) empties the pacer's bucket, so the next call waits.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from podium.resilience import full_jitter

__all__ = ["DEFAULT_BUDGET", "Backoff", "Pacer", "PushBudget"]


@dataclass(frozen=True, slots=True)
class PushBudget:
    """What one channel's platform allows stock pushes: calls a second, calls in a burst, and
    how many listings one call may carry."""

    calls_per_second: float
    burst: float
    max_batch: int

    def share(self, fraction: float) -> PushBudget:
        """The part of the budget stock pushes may use (at least one call in a burst)."""
        return PushBudget(
            max(0.01, self.calls_per_second * fraction),
            max(1.0, self.burst * fraction),
            self.max_batch,
        )


# Platforms that say nothing of their budget: a call every half second, up to 100 listings.
DEFAULT_BUDGET = PushBudget(calls_per_second=2.0, burst=2.0, max_batch=100)


class Pacer:
    """A token bucket in calls: ``wait`` says how long until the next call is within budget."""

    def __init__(self, budget: PushBudget, clock: Callable[[], float] = time.monotonic) -> None:
        self.budget = budget
        self.clock = clock
        self.tokens = budget.burst
        self.stamp = clock()

    def _refill(self) -> None:
        now = self.clock()
        elapsed = max(0.0, now - self.stamp)
        self.tokens = min(self.budget.burst, self.tokens + elapsed * self.budget.calls_per_second)
        self.stamp = now

    def wait(self) -> float:
        """Seconds until one call is within budget (0: now)."""
        self._refill()
        if self.tokens >= 1.0 - 1e-9:  # float rounding must not leave a call waiting forever
            return 0.0
        return (1.0 - self.tokens) / self.budget.calls_per_second

    def spend(self, calls: int = 1) -> None:
        self._refill()
        self.tokens -= calls

    def slow_down(self) -> None:
        """The platform throttled: start again from an empty bucket."""
        self._refill()
        self.tokens = min(self.tokens, 0.0)

    def retune(self, budget: PushBudget) -> None:
        """The platform told us its budget (e.g. Shopify's restore rate): use it from now."""
        if budget != self.budget:
            self._refill()
            self.budget = budget
            self.tokens = min(self.tokens, budget.burst)


class Backoff:
    """After failures, wait ``first`` seconds, then a full-jitter delay of up to 2, 4 … up to
    ``ceiling`` seconds (never less than ``first``) before trying again: channels that failed
    together do not all come back in the same second."""

    def __init__(
        self,
        first: float = 1.0,
        ceiling: float = 30.0,
        rng: Callable[[], float] = random.random,
    ) -> None:
        self.first = first
        self.ceiling = ceiling
        self.rng = rng
        self.failures = 0

    def failed(self) -> float:
        """Record a failure; returns the delay before the next try."""
        self.failures += 1
        return max(self.first, full_jitter(self.failures, self.first, self.ceiling, self.rng))

    def succeeded(self) -> None:
        self.failures = 0
