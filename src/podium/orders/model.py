"""Order inputs and views, and pricing: pure, no I/O."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, Field, StrictBool, StrictInt

from podium.errors import ValidationFailed
from podium.inventory import MAX_QUANTITY
from podium.money import MAX_MINOR, InvalidMoney, format_amount, parse_amount
from podium.numbers import JsonInt
from podium.shipments import ShipmentView
from podium.validation import (
    Address,
    Code,
    CurrencyCode,
    Email,
    Input,
    IpAddress,
    MoneyString,
    Sku,
)

__all__ = [
    "MAX_LINES",
    "NUMBER_PREFIX",
    "CustomerIn",
    "HoldIn",
    "HoldView",
    "LineIn",
    "LineView",
    "NoteIn",
    "OrderIntake",
    "OrderPaymentIn",
    "OrderView",
    "Priced",
    "TimelineEntry",
    "money",
    "order_total",
    "price",
    "taxes_included_of",
]

MAX_LINES = 500
NUMBER_PREFIX = "PD-"  # order numbers are PD-100001, PD-100002…
# Intake fields added after the first release: left out of the fingerprint when not given, so
# a retry of an order sent before they existed is still recognised as the same request.
# Each is dropped while it holds its default (None, or False for ``taxes_included``).
_ADDED_SINCE_V1: dict[str, object] = {
    "promised_date": None,
    "service_level": None,
    "priority": None,
    "taxes_included": False,
    "handed_over": None,
    "warehouse": None,
    "payment": None,
    "billing_address": None,
    "client_ip": None,
    "channel_risk": None,
    "channel_risk_detail": None,
}


class LineIn(Input):
    sku: Sku
    quantity: StrictInt = Field(ge=1, le=MAX_QUANTITY)
    unit_price: MoneyString
    name: str | None = Field(default=None, max_length=300)


class CustomerIn(Input):
    email: Email | None = None
    name: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=50)


class OrderPaymentIn(Input):
    """The payment the storefront already authorized for this order (issue 14): a Stripe
    PaymentIntent created with ``capture_method=manual`` and confirmed (``requires_capture``)
    for exactly the order's total and currency."""

    gateway: Code = Field(description="The payment gateway account's code, e.g. `stripe`.")
    payment_intent: str = Field(
        min_length=4, max_length=255, pattern=r"^pi_[A-Za-z0-9_]+$", description="pi_…"
    )


