"""Orders that arrive paid for: the storefront authorized a Stripe PaymentIntent
(``capture_method=manual``) and sends its id with the order (``payment``).

Before anything is written, Podium reads the PaymentIntent from Stripe and checks it: it
exists, it is ``requires_capture``, its currency and amount are the order's total, and no other
order uses it. Then the order is placed, and the authorization is recorded (a transaction of
that gateway whose reference is the PaymentIntent id), after which the channel's capture policy
runs (capture on placement captures at once). A retry of the same order finds the order and
records the authorization if a crash lost it.
"""

from __future__ import annotations

from dataclasses import dataclass

from podium import orders
from podium.db.database import Database
from podium.errors import Conflict, ValidationFailed
from podium.money import format_amount
from podium.orders import Allocator, OrderIntake, OrderView, locked_order, order_views
from podium.payments import _store as store
from podium.payments.gateways import Gateways
from podium.payments.model import TxKind
from podium.payments.service import record_transaction, settle_policy
from podium.payments.stripe_gateway import Intent, StripeGateway

__all__ = ["PaidPlacement", "place_paid_order"]

ACTOR = "system:payments"
_FIELD = "payment.payment_intent"


@dataclass(frozen=True, slots=True)
class PaidPlacement:
    order: OrderView
    created: bool


def _gateway(db: Database, gateways: Gateways, code: str) -> StripeGateway:
    with db.read() as conn:
        try:
            gw = gateways.get(code, conn)
        except ValidationFailed as exc:
            raise ValidationFailed(
                exc.message, code=exc.code, details={"field": "payment.gateway"}
            ) from exc
    if not isinstance(gw, StripeGateway):
        raise ValidationFailed(
            f"Gateway {code} takes no payment references; only Stripe accounts do.",
            code="unsupported_gateway",
            details={"field": "payment.gateway"},
        )
    return gw


def check_intent(intent: Intent | None, intent_id: str, total: int, currency: str) -> Intent:
    """The PaymentIntent, if it is an authorization of exactly this order's money."""
    if intent is None:
        raise ValidationFailed(
            f"Stripe has no PaymentIntent {intent_id}.",
            code="payment_intent_not_found",
            details={"field": _FIELD},
        )
    if intent.status != "requires_capture":
        raise Conflict(
            f"PaymentIntent {intent_id} is {intent.status}, not authorized for capture "
            "(create it with capture_method=manual and confirm it).",
            code="payment_not_authorized",
            details={"field": _FIELD, "status": intent.status},
        )
    if intent.currency != currency or intent.amount_capturable != total:
        raise ValidationFailed(
            f"PaymentIntent {intent_id} authorizes {intent.currency} "
            f"{format_amount(intent.amount_capturable, intent.currency)}; the order's total is "
            f"{currency} {format_amount(total, currency)}.",
            code="payment_mismatch",
            details={
                "field": _FIELD,
                "authorized": format_amount(intent.amount_capturable, intent.currency),
                "authorized_currency": intent.currency,
                "total": format_amount(total, currency),
                "currency": currency,
            },
        )
    return intent


def place_paid_order(
    db: Database,
    intake: OrderIntake,
    gateways: Gateways,
    *,
    allocator: Allocator,
    idempotency_key: str | None = None,
    actor: str = "api",
    refuse_changes: bool = True,
) -> PaidPlacement:
    """Place an order whose ``payment`` names an authorized PaymentIntent (see the module)."""
    ref = intake.payment
    if ref is None:
        raise ValueError("place_paid_order needs an intake with a payment")
    gw = _gateway(db, gateways, ref.gateway)
    with db.read() as conn:
        used = store.orders_of_reference(conn, gw.name, ref.payment_intent)
        holders = [orders.require_order(conn, o) for o in used]
    retry = any(
        h["channel"] == intake.channel
        and intake.external_id is not None
        and h["external_id"] == intake.external_id
        for h in holders
    )
    if holders and not retry:
        raise Conflict(
            f"PaymentIntent {ref.payment_intent} already pays order {holders[0]['number']}.",
            code="payment_intent_used",
            details={"field": _FIELD, "order_id": holders[0]["id"]},
        )
    intent = None
    if not retry:
        total = orders.price(intake).total
        found = gw.retrieve(ref.payment_intent)
        intent = check_intent(found, ref.payment_intent, total, intake.currency)
    placed = orders.place_order(
        db,
        intake,
        allocator=allocator,
        idempotency_key=idempotency_key,
        actor=actor,
        refuse_changes=refuse_changes,
    )
    if intent is None:
        return PaidPlacement(placed.order, placed.created)
    with db.write() as conn:
        order = locked_order(conn, placed.order.id)
        if not store.orders_of_reference(conn, gw.name, intent.id):
            record_transaction(
                conn,
                order,
                TxKind.AUTHORIZE,
                intent.amount_capturable,
                gateways,
                ACTOR,
                gateway=gw.name,
                reference=intent.id,
                succeeded=True,
            )
            order = locked_order(conn, placed.order.id)
            settle_policy(conn, order, gateways)  # capture on placement captures now
        view = order_views(conn, [locked_order(conn, placed.order.id)])[0]
    return PaidPlacement(view, placed.created)
