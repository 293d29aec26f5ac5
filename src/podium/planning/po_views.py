"""Request and answer shapes for purchase orders, transfers, receipts and incoming stock."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field, StrictInt

from podium.numbers import JsonBool
from podium.validation import Code, Input, MoneyString, Sku

__all__ = [
    "MAX_LINES",
    "IncomingView",
    "PoFromSuggestionsIn",
    "PoLineIn",
    "PoLineView",
    "PurchaseOrderIn",
    "PurchaseOrderPatch",
    "PurchaseOrderView",
    "ReceiptIn",
    "ReceiptLineIn",
    "TransferIn",
    "TransferLineIn",
    "TransferLineView",
    "TransferView",
]

MAX_LINES = 500
MAX_UNITS = 1_000_000


class PoLineIn(Input):
    sku: Sku
    quantity: StrictInt = Field(ge=1, le=MAX_UNITS)
    unit_cost: MoneyString | None = Field(
        None, description="Defaults to the supplier's offer for the SKU."
    )


class PurchaseOrderIn(Input):
    supplier: Code
    warehouse: Code = Field(description="Where the goods are delivered.")
    lines: list[PoLineIn] = Field(min_length=1, max_length=MAX_LINES)
    expected_on: date | None = Field(
        None, description="Defaults to today + the longest lead time of its lines."
    )
    note: str | None = Field(None, max_length=500)


class PurchaseOrderPatch(Input):
    expected_on: date = Field(
        description="The day the supplier now expects to deliver; the pre-orders promised "
        "against the PO follow it."
    )


class PoFromSuggestionsIn(Input):
    """Which replenishment suggestions to turn into draft POs (one per supplier × warehouse)."""

    warehouse: Code | None = None
    supplier: Code | None = None
    sku: Sku | None = None
    service_level: float = Field(0.95, gt=0.5, lt=1.0)
    review_days: StrictInt = Field(7, ge=0, le=365)


class PoLineView(BaseModel):
    sku: str
    quantity: int
    received: int
    open: int
    unit_cost: str


class PurchaseOrderView(BaseModel):
    number: str
    supplier: str
    warehouse: str
    status: str
    currency: str
    expected_on: date
    note: str | None
    created_by: str
    created_at: datetime
    sent_at: datetime | None
    total: str = Field(description="Sum of quantity × unit cost, in the supplier's currency.")
    lines: list[PoLineView]


class ReceiptLineIn(Input):
    sku: Sku
    quantity: StrictInt = Field(ge=1, le=MAX_UNITS)


class ReceiptIn(Input):
    key: str | None = Field(
        None,
        min_length=1,
        max_length=100,
        description="Idempotency key: a repeat with the same lines books nothing again.",
    )
    lines: list[ReceiptLineIn] = Field(min_length=1, max_length=MAX_LINES)
    allow_over_receipt: JsonBool = Field(
        False, description="Purchase orders only: accept more than is still open."
    )


class TransferLineIn(Input):
    sku: Sku
    quantity: StrictInt = Field(ge=1, le=MAX_UNITS)


class TransferIn(Input):
    source: Code
    target: Code
    lines: list[TransferLineIn] = Field(min_length=1, max_length=MAX_LINES)
    expected_on: date | None = None
    note: str | None = Field(None, max_length=500)


class TransferLineView(BaseModel):
    sku: str
    quantity: int
    received: int
    open: int


class TransferView(BaseModel):
    number: str
    source: str
    target: str
    status: str
    expected_on: date | None
    note: str | None
    created_by: str
    created_at: datetime
    shipped_at: datetime | None
    lines: list[TransferLineView]


class IncomingView(BaseModel):
    """Units on their way to a warehouse: an open purchase order or a transfer in transit."""

    sku: str
    warehouse: str
    quantity: int
    expected_on: date | None
    document: str = Field(description="PO-… or TR-… number.")
