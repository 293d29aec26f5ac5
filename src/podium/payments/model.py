"""Payments on an order (pure): transactions, the payment status they add up to, the policy.

An order's payment status is never set by hand: it is derived from the transactions recorded
on it (authorize, capture, refund, void; each succeeded or failed), the way Saleor derives
statuses from quantities.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, Field

from podium.validation import Input, MoneyString

__all__ = [
    "CHANNEL_PAID_TAG",
    "CapturePolicy",
    "CreditEntryView",
    "CreditView",
    "PaymentFact",
    "PaymentIn",
    "PaymentPolicy",
    "PaymentStatus",
    "PaymentSummary",
    "PaymentView",
    "PaymentsView",
    "Transaction",
    "TxKind",
    "capture_target",
    "derive_status",
    "payment_policy",
    "summarise",
]


class PaymentStatus(StrEnum):
    PENDING = "pending"
    AUTHORIZED = "authorized"
    PARTIALLY_PAID = "partially_paid"
    PAID = "paid"
    PARTIALLY_REFUNDED = "partially_refunded"
    REFUNDED = "refunded"
    VOIDED = "voided"
    FAILED = "failed"


class TxKind(StrEnum):
    AUTHORIZE = "authorize"
    CAPTURE = "capture"
    REFUND = "refund"
    VOID = "void"


class CapturePolicy(StrEnum):
    ON_PLACEMENT = "on_placement"  # capture the total when the order is placed
    ON_SHIPMENT = "on_shipment"  # authorize on placement, capture what ships as it ships
    MANUAL = "manual"  # the channel or staff record payments themselves


@dataclass(frozen=True, slots=True)
class Transaction:
    kind: TxKind
    amount: int
    succeeded: bool = True


# The tag a connector puts on an order whose money the sales channel handles: Podium records
# the channel's payment facts and never captures, authorizes or voids such an order itself.
CHANNEL_PAID_TAG = "payment:channel"


@dataclass(frozen=True, slots=True)
class PaymentFact:
    """A payment the channel reports (authorize, capture or void), in minor units."""

    kind: TxKind
    amount: int
    succeeded: bool = True
    reference: str | None = None


@dataclass(frozen=True, slots=True)
class PaymentSummary:
    authorized: int
    captured: int
    refunded: int
    voided: bool

    @property
    def net_paid(self) -> int:
        return self.captured - self.refunded


def summarise(transactions: Iterable[Transaction]) -> PaymentSummary:
    ok = [t for t in transactions if t.succeeded]
    return PaymentSummary(
        authorized=sum(t.amount for t in ok if t.kind is TxKind.AUTHORIZE),
        captured=sum(t.amount for t in ok if t.kind is TxKind.CAPTURE),
        refunded=sum(t.amount for t in ok if t.kind is TxKind.REFUND),
        voided=any(t.kind is TxKind.VOID for t in ok),
    )


def derive_status(total: int, transactions: Iterable[Transaction]) -> PaymentStatus:
    txs = list(transactions)
    s = summarise(txs)
    if s.refunded > 0:
        return (
            PaymentStatus.REFUNDED if s.refunded >= s.captured else PaymentStatus.PARTIALLY_REFUNDED
        )
    if s.captured > 0:
        return PaymentStatus.PAID if s.captured >= total else PaymentStatus.PARTIALLY_PAID
    if s.voided:
        return PaymentStatus.VOIDED
    if s.authorized > 0:
        return PaymentStatus.AUTHORIZED
    if any(not t.succeeded for t in txs):
        return PaymentStatus.FAILED
    return PaymentStatus.PENDING


@dataclass(frozen=True, slots=True)
class PaymentPolicy:
    capture: CapturePolicy
    gateway: str


def payment_policy(settings: Mapping[str, Any]) -> PaymentPolicy:
    """A channel's policy from its settings: ``{"payment": {"capture": …, "gateway": …}}``.

    Defaults: capture on placement through the built-in manual gateway.
    """
    raw = settings.get("payment")
    payment: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {}
    capture = payment.get("capture", CapturePolicy.ON_PLACEMENT.value)
    try:
        policy = CapturePolicy(capture)
    except ValueError:
        policy = CapturePolicy.ON_PLACEMENT
    gateway = payment.get("gateway")
    return PaymentPolicy(policy, gateway if isinstance(gateway, str) and gateway else "manual")


def capture_target(total: int, shipped_units: int, ordered_units: int) -> int:
    """What should be captured once ``shipped_units`` of ``ordered_units`` have shipped."""
    if ordered_units <= 0 or shipped_units >= ordered_units:
        return total
    return total * shipped_units // ordered_units


class PaymentIn(Input):
    kind: Literal["authorize", "capture", "refund", "void"]
    amount: MoneyString | None = Field(
        default=None,
        description="Defaults: the order total (authorize), what is authorized "
        "and not captured (capture), what is paid and not refunded (refund).",
    )
    status: Literal["succeeded", "failed"] = "succeeded"
    gateway: str | None = Field(default=None, min_length=1, max_length=32)
    reference: str | None = Field(default=None, min_length=1, max_length=200)


class PaymentView(BaseModel):
    id: str
    order_id: str
    kind: str
    status: str
    amount: str
    currency: str
    gateway: str
    reference: str | None
    refund_id: str | None
    created_at: datetime
    created_by: str


class PaymentsView(BaseModel):
    order_id: str
    currency: str
    total: str
    payment_status: str
    authorized: str
    captured: str
    refunded: str
    net_paid: str = Field(description="Captured less refunded.")
    balance_due: str = Field(description="The total less what was captured (never below 0).")
    items: list[PaymentView]


class CreditEntryView(BaseModel):
    id: str
    currency: str
    amount: str
    order_id: str | None
    refund_id: str | None
    note: str | None
    created_at: datetime


class CreditView(BaseModel):
    email: str
    balances: dict[str, str]
    entries: list[CreditEntryView]
