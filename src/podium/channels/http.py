"""Calling a platform politely: client-side rate limits, 429 + Retry-After, retries on 5xx."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import httpx

from podium.channels.connector import PlatformError
from podium.resilience import parse_retry_after

__all__ = ["Bucket", "Caller", "retry_after_seconds"]


class Bucket:
    """A token bucket: ``rate`` tokens a second up to ``burst``; ``take`` waits for tokens."""

    def __init__(self, rate: float, burst: float) -> None:
        self.rate, self.burst = rate, burst
        self.tokens = burst
        self.stamp = time.monotonic()
        self.lock = threading.Lock()

    def take(self, n: float = 1.0, sleep: Callable[[float], None] = time.sleep) -> float:
        with self.lock:
            now = time.monotonic()
            self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
            self.stamp = now
            wait = 0.0 if self.tokens >= n else (n - self.tokens) / self.rate
            self.tokens -= n
        if wait > 0:
            sleep(wait)
        return wait

    def try_take(self, n: float = 1.0) -> bool:
        """Take tokens only if there are enough now (a server enforcing a limit)."""
        with self.lock:
            now = time.monotonic()
            self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
            self.stamp = now
            if self.tokens < n:
                return False
            self.tokens -= n
            return True

    def set_available(self, available: float) -> None:
        """The platform told us what is left (Shopify's throttleStatus)."""
        with self.lock:
            self.tokens = min(self.burst, available)
            self.stamp = time.monotonic()


def retry_after_seconds(response: httpx.Response, default: float) -> float:
    """The response's ``Retry-After`` (seconds or an HTTP date), or ``default``."""
    found = parse_retry_after(response.headers.get("Retry-After"), default)
    return default if found is None else found


class Caller:
    """One HTTP client for every platform call; waits out 429s (up to ``max_wait`` seconds
    in all) and retries 5xx and transport errors a few times with backoff."""

    def __init__(
        self,
        client: httpx.Client | None = None,
        *,
        attempts: int = 5,
        max_wait: float = 10.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.client = client or httpx.Client(timeout=10.0)
        self.attempts = attempts
        self.max_wait = max_wait
        self.sleep = sleep
        self.throttled = 0  # 429s seen, for health and benchmarks
        self._unrecorded: dict[str, int] = {}  # per channel, until its health row records them
        self._lock = threading.Lock()

    def note_throttled(self, channel: str | None) -> None:
        """The platform throttled a call (429, or Shopify's THROTTLED) made for ``channel``."""
        with self._lock:
            self.throttled += 1
            if channel is not None:
                self._unrecorded[channel] = self._unrecorded.get(channel, 0) + 1

    def take_throttled(self, channel: str) -> int:
        """Throttles of ``channel`` not yet recorded in its health row (and forget them)."""
        with self._lock:
            return self._unrecorded.pop(channel, 0)

    def send(
        self, method: str, url: str, *, channel: str | None = None, **kw: Any
    ) -> httpx.Response:
        waited = 0.0
        last = ""
        retry_after: float | None = None
        for attempt in range(self.attempts):
            try:
                response = self.client.request(method, url, **kw)
            except httpx.TransportError as exc:
                last = f"{type(exc).__name__}: {exc}"
                delay = 0.1 * 2**attempt
            else:
                if response.status_code == 429:
                    self.note_throttled(channel)
                    delay = retry_after = retry_after_seconds(response, 1.0)
                    last = f"429 from {url}"
                elif response.status_code >= 500:
                    retry_after = None
                    delay = 0.1 * 2**attempt
                    last = f"{response.status_code} from {url}"
                elif response.status_code >= 400:
                    raise PlatformError(
                        f"{method} {url} answered {response.status_code}: {response.text[:300]}",
                        details={"status": response.status_code},
                    )
                else:
                    return response
            if waited + delay > self.max_wait:
                break
            waited += delay
            self.sleep(delay)
        # A 429 whose Retry-After outlasts our wait: the caller (the pusher) waits it out.
        details: dict[str, Any] = {"url": url}
        if retry_after is not None and last.startswith("429"):
            details["retry_after"] = retry_after
        raise PlatformError(f"{method} {url} failed: {last}", details=details)
