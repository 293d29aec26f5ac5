"""The waiting room: which SKUs a channel has just been refused for want of stock, in memory.

Once a SKU's available stock is gone, every further order for it would lock the SKU's stock
row, find nothing, and roll back: a sold-out flash-sale product would then queue the rest of
the shop behind its row. Placement marks ``(channel, sku)`` sold out when the normal path
refuses an order for lack of stock (available 0), and refuses the next orders for it from this
map, with the very same 409, until the mark is lifted:

- at once, in this process, when any stock of the SKU goes up (an adjustment, a receipt, a
  return, a transfer in, a released or cancelled reservation, a lower safety stock): the
  ledger write registers the lift to run after its commit;
- by age everywhere else: a mark lives ``TTL`` seconds (0.5 s), so a change made by another
  process (or a catalogue change: a channel's warehouses, a warehouse reopened) is seen by the
  next order at most that late; the first order after expiry takes the normal path and marks
  the SKU again if it is still sold out.

A refusal that read the stock before a concurrent increase committed must not mark the SKU
after that increase's lift ran: marks carry the SKU's lift generation read before the refused
transaction began, and are dropped if a lift happened since. Marks are per database engine, so
two databases in one process (tests) never share them.
"""

from __future__ import annotations

import os
import threading
import time
import weakref
from collections.abc import Callable, Iterable, Mapping

from sqlalchemy import Connection, Engine

from podium.db.database import after_commit
from podium.errors import InsufficientStock

__all__ = ["SoldOut", "lift_after_commit", "sold_out"]

TTL = 0.5


class SoldOut:
    """Sold-out marks of one database, shared by the threads of a process."""

    def __init__(self, ttl: float = TTL, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self._clock = clock
        self._lock = threading.Lock()
        self._marks: dict[tuple[str, str], float] = {}
        self._lifts: dict[str, int] = {}
        self.refused = 0  # orders refused from memory (for benchmarks and tests)
        # PODIUM_WAITING_ROOM=off: every order takes the normal path (benchmarks compare).
        self.enabled = os.environ.get("PODIUM_WAITING_ROOM", "off") == "on"

    def generations(self, skus: Iterable[str]) -> dict[str, int]:
        """The lift generation of each SKU: read before a placement's transaction begins."""
        lifts = self._lifts
        return {s: lifts.get(s, 0) for s in skus}

    def refusal(self, channel: str, demand: Mapping[str, int]) -> InsufficientStock | None:
        """The 409 the normal path would answer, when every SKU of ``demand`` is marked sold
        out on ``channel``; None otherwise (then the normal path decides)."""
        if not demand or not self._marks or not self.enabled:
            return None
        now = self._clock()
        marks = self._marks
        for sku in demand:
            at = marks.get((channel, sku))
            if at is None or now - at > self.ttl:
                return None
        self.refused += 1
        return InsufficientStock(
            "Not enough stock to place this order.",
            details={
                "lines": [
                    {"sku": sku, "requested": demand[sku], "available": 0} for sku in sorted(demand)
                ]
            },
        )

    def mark(self, channel: str, skus: Iterable[str], generations: Mapping[str, int]) -> None:
        """Mark SKUs the normal path just found with nothing available for ``channel``, unless
        their stock went up since ``generations`` were read."""
        now = self._clock()
        with self._lock:
            for sku in skus:
                if self._lifts.get(sku, 0) == generations.get(sku, -1):
                    self._marks[(channel, sku)] = now

    def lift(self, skus: Iterable[str]) -> None:
        """Stock of these SKUs went up: the next order takes the normal path."""
        with self._lock:
            wanted = set(skus)
            for sku in wanted:
                self._lifts[sku] = self._lifts.get(sku, 0) + 1
            if self._marks:
                for key in [k for k in self._marks if k[1] in wanted]:
                    del self._marks[key]


_ROOMS: weakref.WeakKeyDictionary[Engine, SoldOut] = weakref.WeakKeyDictionary()
_ROOMS_LOCK = threading.Lock()


def sold_out(engine: Engine) -> SoldOut:
    """The waiting room of the database behind ``engine`` in this process."""
    room = _ROOMS.get(engine)
    if room is None:
        with _ROOMS_LOCK:
            room = _ROOMS.get(engine)
            if room is None:
                room = _ROOMS[engine] = SoldOut()
    return room


def lift_after_commit(conn: Connection, skus: Iterable[str]) -> None:
    """Lift the SKUs' marks once the caller's transaction commits (at once outside one)."""
    wanted = sorted(set(skus))
    if not wanted:
        return
    room = sold_out(conn.engine)
    if not after_commit(conn, lambda: room.lift(wanted)):
        room.lift(wanted)
