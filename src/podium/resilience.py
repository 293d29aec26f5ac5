"""Calling a platform that may be down: bounded timeouts, jittered back-off, circuit breakers.

One mechanism for every outgoing call (webhook receivers, channel platforms, carriers, SMTP):

- ``Timeouts``: connect, read and total bounds for one call (``httpx_timeout`` for httpx; the
  total is enforced by the caller with ``Deadline`` or a future's ``result(timeout=...)``).
- ``full_jitter``: exponential back-off with full jitter (a delay drawn uniformly between 0 and
  ``base·2^(n-1)`` capped), so the retries of many callers spread out instead of arriving
  together when the platform comes back.
- ``CircuitBreaker``: per destination. Closed; open after ``failures`` consecutive failures
  (timeouts count) within ``window`` seconds; after ``cooldown`` seconds one probe is let
  through (half-open); its success closes the circuit, its failure opens it again. While open,
  calls fail at once (``CircuitOpen``) instead of waiting out a timeout, so one dead receiver
  costs its own deliveries a retry, not everyone else's time.
- ``Breakers``: the breakers of one kind of destination, keyed by host, receiver URL or
  channel code, created on first use; their state is exported as the Prometheus gauge
  ``podium_circuit_state``.

State is per process and in memory: every call the breaker refuses is a durable retry (an
outbox event, a webhook delivery, a channel mark), so losing the state on restart only costs
one more probe per destination. Pure but for the clock and the metrics gauge.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from podium import metrics
from podium.config import Settings

__all__ = [
    "CLOSED",
    "HALF_OPEN",
    "OPEN",
    "BreakerPolicy",
    "Breakers",
    "CircuitBreaker",
    "CircuitOpen",
    "Deadline",
    "Timeouts",
    "full_jitter",
    "parse_retry_after",
]

CLOSED, HALF_OPEN, OPEN = "closed", "half_open", "open"
_GAUGE = {CLOSED: 0.0, HALF_OPEN: 1.0, OPEN: 2.0}


@dataclass(frozen=True, slots=True)
class Timeouts:
    """Bounds for one outgoing call, in seconds: to connect, between two reads, and in all."""

    connect: float = 5.0
    read: float = 10.0
    total: float = 30.0

    def httpx_timeout(self) -> httpx.Timeout:
        """httpx's per-phase bounds (no phase longer than the total)."""
        read = min(self.read, self.total)
        return httpx.Timeout(read, connect=min(self.connect, self.total), pool=self.total)


class Deadline:
    """The total bound of one call: ``left`` seconds remain (for a socket or a wait)."""

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.at = clock() + seconds

    def left(self) -> float:
        return max(0.0, self.at - self.clock())

    def passed(self) -> bool:
        return self.clock() >= self.at


def full_jitter(
    attempts: int,
    base: float,
    cap: float,
    rng: Callable[[], float] = random.random,
) -> float:
    """Seconds to wait after ``attempts`` failures (≥ 1): uniform in [0, min(cap, base·2^(n-1))).
    ``rng`` returning 1.0 gives the plain exponential ceiling (deterministic tests)."""
    ceiling = min(cap, base * 2.0 ** max(0, min(attempts - 1, 60)))
    return max(0.0, ceiling * min(1.0, max(0.0, rng())))


def parse_retry_after(value: str | None, default: float | None = None) -> float | None:
    """A ``Retry-After`` header in seconds (delta-seconds; an HTTP date counts from now)."""
    if value is None or not value.strip():
        return default
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return default
    return max(0.0, when.timestamp() - time.time())


class CircuitOpen(Exception):
    """The destination's circuit is open: no call was made. ``retry_in``: seconds to the probe."""

    def __init__(self, destination: str, retry_in: float) -> None:
        super().__init__(f"circuit open for {destination}; next probe in {retry_in:.1f}s")
        self.destination = destination
        self.retry_in = retry_in


