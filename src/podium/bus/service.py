"""The relay's ``bus`` subscriber: publishes each webhook-visible event to the company's
message bus (NATS JetStream or RabbitMQ), and ``podium bus check``.

The relay calls ``on_events`` with a pass's due events, oldest first. Each aggregate's events
go out one after another, each waiting for the broker's confirmation before the next;
aggregates go out side by side. Any failure fails the call: the relay retries the whole pass's
events with backoff (those already published go again; consumers dedupe on the event id,
and JetStream drops them itself within its duplicate window), and an aggregate's later events
wait behind a failed one, so per-aggregate order holds at least once.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from podium import metrics
from podium.bus.jetstream import NatsPublisher
from podium.bus.loop import LoopThread
from podium.bus.model import NATS, Message, by_aggregate, check_message, kind_of, message, redact
from podium.bus.rabbitmq import AmqpPublisher
from podium.config import Settings
from podium.db.database import utcnow
from podium.events import Envelope, Unavailable

__all__ = ["Bus", "BusState", "CheckResult"]

log = logging.getLogger("podium.bus")

FAIL_FAST_SECONDS = 5.0


class Publisher(Protocol):
    @property
    def connected(self) -> bool: ...
    async def connect(self) -> None: ...
    async def send(self, m: Message) -> None: ...
    async def reset(self) -> None: ...
    async def close(self) -> None: ...
    def refused(self, exc: BaseException) -> bool: ...


@dataclass(frozen=True, slots=True)
class BusState:
    """What ``/api/v1/bus`` and ``/health`` show (from memory: no broker round trip)."""

    kind: str
    url: str
    target: str  # the JetStream stream and subjects, or the RabbitMQ exchange
    connected: bool
    published: int
    last_published_at: datetime | None
    last_error: str | None
    last_error_at: datetime | None

    @property
    def status(self) -> str:
        """``up`` (connected), ``down`` (the last attempt failed) or ``idle`` (not connected
        yet: it connects when the first event is due)."""
        if self.connected:
            return "up"
        return "down" if self.last_error is not None else "idle"


@dataclass(frozen=True, slots=True)
class CheckResult:
    kind: str
    url: str
    target: str
    message_id: str
    seconds: float


class Bus:
    def __init__(
        self,
        url: str,
        *,
        prefix: str,
        stream: str,
        timeout: float,
        event_types: Iterable[str],
    ) -> None:
        self.kind = kind_of(url)
        self.url = url
        self.prefix = prefix
        self.timeout = timeout
        self.event_types = frozenset(event_types)
        self.publisher: Publisher = (
            NatsPublisher(url, stream=stream, prefix=prefix, timeout=timeout)
            if self.kind == NATS
            else AmqpPublisher(url, prefix=prefix, timeout=timeout)
        )
        self.target = (
            f"stream {stream}, subjects {prefix}.>"
            if self.kind == NATS
            else f"topic exchange {prefix}"
        )
        # After the broker failed to answer, passes fail at once for a moment instead of each
        # waiting out a connect timeout while the relay's other subscribers wait behind it.
        self.fail_fast_seconds = min(FAIL_FAST_SECONDS, timeout)
        self._down_until = 0.0
        self._loop = LoopThread("podium-bus")
        self._lock = threading.Lock()  # one relay pass publishes at a time
        self._published = 0
        self._last_published_at: datetime | None = None
        self._last_error: str | None = None
        self._last_error_at: datetime | None = None

    @classmethod
    def from_settings(cls, settings: Settings, event_types: Iterable[str]) -> Bus | None:
        """The bus the settings name (``PODIUM_BUS_URL``), or None when unset."""
        if not settings.bus_url:
            return None
        return cls(
            settings.bus_url,
            prefix=settings.bus_prefix,
            stream=settings.bus_stream,
            timeout=settings.bus_timeout_seconds,
            event_types=event_types,
        )

    def on_events(self, events: list[Envelope]) -> None:
        """The relay's batch subscriber: returns once the broker confirmed every event, or
        raises (the relay retries them)."""
        messages = [message(e, self.prefix) for e in events if e.type in self.event_types]
        if messages:
            self.publish(messages)

    def publish(self, messages: list[Message]) -> None:
        with self._lock:
            if not self.publisher.connected and time.monotonic() < self._down_until:
                raise Unavailable(
                    f"{self.kind} bus at {redact(self.url)}: {self._last_error} "
                    f"(not tried again within {self.fail_fast_seconds:g} s of a failure)"
                )
            try:
                # Connecting, then every aggregate's messages: the wait is bounded per step
                # by the clients' own timeouts, and the whole by this one.
                budget = self.timeout * (2 + max(len(g) for g in by_aggregate(messages)))
                self._loop.run(self._publish(messages), budget)
            except Exception as exc:
                metrics.BUS_FAILURES.labels(self.kind).inc()
                self._last_error = f"{type(exc).__name__}: {exc}" if str(exc) else repr(exc)
                self._last_error_at = utcnow()
                try:
                    self._loop.run(self.publisher.reset(), self.timeout)
                except Exception as reset_exc:  # the first failure is the one to report
                    log.debug("resetting the bus connection: %s", reset_exc)
                if self.publisher.refused(exc):
                    raise  # the broker refused a message: the relay dead-letters it in time
                self._down_until = time.monotonic() + self.fail_fast_seconds
                # The broker is away (or slow): retried until it is back, never dead-lettered.
                raise Unavailable(
                    f"{self.kind} bus at {redact(self.url)}: {self._last_error}"
                ) from exc
            metrics.BUS_PUBLISHED.labels(self.kind).inc(len(messages))
            self._published += len(messages)
            self._last_published_at = utcnow()
            self._last_error = None

    async def _publish(self, messages: list[Message]) -> None:
        await self.publisher.connect()
        results = await asyncio.gather(
            *(self._in_order(group) for group in by_aggregate(messages)), return_exceptions=True
        )
        failed = [r for r in results if isinstance(r, BaseException)]
        if failed:
            raise failed[0]

    async def _in_order(self, group: list[Message]) -> None:
        for m in group:
            await self.publisher.send(m)

    def check(self) -> CheckResult:
        """Connect (making the stream or exchange if missing), publish one ``bus.check``
        message and wait for the broker's confirmation."""
        started = utcnow()
        check_id = f"check-{uuid.uuid4().hex}"
        self.publish([check_message(check_id, self.prefix, started)])
        seconds = (utcnow() - started).total_seconds()
        return CheckResult(self.kind, redact(self.url), self.target, check_id, seconds)

    def state(self) -> BusState:
        return BusState(
            kind=self.kind,
            url=redact(self.url),
            target=self.target,
            connected=self.publisher.connected,
            published=self._published,
            last_published_at=self._last_published_at,
            last_error=self._last_error,
            last_error_at=self._last_error_at,
        )

    def close(self) -> None:
        try:
            self._loop.run(self.publisher.close(), self.timeout)
        except Exception as exc:  # shutting down: say so, carry on
            log.warning("closing the bus connection: %s", exc)
        self._loop.stop()