class OrderIntake(Input):
    channel: Code
    external_id: str | None = Field(default=None, min_length=1, max_length=200)
    currency: CurrencyCode
    customer: CustomerIn = Field(default_factory=CustomerIn)
    shipping_address: Address
    lines: list[LineIn] = Field(min_length=1, max_length=MAX_LINES)
    shipping_total: MoneyString = "0"
    tax_total: MoneyString = "0"
    discount_total: MoneyString = "0"
    on_shortage: Literal["reject", "backorder"] = "reject"
    tags: list[str] = Field(default_factory=list, max_length=50)
    placed_at: AwareDatetime | None = None
    note: str | None = Field(default=None, max_length=2000)
    # Smart routing (issue 4): the delivery promise and how urgent the order is.
    promised_date: date | None = Field(default=None, description="Deliver by this date.")
    service_level: Literal["standard", "express", "next_day"] | None = None
    priority: JsonInt | None = Field(default=None, ge=0, le=9, description="9 is most urgent.")
    payment: OrderPaymentIn | None = Field(
        default=None, description="A payment the storefront authorized (Stripe PaymentIntent)."
    )
    # Issue 14: line prices and shipping already include ``tax_total`` (EU/UK/AU shops), so the
    # total is subtotal + shipping - discount and the tax is shown as included.
    taxes_included: StrictBool = False
    # Issue 14: the goods already changed hands. ``in_store``: sold and handed over at the till
    # of ``warehouse`` (a store): its stock goes down at once, nothing to pick, pack or label.
    # ``by_channel``: the channel fulfilled it from its own stock (Amazon FBA): the sale is
    # recorded, nothing is reserved or shipped from Podium's warehouses.
    handed_over: Literal["in_store", "by_channel"] | None = None
    warehouse: Code | None = Field(
        default=None, description="With handed_over=in_store: the store that handed it over."
    )
    # Issue 15: where the card is billed and the shopper's IP (risk signals at placement).
    billing_address: Address | None = None
    client_ip: IpAddress | None = Field(
        default=None, description="The shopper's IP address (IPv4 or IPv6)."
    )
    # Issue 15: the channel's own fraud assessment ("low" / "medium" / "high") and why.
    channel_risk: Literal["low", "medium", "high"] | None = None
    channel_risk_detail: str | None = Field(default=None, max_length=500)

    def fingerprint(self) -> str:
        """A digest of what was asked, to tell a retry from a different request."""
        data = self.model_dump(mode="json")
        for key, default in _ADDED_SINCE_V1.items():  # absent means what it meant before
            if data.get(key) == default:
                data.pop(key, None)
        body = json.dumps(data, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(body.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Priced:
    """An intake's money in minor units, checked against its currency."""

    unit_prices: tuple[int, ...]
    subtotal: int
    shipping: int
    tax: int
    discount: int
    total: int
    taxes_included: bool = False


def _amount(value: str, currency: str, field: str) -> int:
    try:
        return parse_amount(value, currency)
    except InvalidMoney as exc:
        raise ValidationFailed(
            f"{field}: {exc.message}", code=exc.code, details={"field": field}
        ) from exc


def price(intake: OrderIntake) -> Priced:
    cur = intake.currency
    units = tuple(
        _amount(line.unit_price, cur, f"lines.{i}.unit_price")
        for i, line in enumerate(intake.lines)
    )
    subtotal = sum(u * line.quantity for u, line in zip(units, intake.lines, strict=True))
    shipping = _amount(intake.shipping_total, cur, "shipping_total")
    tax = _amount(intake.tax_total, cur, "tax_total")
    discount = _amount(intake.discount_total, cur, "discount_total")
    total = order_total(subtotal, shipping, tax, discount, taxes_included=intake.taxes_included)
    if total < 0:
        raise ValidationFailed(
            "discount_total exceeds the order's value.",
            code="invalid_money",
            details={"field": "discount_total"},
        )
    if total > MAX_MINOR:
        raise ValidationFailed(
            "The order total is too large.", code="invalid_money", details={"field": "lines"}
        )
    return Priced(units, subtotal, shipping, tax, discount, total, intake.taxes_included)


def order_total(
    subtotal: int, shipping: int, tax: int, discount: int, *, taxes_included: bool
) -> int:
    """What the customer pays: the tax is added on top, unless the prices already include it."""
    return subtotal + shipping - discount + (0 if taxes_included else tax)


def taxes_included_of(row: Mapping[Any, Any]) -> bool:
    """Whether a stored order's prices include its tax: its total leaves the tax out. (Stored
    in the totals themselves; with no tax the two readings are the same order.)"""
    return bool(
        row["tax_total"] > 0
        and row["total"] == row["subtotal"] + row["shipping_total"] - row["discount_total"]
    )


class HoldIn(Input):
    reason: Literal["manual", "fraud_review", "address", "payment"] = "manual"
    note: str | None = Field(default=None, max_length=1000)


class NoteIn(Input):
    message: str = Field(min_length=1, max_length=2000)


class LineView(BaseModel):
    line_no: int
    sku: str
    name: str
    quantity: int
    unit_price: str
    total: str
    quantity_allocated: int
    quantity_backordered: int
    quantity_shipped: int
    quantity_cancelled: int


class HoldView(BaseModel):
    id: str
    reason: str
    note: str | None
    created_at: datetime
    created_by: str


class OrderView(BaseModel):
    id: str
    number: str
    channel: str
    external_id: str | None
    status: str
    currency: str
    subtotal: str
    shipping_total: str
    tax_total: str
    discount_total: str
    total: str
    customer: dict[str, Any]
    shipping_address: dict[str, Any]
    lines: list[LineView]
    shipments: list[ShipmentView]
    tags: list[str]
    holds: list[HoldView]
    payment_status: str
    fulfillment_status: str
    placed_at: datetime
    created_at: datetime
    updated_at: datetime
    # Smart routing (issue 4): the delivery promise (given or derived from the service level).
    promised_date: date | None = None
    service_level: str | None = None
    priority: int | None = None
    # Issue 14: prices include ``tax_total`` (the total does not add it again).
    taxes_included: bool = False
    # Issue 14: how the goods reached the customer when Podium did not ship them:
    # "in_store" (handed over at a store's till) or "by_channel" (the channel fulfilled it).
    handed_over: str | None = None
    # Issue 15: billing address, the shopper's IP, and the risk assessed at placement
    # (``{"score": 0-100, "level": "low"|"medium"|"high", "signals": [{"code", "points",
    # "detail"}]}``; None for orders placed before risk was assessed).
    billing_address: dict[str, Any] | None = None
    client_ip: str | None = None
    risk: dict[str, Any] | None = None


class TimelineEntry(BaseModel):
    at: datetime
    type: str
    message: str
    data: dict[str, Any]
    actor: str


def money(minor: int, currency: str) -> str:
    return format_amount(minor, currency)
