"""Limits and their windows (pure).

A limit allows ``limit`` hits per ``window`` seconds per subject (an e-mail and address, an
address, an order number). Counters are kept per fixed window (starting at multiples of
``window`` since the epoch), one row per subject and window. The rate is the sliding-window
estimate: the previous window's count, weighted by how much of it still lies within the last
``window`` seconds, plus the current window's count. So a burst across a window's edge is still
seen as one burst.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from fractions import Fraction

__all__ = [
    "LOGIN_PER_ACCOUNT",
    "LOGIN_PER_ADDRESS",
    "LOOKUP_PER_ADDRESS",
    "LOOKUP_PER_ORDER",
    "RETURNS_PER_ADDRESS",
    "RETURNS_PER_ORDER",
    "Limit",
    "counter_key",
    "estimate",
    "retry_after",
    "window_start",
]


@dataclass(frozen=True, slots=True)
class Limit:
    name: str
    limit: int
    window: int  # seconds


# Failed sign-ins: per e-mail from one address, and per address across e-mails (one address
# guessing many accounts' passwords).
LOGIN_PER_ACCOUNT = Limit("login", 5, 60)
LOGIN_PER_ADDRESS = Limit("login-address", 20, 60)
# Customer return requests (no key): per address, and per order number, since order numbers
# are sequential and the e-mail is the only secret.
RETURNS_PER_ADDRESS = Limit("returns-address", 10, 600)
RETURNS_PER_ORDER = Limit("returns-order", 5, 600)
# The shopper's order look-up by number and e-mail (/track, and the returns portal): the same
# reasoning, counted apart from return requests.
LOOKUP_PER_ADDRESS = Limit("lookup-address", 10, 600)
LOOKUP_PER_ORDER = Limit("lookup-order", 5, 600)


def window_start(now: float, window: int) -> int:
    return int(now // window) * window


def estimate(previous: int, current: int, now: float, window: int) -> float:
    """Hits within the last ``window`` seconds, estimated from the two windows' counts."""
    elapsed = (now - window_start(now, window)) / window
    return previous * (1.0 - elapsed) + current


def retry_after(previous: int, current: int, now: float, limit: Limit) -> int:
    """Whole seconds until the estimate drops below the limit again (0 if it is below now)."""
    if estimate(previous, current, now, limit.window) < limit.limit:
        return 0
    # Exact fractions: the wait must end strictly past the point where the estimate equals
    # the limit, and float rounding could land it exactly there.
    start, window = Fraction(window_start(now, limit.window)), Fraction(limit.window)
    if current >= limit.limit:  # wait for this window to pass and its weight to drop enough
        until = start + window + window * (1 - Fraction(limit.limit, current + 1))
    else:  # the previous window's weight must drop until the sum is under the limit
        until = start + window * (1 - Fraction(limit.limit - current, previous))
    return max(1, math.floor(until - Fraction(now)) + 1)


def counter_key(limit: Limit, subject: str) -> str:
    """The row key: the limit's name and a digest of the subject, so e-mail addresses are not
    kept in the table and every key fits its column."""
    digest = hashlib.sha256(subject.encode("utf-8", "surrogatepass")).hexdigest()[:40]
    return f"{limit.name}:{digest}"
