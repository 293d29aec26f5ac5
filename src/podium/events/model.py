"""Domain events as written to the outbox: pure, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

__all__ = [
    "UNAVAILABLE_BACKOFF_CAP_SECONDS",
    "DomainEvent",
    "Envelope",
    "Unavailable",
    "backoff_delay",
]

# How long the relay waits at most between attempts while a subscriber's downstream is away.
UNAVAILABLE_BACKOFF_CAP_SECONDS = 60.0


class Unavailable(Exception):
    """A subscriber's downstream (a message broker…) is away: the relay retries the events
    with backoff capped at a minute and never dead-letters them for it, since nothing is wrong
    with the events themselves."""


@dataclass(frozen=True, slots=True)
class DomainEvent:
    """Something that happened, about one aggregate (an order, a SKU…)."""

    aggregate_type: str
    aggregate_id: str
    type: str
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Envelope:
    """A stored event as subscribers receive it."""

    id: int
    aggregate_type: str
    aggregate_id: str
    type: str
    payload: dict[str, Any]
    created_at: datetime
    attempt: int
    traceparent: str | None = None  # W3C trace context of the request that wrote it


def backoff_delay(attempts: int, base_seconds: float, cap_seconds: float = 3600.0) -> timedelta:
    """Exponential backoff: base, 2×base, 4×base… capped (``attempts`` already made, ≥ 1)."""
    exponent = max(0, attempts - 1)
    return timedelta(seconds=min(cap_seconds, base_seconds * (2 ** min(exponent, 30))))
