"""Purchase orders and transfers, the pure part: their statuses and the moves between them,
and what a receipt does to the lines (no I/O)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from podium.errors import InvalidTransition, ValidationFailed

__all__ = [
    "OPEN_PO",
    "OPEN_TRANSFER",
    "LineState",
    "PoStatus",
    "TransferStatus",
    "after_receipt",
    "cover_day",
    "po_move",
    "receive",
    "transfer_move",
]


class PoStatus(StrEnum):
    DRAFT = "draft"
    SENT = "sent"
    PARTIALLY_RECEIVED = "partially_received"
    RECEIVED = "received"
    CANCELLED = "cancelled"


class TransferStatus(StrEnum):
    DRAFT = "draft"
    IN_TRANSIT = "in_transit"
    PARTIALLY_RECEIVED = "partially_received"
    RECEIVED = "received"
    CANCELLED = "cancelled"


# Statuses whose unreceived units are on their way (they count as incoming stock).
OPEN_PO = (PoStatus.DRAFT, PoStatus.SENT, PoStatus.PARTIALLY_RECEIVED)
OPEN_TRANSFER = (TransferStatus.IN_TRANSIT, TransferStatus.PARTIALLY_RECEIVED)

_PO_MOVES: dict[str, set[PoStatus]] = {
    "send": {PoStatus.DRAFT, PoStatus.SENT},
    "receive": {PoStatus.DRAFT, PoStatus.SENT, PoStatus.PARTIALLY_RECEIVED},
    "cancel": {PoStatus.DRAFT, PoStatus.SENT},
}
_PO_TARGET = {"send": "sent", "receive": "received", "cancel": "cancelled"}

_TRANSFER_MOVES: dict[str, set[TransferStatus]] = {
    "ship": {TransferStatus.DRAFT},
    "receive": {TransferStatus.IN_TRANSIT, TransferStatus.PARTIALLY_RECEIVED},
    "cancel": {TransferStatus.DRAFT},
}
_TRANSFER_TARGET = {"ship": "in_transit", "receive": "received", "cancel": "cancelled"}


def po_move(status: str, action: str) -> None:
    """Raise InvalidTransition unless a purchase order in ``status`` may take ``action``
    (send again is allowed; a PO that received anything can no longer be cancelled)."""
    if PoStatus(status) not in _PO_MOVES[action]:
        raise InvalidTransition("purchase order", status, _PO_TARGET[action])


def transfer_move(status: str, action: str) -> None:
    if TransferStatus(status) not in _TRANSFER_MOVES[action]:
        raise InvalidTransition("transfer", status, _TRANSFER_TARGET[action])


@dataclass(frozen=True, slots=True)
class LineState:
    sku: str
    quantity: int
    received: int

    @property
    def open(self) -> int:
        return max(0, self.quantity - self.received)


def receive(
    lines: Mapping[str, LineState], wanted: Mapping[str, int], *, allow_over: bool = False
) -> dict[str, int]:
    """The units to book per SKU for a receipt of ``wanted``; refuses (422, naming the SKU)
    a SKU not on the document, a quantity below 1, and more than is still open unless
    ``allow_over``."""
    if not wanted:
        raise ValidationFailed(
            "A receipt needs at least one line.", code="empty_receipt", details={"field": "lines"}
        )
    booked: dict[str, int] = {}
    for sku, units in wanted.items():
        line = lines.get(sku)
        if line is None:
            raise ValidationFailed(
                f"{sku} is not on this document.",
                code="unknown_line",
                details={"field": "lines", "sku": sku},
            )
        if units < 1:
            raise ValidationFailed(
                "A received quantity must be at least 1.",
                code="invalid_quantity",
                details={"field": "lines", "sku": sku},
            )
        if units > line.open and not allow_over:
            raise ValidationFailed(
                f"Receiving {units} of {sku} exceeds the {line.open} still open.",
                code="over_receipt",
                details={"field": "lines", "sku": sku, "open": line.open, "received": units},
            )
        booked[sku] = units
    return booked


def after_receipt(lines: Mapping[str, LineState], booked: Mapping[str, int]) -> str:
    """The status once ``booked`` is received: received when every line is complete."""
    done = all(line.received + booked.get(sku, 0) >= line.quantity for sku, line in lines.items())
    return "received" if done else "partially_received"


def cover_day(waves: list[tuple[date, int]], units: int) -> date | None:
    """The first expected day by which incoming waves (day, units) add up to ``units``; None
    when they never do (a pre-order's promised day)."""
    total = 0
    for day, quantity in sorted(waves):
        total += quantity
        if total >= units:
            return day
    return None
