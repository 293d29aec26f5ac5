"""Returns (RMAs): the status machine, policies, inputs and views (pure, no I/O).

::

    requested ──► approved ──► in_transit ──► received ──► inspected ──► closed
        │            │  └───────────┴────────────┘ ▲            ▲
        └──► rejected └─────────────────────────────┴── (refund-only returns close from approved)

``received``: some units arrived, more are expected; ``inspected``: every unit arrived and has
a disposition (restock, damaged, scrap, refurbish); ``closed``: settled (refunded or exchanged).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, Field, StrictInt, model_validator

from podium.errors import InvalidTransition
from podium.inventory import MAX_QUANTITY
from podium.numbers import JsonBool
from podium.validation import Code, Input, MoneyString, Sku

__all__ = [
    "DEFAULT_REASONS",
    "DEFAULT_WINDOW_DAYS",
    "Disposition",
    "ReceiveIn",
    "ReceiveLineIn",
    "RefundIn",
    "RefundLineView",
    "RefundView",
    "ReturnIn",
    "ReturnLineIn",
    "ReturnLineView",
    "ReturnPolicy",
    "ReturnStatus",
    "ReturnView",
    "ShipBackIn",
    "check_return_transition",
    "return_policy",
]


class ReturnStatus(StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    IN_TRANSIT = "in_transit"
    RECEIVED = "received"
    INSPECTED = "inspected"
    CLOSED = "closed"
    REJECTED = "rejected"


class Disposition(StrEnum):
    RESTOCK = "restock"
    DAMAGED = "damaged"
    SCRAP = "scrap"
    REFURBISH = "refurbish"


R = ReturnStatus
_ALLOWED: dict[ReturnStatus, frozenset[ReturnStatus]] = {
    R.REQUESTED: frozenset({R.APPROVED, R.REJECTED}),
    R.APPROVED: frozenset({R.IN_TRANSIT, R.RECEIVED, R.INSPECTED, R.CLOSED, R.REJECTED}),
    R.IN_TRANSIT: frozenset({R.RECEIVED, R.INSPECTED}),
    R.RECEIVED: frozenset({R.RECEIVED, R.INSPECTED}),
    R.INSPECTED: frozenset({R.CLOSED}),
    R.CLOSED: frozenset(),
    R.REJECTED: frozenset(),
}
RECEIVABLE = frozenset({R.APPROVED, R.IN_TRANSIT, R.RECEIVED})
REFUNDABLE = frozenset({R.APPROVED, R.IN_TRANSIT, R.RECEIVED, R.INSPECTED, R.CLOSED})


def check_return_transition(current: str, target: str) -> ReturnStatus:
    now, then = ReturnStatus(current), ReturnStatus(target)
    if then not in _ALLOWED[now]:
        raise InvalidTransition("return", now.value, then.value)
    return then


DEFAULT_REASONS = (
    "damaged",
    "defective",
    "wrong_item",
    "not_as_described",
    "size_fit",
    "changed_mind",
    "arrived_late",
    "other",
)
DEFAULT_WINDOW_DAYS = 30


@dataclass(frozen=True, slots=True)
class ReturnPolicy:
    window_days: int
    reasons: tuple[str, ...]
    warehouse: str | None = None  # where return parcels go; None: the shipping warehouse
    auto_approve: bool = False  # a shopper's request through the portal is approved at once
    non_returnable: tuple[str, ...] = ()  # SKUs the portal does not offer to take back
    fee: str | None = None  # a return fee shown to the shopper before they confirm


def return_policy(settings: Mapping[str, Any]) -> ReturnPolicy:
    """A channel's return policy from ``{"returns": {"window_days": 30, "reasons": […],
    "warehouse": "EAST", "auto_approve": false, "non_returnable": ["GIFTCARD"], "fee": "4.95"}}``
    (all but the first two optional)."""
    raw = settings.get("returns")
    conf: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {}
    window = conf.get("window_days")
    reasons = conf.get("reasons")
    return ReturnPolicy(
        window
        if isinstance(window, int) and not isinstance(window, bool) and window >= 0
        else DEFAULT_WINDOW_DAYS,
        tuple(r for r in reasons if isinstance(r, str))
        if isinstance(reasons, list) and reasons
        else DEFAULT_REASONS,
        warehouse if isinstance(warehouse := conf.get("warehouse"), str) and warehouse else None,
        conf.get("auto_approve") is True,
        tuple(s for s in skus if isinstance(s, str))
        if isinstance(skus := conf.get("non_returnable"), list)
        else (),
        fee if isinstance(fee := conf.get("fee"), str) and fee else None,
    )


class ReturnLineIn(Input):
    sku: Sku
    quantity: StrictInt = Field(ge=1, le=MAX_QUANTITY)
    reason: str = Field(default="other", min_length=1, max_length=64)


class ReturnIn(Input):
    lines: list[ReturnLineIn] = Field(min_length=1, max_length=500)
    note: str | None = Field(default=None, max_length=1000)
    approve: JsonBool = Field(default=False, description="Approve at once (staff-created RMAs).")
    ignore_window: JsonBool = Field(default=False, description="Accept outside the return window.")
    exchange_for: dict[Sku, Sku] | None = Field(
        default=None,
        description="The replacement asked for: returned SKU -> another variant's SKU.",
    )

    @model_validator(mode="after")
    def _exchanged_lines(self) -> ReturnIn:
        extra = sorted(set(self.exchange_for or {}) - {ln.sku for ln in self.lines})
        if extra:
            raise ValueError(f"exchange_for names SKUs not on the return: {', '.join(extra)}")
        return self


class ReceiveLineIn(Input):
    sku: Sku
    quantity: StrictInt = Field(ge=1, le=MAX_QUANTITY)
    disposition: Disposition
    warehouse: Code | None = None


class ReceiveIn(Input):
    lines: list[ReceiveLineIn] = Field(min_length=1, max_length=500)


class ShipBackIn(Input):
    carrier: str | None = Field(default=None, min_length=1, max_length=64)
    tracking_number: str | None = Field(default=None, min_length=1, max_length=100)


class RefundIn(Input):
    amount: MoneyString | None = None
    include_shipping: JsonBool = False
    method: Literal["original_payment", "store_credit"] = "original_payment"
    reason: str | None = Field(default=None, max_length=500)


class ReturnLineView(BaseModel):
    line_no: int
    order_line_no: int
    sku: str
    quantity: int
    reason: str
    quantity_received: int
    quantity_restocked: int
    quantity_damaged: int
    quantity_scrapped: int
    quantity_refurbished: int


class RefundLineView(BaseModel):
    order_line_no: int
    sku: str
    quantity: int
    amount: str


class RefundView(BaseModel):
    id: str
    order_id: str
    return_id: str | None
    amount: str
    currency: str
    lines_amount: str
    discount_amount: str
    tax_amount: str
    shipping_amount: str
    method: str
    channel_refund_id: str | None
    reason: str | None
    lines: list[RefundLineView]
    created_at: datetime
    created_by: str


class ReturnView(BaseModel):
    id: str
    order_id: str
    status: str
    note: str | None
    carrier: str | None
    tracking_number: str | None
    exchange_order_id: str | None
    exchange_for: dict[str, str] | None = None  # replacement asked for, by returned SKU
    lines: list[ReturnLineView]
    refunds: list[RefundView]
    created_at: datetime
    updated_at: datetime
    created_by: str
