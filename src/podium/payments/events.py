"""The events payments emits (registered in the catalogue on import)."""

from __future__ import annotations

from dataclasses import dataclass

from podium.orders import OrderEvent

__all__ = ["PaymentDisputed", "PaymentRecorded"]


@dataclass(frozen=True, kw_only=True)
class PaymentRecorded(OrderEvent, type="payment.recorded"):
    """A payment transaction was recorded against an order (``kind``: authorize, capture,
    refund or void; ``status``: succeeded or failed); ``payment_status`` is the order's
    payment status after it."""

    transaction_id: str
    kind: str
    status: str
    amount: str
    currency: str
    payment_status: str


@dataclass(frozen=True, kw_only=True)
class PaymentDisputed(OrderEvent, type="payment.disputed"):
    """The customer disputed the card payment with their bank (a Stripe dispute: a
    chargeback); the order is held with reason ``dispute`` unless it has already shipped."""

    dispute: str
    reason: str
    amount: str
    currency: str
