"""Payments on orders, and customers' store credit."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, Query, Response

from podium import payments
from podium.access import Permission
from podium.api.deps import Caller, get_podium, require
from podium.bootstrap import Podium
from podium.payments import CreditView, PaymentIn, PaymentsView
from podium.returns import accounting_csv
from podium.validation import Email

router = APIRouter(tags=["payments"])

READ = Depends(require(Permission.READ))
OPERATE = Depends(require(Permission.OPERATE))


@router.get("/orders/{order_id}/payments", response_model=PaymentsView)
def list_payments(
    order_id: str, _: Caller = READ, podium: Podium = Depends(get_podium)
) -> PaymentsView:
    return payments.list_payments(podium.db, order_id)


@router.post("/orders/{order_id}/payments", status_code=201, response_model=PaymentsView)
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
