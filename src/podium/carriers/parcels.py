"""Parcels other capabilities track through carriers (an interface carriers owns).

A return label's parcel is tracked like a shipment's: the same EasyPost webhooks and the same
poll. Carriers knows nothing of returns; the composition root registers a ``ParcelTracker``
on the ``Carriers`` object (``carriers.track_also(...)``) and tracking asks each one in turn
about a tracking number that is no shipment label's, and lets each poll its own parcels.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from podium.carriers.model import Tracking
from podium.db.database import Database

if TYPE_CHECKING:
    from podium.carriers.accounts import Carriers

__all__ = ["ParcelTracker", "PollResult"]


@dataclass(frozen=True, slots=True)
class PollResult:
    checked: int
    updated: int
    failed: int


class ParcelTracker(Protocol):
    def apply(self, db: Database, tracking: Tracking, actor: str) -> str | None:
        """``updated``, ``no_change`` or ``unknown_tracking_number``; None when the tracking
        number is not one of this tracker's parcels."""
        ...

    def poll(self, db: Database, carriers: Carriers, *, limit: int) -> PollResult:
        """Ask the carriers about this tracker's parcels still on their way."""
        ...
