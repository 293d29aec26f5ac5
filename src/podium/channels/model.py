"""What connectors hand the rest of Podium: normalised orders, refunds and pushes (pure)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from podium.money import CURRENCY_EXPONENTS
from podium.payments import PaymentFact

__all__ = [
    "ChannelCancellation",
    "ChannelLine",
    "ChannelOrder",
    "ChannelRefund",
    "Delivery",
    "LevelPush",
    "PushResult",
    "exact_minor",
]


@dataclass(frozen=True, slots=True)
class Delivery:
    """A verified webhook: its topic and the platform's delivery id (for dedupe)."""

    topic: str
    delivery_id: str


@dataclass(frozen=True, slots=True)
class ChannelLine:
    sku: str  # the platform's SKU (or a stable stand-in such as ``variant:123``)
    name: str
    quantity: int
    unit_price: int  # minor units of the order's currency
    remote_id: str | None = None  # the platform's listing id (variant, ASIN/SKU, product)
    line_id: str | None = None  # the platform's id of this line (fulfil, refund by it)


@dataclass(frozen=True, slots=True)
class ChannelOrder:
    external_id: str
    currency: str
    lines: list[ChannelLine]
    updated_at: datetime | None
    status: str  # the platform's own status word
    cancelled: bool = False
    placed_at: datetime | None = None
    email: str | None = None
    name: str | None = None
    phone: str | None = None
    address: dict[str, Any] = field(default_factory=dict)
    shipping: int = 0
    tax: int = 0
    discount: int = 0
    total: int | None = None  # what the platform says the order totals, to compare
    number: str | None = None
    notes: list[str] = field(default_factory=list)  # facts worth a timeline entry
    review: str | None = None  # set when a human must look (e.g. money in two currencies)
    review_reason: str = "payment"  # the hold's reason when ``review`` is set ("address"…)
    refunds: list[ChannelRefund] = field(default_factory=list)  # as listed on the order
    # What the channel says was paid (authorize/capture/void; refunds come as ``refunds``).
    # ``paid_by_channel``: the channel handles the money, Podium only records its facts.
    payments: list[PaymentFact] = field(default_factory=list)
    paid_by_channel: bool = False
    # Set when the goods changed hands outside Podium's warehouses, so there is nothing to pick,
    # pack or label: "in_store" (a POS sale, taken at ``store_location``, the platform's id of
    # the store) or "by_channel" (the platform fulfilled it from its own stock, e.g. Amazon FBA).
    handed_over: str | None = None
    store_location: str | None = None
    taxes_included: bool = False  # line prices already include ``tax`` (EU/UK/AU shops)
    # News about an order Podium may have (shipped or cancelled on the platform): applied to
    # an order Podium has, never captured as new work when it has none.
    only_if_known: bool = False
    tags: list[str] = field(default_factory=list)  # the platform's own tags (Shopify's `tags`)
    # Issue 15 (risk at placement): the billing address (Podium's address shape), the
    # shopper's IP as the platform saw it, and the platform's own fraud verdict
    # ("low" / "medium" / "high") with its reason.
    billing_address: dict[str, Any] = field(default_factory=dict)
    client_ip: str | None = None
    risk: str | None = None
    risk_detail: str | None = None


@dataclass(frozen=True, slots=True)
class ChannelRefund:
    external_id: str  # the platform's order id
    refund_id: str
    currency: str
    amount: int  # money refunded (transactions), minor units
    lines: list[dict[str, Any]]
    note: str | None
    created_at: datetime | None


@dataclass(frozen=True, slots=True)
class ChannelCancellation:
    """The platform withdrew an order and sent only its id (WooCommerce ``order.deleted``: the
    order went to the trash)."""

    external_id: str
    status: str  # the platform's word for it, e.g. "trash"


@dataclass(frozen=True, slots=True)
class LevelPush:
    sku: str
    remote_id: str
    remote_location_id: str | None
    quantity: int
    previous: int | None  # what Podium last told the platform, for compare-and-set


@dataclass(frozen=True, slots=True)
class PushResult:
    pushed: list[str]  # SKUs sent; those not in ``failed`` the platform accepted
    drift: dict[str, int | None] = field(default_factory=dict)  # sku -> what it showed instead
    # sku -> why the platform refused that item (its code and message) while accepting the
    # rest of the call, e.g. a per-item ``error`` in a WooCommerce batch answered 200.
    failed: dict[str, str] = field(default_factory=dict)

    @property
    def accepted(self) -> list[str]:
        return [sku for sku in self.pushed if sku not in self.failed]


def exact_minor(amount: Any, currency: str) -> int | None:
    """``amount`` (string or number as the platform sent it) in exact minor units, or None
    when it cannot be represented in that currency (e.g. "25.99" JPY)."""
    exponent = CURRENCY_EXPONENTS.get(currency.upper())
    if exponent is None or amount is None or isinstance(amount, bool):
        return None
    try:
        value = Decimal(str(amount).strip())
    except InvalidOperation:
        return None
    if not value.is_finite():
        return None
    scaled = value.scaleb(exponent)
    if scaled != scaled.to_integral_value():
        return None
    return int(scaled)
