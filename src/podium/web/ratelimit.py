"""Sign-in throttling (pure): a few failures per minute per e-mail and address, then 429."""

from __future__ import annotations

import threading
from collections import deque

__all__ = ["LoginLimiter"]


class LoginLimiter:
    """Counts failed sign-ins per key in a sliding window; the caller passes the clock."""

    def __init__(self, max_failures: int = 5, window_seconds: float = 60.0) -> None:
        self.max_failures = max_failures
        self.window = window_seconds
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        failures = self._failures.setdefault(key, deque())
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        return failures

    def blocked(self, key: str, now: float) -> float:
        """Seconds until ``key`` may try again (0 when it may now)."""
        with self._lock:
            failures = self._recent(key, now)
            if len(failures) < self.max_failures:
                if not failures:
                    self._failures.pop(key, None)
                return 0.0
            return failures[0] + self.window - now

    def failed(self, key: str, now: float) -> None:
        with self._lock:
            if len(self._failures) > 100_000:  # a flood of distinct keys: forget the oldest
                self._failures.clear()
            self._recent(key, now).append(now)

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)
