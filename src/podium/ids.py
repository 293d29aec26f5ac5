"""Identifiers: time-ordered, URL-safe strings with a type prefix (``ord_01J…``).

A ULID-style layout (48-bit milliseconds + 80 random bits, Crockford base32) sorts by creation
time, which makes it a good cursor for pagination.
"""

from __future__ import annotations

import os
import time

__all__ = ["new_id"]

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def _encode(value: int, length: int) -> str:
    chars = []
    for _ in range(length):
        chars.append(_ALPHABET[value & 31])
        value >>= 5
    return "".join(reversed(chars))


def new_id(prefix: str) -> str:
    """A new id such as ``ord_01JD3Y6K2J7Q8V9W0X1Y2Z3A4B``."""
    millis = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(10), "big")
    return f"{prefix}_{_encode(millis, 10)}{_encode(rand, 16)}"
