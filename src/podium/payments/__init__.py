"""Payments: gateways, captures and voids, the payment book, channel payments; other packages
use the names below (payment statuses are set through orders)."""

from podium.payments.accounts import (
    GatewayIn,
    GatewayView,
    list_gateways,
    put_gateway,
)
from podium.payments.channel import (
    cover_channel_refund,
    record_channel_payments,
)
from podium.payments.checkout import (
    PaidPlacement,
    place_paid_order,
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
from podium.payments.stripe_gateway import (
    GatewayAuthFailed,
    GatewayUnavailable,
    PaymentDeclined,
    StripeGateway,
    build_stripe,
)
from podium.payments.stripe_webhooks import (
    BadSignature,
    receive_stripe_event,
)

__all__ = [
    "CHANNEL_PAID_TAG",
    "BadSignature",
    "CapturePolicy",
    "CreditView",
    "GatewayAuthFailed",
    "GatewayIn",
    "GatewayUnavailable",
    "GatewayView",
    "Gateways",
    "PaidPlacement",
    "PaymentDeclined",
    "PaymentFact",
    "PaymentIn",
    "PaymentsView",
    "StripeGateway",
    "TxKind",
    "build_stripe",
    "cover_channel_refund",
    "grant_store_credit",
    "list_gateways",
    "list_payments",
    "on_order_events",
    "paid_summary",
    "payment_policy",
    "place_paid_order",
    "put_gateway",
    "receive_stripe_event",
    "record_channel_payments",
    "record_payment",
    "record_transaction",
    "refund_payment",
    "settle_orders",
    "settle_policy",
    "store_credit",
]
