"""Stock rules: pure, no I/O.

available = max(0, on_hand - reserved - safety_stock). Every change of on_hand or reserved is a
movement in the ledger; a balance is the sum of its movements.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field, StrictInt
from pydantic_core import PydanticCustomError

from podium.validation import Code, Input, Sku

__all__ = [
    "MAX_QUANTITY",
    "AdjustmentIn",
    "ChannelAvailability",
    "IncomingStock",
    "InventoryView",
    "Level",
    "LocationView",
    "Movement",
    "MovementKind",
    "MovementView",
    "SafetyStockIn",
    "TransferIn",
    "kind_for_reason",
]

MAX_QUANTITY = 1_000_000


class MovementKind(StrEnum):
    RECEIPT = "receipt"
    ADJUSTMENT = "adjustment"
    RESERVATION = "reservation"
    RELEASE = "release"
    SHIPMENT = "shipment"
    RETURN = "return"
    TRANSFER = "transfer"


@dataclass(frozen=True, slots=True)
class Level:
    sku: str
    warehouse: str
    on_hand: int
    reserved: int
    safety_stock: int

    @property
    def available(self) -> int:
        return max(0, self.on_hand - self.reserved - self.safety_stock)


@dataclass(frozen=True, slots=True)
class Movement:
    """One line of the ledger, before it is written."""

    sku: str
    warehouse: str
    kind: MovementKind
    on_hand_delta: int
    reserved_delta: int
    reason: str
    reference: str | None


_REASON = re.compile(r"^[a-z][a-z0-9_]{0,63}$")


def _reason(value: str) -> str:
    if not _REASON.match(value):
        raise PydanticCustomError("invalid_reason", "a reason is a snake_case word such as receipt")
    return value


Reason = Annotated[str, AfterValidator(_reason)]


def kind_for_reason(reason: str) -> MovementKind:
    """``receipt`` and ``return`` are their own kinds; any other reason is an adjustment."""
    if reason == "receipt":
        return MovementKind.RECEIPT
    if reason == "return":
        return MovementKind.RETURN
    return MovementKind.ADJUSTMENT


class AdjustmentIn(Input):
    sku: Sku
    warehouse: Code
    quantity: StrictInt = Field(
        ge=-MAX_QUANTITY, le=MAX_QUANTITY, description="Signed change of on-hand units."
    )
    reason: Reason = "adjustment"
    reference: str | None = Field(default=None, max_length=200)


class TransferIn(Input):
    sku: Sku
    from_warehouse: Code = Field(alias="from")
    to_warehouse: Code = Field(alias="to")
    quantity: StrictInt = Field(ge=1, le=MAX_QUANTITY)
    reference: str | None = Field(default=None, max_length=200)


class SafetyStockIn(Input):
    safety_stock: StrictInt = Field(ge=0, le=MAX_QUANTITY)


class LocationView(BaseModel):
    warehouse: str
    on_hand: int
    reserved: int
    safety_stock: int
    available: int


class ChannelAvailability(BaseModel):
    channel: str
    available: int
    # What the channel is told: available less its buffer, capped (issue 3).
    published: int | None = None


class IncomingStock(BaseModel):
    """Units on their way to a warehouse (filled in by the API from planning's open purchase
    orders and transfers in transit; inventory itself does not know them)."""

    warehouse: str
    quantity: int
    expected_on: date | None
    document: str


class InventoryView(BaseModel):
    sku: str
    on_hand: int
    reserved: int
    available: int
    locations: list[LocationView]
    channels: list[ChannelAvailability]
    incoming: list[IncomingStock] = []


class MovementView(BaseModel):
    id: str
    at: datetime
    sku: str
    warehouse: str
    kind: str
    on_hand_delta: int
    reserved_delta: int
    reason: str
    reference: str | None
    actor: str
