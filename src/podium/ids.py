"""Identifiers: time-ordered, URL-safe strings with a type prefix (``ord_01J…``).

A ULID-style layout (48-bit milliseconds + 80 random bits, Crockford base32) sorts by creation
time, which makes it a good cursor for pagination.
"""

from __future__ import annotations

import os
import threading
import time

__all__ = ["new_id"]

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def _encode(value: int, length: int) -> str:
    chars = []
    for _ in range(length):
        chars.append(_ALPHABET[value & 31])
        value >>= 5
    return "".join(reversed(chars))


_lock = threading.Lock()
_last = [0, 0]  # the last (milliseconds, random part) handed out by this process


def new_id(prefix: str) -> str:
    """A new id such as ``ord_01JD3Y6K2J7Q8V9W0X1Y2Z3A4B``.

    Within one process ids are strictly increasing, even inside one millisecond (the random
    part is incremented, as in monotonic ULIDs).
    """
    with _lock:
        millis = time.time_ns() // 1_000_000
        if millis <= _last[0]:
            millis, rand = _last[0], _last[1] + 1
        else:
            rand = int.from_bytes(os.urandom(10), "big") >> 1  # room to increment
        _last[0], _last[1] = millis, rand
    return f"{prefix}_{_encode(millis, 10)}{_encode(rand, 16)}"
