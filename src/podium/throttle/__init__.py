"""Rate limits every process agrees on: fixed-window counters kept in the database."""

from podium.throttle.model import (
    LOGIN_PER_ACCOUNT,
    LOGIN_PER_ADDRESS,
    LOOKUP_PER_ADDRESS,
    LOOKUP_PER_ORDER,
    RETURNS_PER_ADDRESS,
    RETURNS_PER_ORDER,
)
from podium.throttle.service import (
    Throttle,
)

__all__ = [
    "LOGIN_PER_ACCOUNT",
    "LOGIN_PER_ADDRESS",
    "LOOKUP_PER_ADDRESS",
    "LOOKUP_PER_ORDER",
    "RETURNS_PER_ADDRESS",
    "RETURNS_PER_ORDER",
    "Throttle",
]
