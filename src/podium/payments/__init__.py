"""Payments: gateways, captures and voids, the payment book, channel payments; other packages
use the names below (payment statuses are set through orders)."""

from podium.payments.channel import (
    cover_channel_refund,
    record_channel_payments,
)
from podium.payments.gateways import (
    Gateways,
)
from podium.payments.model import (
    CHANNEL_PAID_TAG,
    CapturePolicy,
    CreditView,
    PaymentFact,
    PaymentIn,
    PaymentsView,
    TxKind,
    payment_policy,
)
from podium.payments.recording import (
    list_payments,
    record_payment,
    store_credit,
)
from podium.payments.service import (
    grant_store_credit,
    on_order_events,
    paid_summary,
    record_transaction,
    refund_payment,
    settle_orders,
    settle_policy,
)

__all__ = [
    "CHANNEL_PAID_TAG",
    "CapturePolicy",
    "CreditView",
    "Gateways",
    "PaymentFact",
    "PaymentIn",
    "PaymentsView",
    "TxKind",
    "cover_channel_refund",
    "grant_store_credit",
    "list_payments",
    "on_order_events",
    "paid_summary",
    "payment_policy",
    "record_channel_payments",
    "record_payment",
    "record_transaction",
    "refund_payment",
    "settle_orders",
    "settle_policy",
    "store_credit",
]
