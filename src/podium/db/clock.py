"""The time Podium stamps on what it writes (timelines, ledger movements, holds, events).

Every service asks :func:`utcnow`; by default that is the wall clock. A caller that replays
history, such as ``podium demo`` simulating a day that has already passed, runs the use cases
inside :func:`clock_set` so each row says when it happened in the story, not when the story was
told. The override is a context variable, so it is scoped to the code that set it: other
threads (the relay, a server's requests) keep the wall clock.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

__all__ = ["Clock", "clock_set", "utcnow"]

Clock = Callable[[], datetime]

_CLOCK: ContextVar[Clock | None] = ContextVar("podium_clock", default=None)


def utcnow() -> datetime:
    clock = _CLOCK.get()
    return clock() if clock is not None else datetime.now(UTC)


@contextmanager
def clock_set(clock: Clock) -> Iterator[None]:
    """Stamp everything written inside the block with ``clock()`` (an aware UTC datetime)."""
    token = _CLOCK.set(clock)
    try:
        yield
    finally:
        _CLOCK.reset(token)