@dataclass(frozen=True, slots=True)
class BreakerPolicy:
    """Open after ``failures`` consecutive failures within ``window`` seconds; probe after
    ``cooldown`` seconds."""

    failures: int = 5
    window: float = 60.0
    cooldown: float = 30.0

    @classmethod
    def of(cls, settings: Settings) -> BreakerPolicy:
        """The policy ``PODIUM_CIRCUIT_*`` configure."""
        return cls(
            settings.circuit_failures,
            settings.circuit_window_seconds,
            settings.circuit_cooldown_seconds,
        )


class CircuitBreaker:
    """One destination's circuit. Thread-safe; ``clock`` is monotonic seconds."""

    def __init__(
        self,
        destination: str,
        policy: BreakerPolicy,
        clock: Callable[[], float] = time.monotonic,
        on_change: Callable[[str, str], None] | None = None,
    ) -> None:
        self.destination = destination
        self.policy = policy
        self.clock = clock
        self.on_change = on_change
        self._state = CLOSED
        self._streak = 0
        self._streak_since = 0.0
        self._opened_at = 0.0
        self._probing = False
        self._lock = threading.Lock()

    @property
    def state(self) -> str:
        with self._lock:
            if self._state == OPEN and self.clock() - self._opened_at >= self.policy.cooldown:
                return HALF_OPEN  # the next call is the probe
            return self._state

    def retry_in(self) -> float:
        """Seconds until a call may go through (0 when closed or a probe is due)."""
        with self._lock:
            if self._state != OPEN:
                return 0.0
            return max(0.0, self._opened_at + self.policy.cooldown - self.clock())

    def allow(self) -> bool:
        """May a call go out now? In half-open, only one probe at a time."""
        with self._lock:
            if self._state == CLOSED:
                return True
            if self._state == OPEN:
                if self.clock() - self._opened_at < self.policy.cooldown:
                    return False
                self._move(HALF_OPEN)
            if self._probing:
                return False
            self._probing = True
            return True

    def check(self) -> None:
        """``allow`` or raise ``CircuitOpen``."""
        if not self.allow():
            raise CircuitOpen(self.destination, self.retry_in())

    def succeeded(self) -> None:
        with self._lock:
            self._streak = 0
            self._probing = False
            if self._state != CLOSED:
                self._move(CLOSED)

    def failed(self) -> None:
        with self._lock:
            now = self.clock()
            self._probing = False
            if self._state == HALF_OPEN:
                self._opened_at = now
                self._move(OPEN)
                return
            if self._streak == 0 or now - self._streak_since > self.policy.window:
                self._streak, self._streak_since = 0, now
            self._streak += 1
            if self._state == CLOSED and self._streak >= self.policy.failures:
                self._opened_at = now
                self._move(OPEN)

    def _move(self, state: str) -> None:
        self._state = state
        if self.on_change is not None:
            self.on_change(self.destination, state)


class Breakers:
    """The circuit breakers of one kind of destination (``kind``: webhook, channel, carrier,
    smtp), one per destination key, made on first use."""

    def __init__(
        self,
        kind: str,
        policy: BreakerPolicy | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.kind = kind
        self.policy = policy or BreakerPolicy()
        self.clock = clock
        self._breakers: dict[str, CircuitBreaker] = {}
        self._lock = threading.Lock()

    def __call__(self, destination: str) -> CircuitBreaker:
        with self._lock:
            found = self._breakers.get(destination)
            if found is None:
                found = self._breakers[destination] = CircuitBreaker(
                    destination, self.policy, self.clock, self._report
                )
            return found

    def states(self) -> dict[str, str]:
        """Every destination seen and its circuit's state."""
        with self._lock:
            breakers = list(self._breakers.values())
        return {b.destination: b.state for b in breakers}

    def _report(self, destination: str, state: str) -> None:
        metrics.CIRCUIT_STATE.labels(self.kind, destination).set(_GAUGE[state])
