"""Payments on orders, and customers' store credit."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Header, Query, Request, Response

from podium import payments
from podium.access import Permission
from podium.api.deps import Caller, get_podium, require
from podium.api.openapi import GATEWAY_ERRORS, SIGNED_WEBHOOK
from podium.bootstrap import Podium
from podium.payments import CreditView, GatewayIn, GatewayView, PaymentIn, PaymentsView
from podium.returns import accounting_csv
from podium.validation import Code, Email

router = APIRouter(tags=["payments"])

READ = Depends(require(Permission.READ))
OPERATE = Depends(require(Permission.OPERATE))
ADMIN = Depends(require(Permission.ADMIN))


async def raw_body(request: Request) -> bytes:
    return await request.body()


@router.put("/payments/gateways/{code}", response_model=GatewayView)
def put_gateway(
    code: Code, data: GatewayIn, _: Caller = ADMIN, podium: Podium = Depends(get_podium)
) -> GatewayView:
    """Configure a payment gateway account (Stripe: `secret_key`, `webhook_secret`); a secret
    left out keeps its stored value; secrets are never shown again (masked). A channel uses it
    with the setting `{"payment": {"gateway": "<code>", "capture": …}}`."""
    return payments.put_gateway(podium.db, code, data)


@router.get("/payments/gateways", response_model=dict[str, list[GatewayView]])
def list_gateways(
    _: Caller = READ, podium: Podium = Depends(get_podium)
) -> dict[str, list[GatewayView]]:
    return {"items": payments.list_gateways(podium.db)}


@router.post("/payments/gateways/{code}/webhooks", responses=SIGNED_WEBHOOK)
def gateway_webhook(
    code: str,
    body: bytes = Depends(raw_body),
    stripe_signature: str | None = Header(default=None),
    podium: Podium = Depends(get_podium),
) -> dict[str, Any]:
    """Stripe event deliveries, signed with `Stripe-Signature` (no API key): disputes, failed
    and cancelled PaymentIntents, refunds made in Stripe. A bad signature is 401; a redelivered
    event is answered `duplicate` and changes nothing."""
    return payments.receive_stripe_event(podium.db, podium.gateways, code, body, stripe_signature)


@router.get("/orders/{order_id}/payments", response_model=PaymentsView)
def list_payments(
    order_id: str, _: Caller = READ, podium: Podium = Depends(get_podium)
) -> PaymentsView:
    return payments.list_payments(podium.db, order_id)


@router.post(
    "/orders/{order_id}/payments",
    status_code=201,
    response_model=PaymentsView,
    responses=GATEWAY_ERRORS,
)
def record_payment(
    order_id: str, data: PaymentIn, caller: Caller = OPERATE, podium: Podium = Depends(get_podium)
) -> PaymentsView:
    return payments.record_payment(podium.db, order_id, data, podium.gateways, caller.actor)


@router.get("/store-credit/{email}", response_model=CreditView)
def store_credit(
    email: Email, _: Caller = READ, podium: Podium = Depends(get_podium)
) -> CreditView:
    return payments.store_credit(podium.db, email)


@router.get("/exports/accounting", response_class=Response)
def accounting_export(
    start: date = Query(..., alias="from", description="First day (UTC), YYYY-MM-DD."),
    end: date = Query(..., alias="to", description="Last day (UTC), included."),
    _: Caller = READ,
    podium: Podium = Depends(get_podium),
) -> Response:
    """Sales, discounts, shipping, tax and refunds per day, channel and currency, as CSV."""
    return Response(
        accounting_csv(podium.db, start, end),
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="accounting-{start}-{end}.csv"'},
    )
