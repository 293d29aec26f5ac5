"""Recording payments by hand (staff, or a processor's webhook), listing them, and store
credit balances."""

from __future__ import annotations

from sqlalchemy import Connection

from podium.db.database import Database, as_utc
from podium.errors import Conflict, NotFound, ValidationFailed
from podium.money import InvalidMoney, format_amount, parse_amount
from podium.orders import find_order, locked_order, require_order
from podium.payments import _store as store
from podium.payments.gateways import Gateways
from podium.payments.model import (
    CreditEntryView,
    CreditView,
    PaymentIn,
    PaymentsView,
    PaymentView,
    Transaction,
    TxKind,
    summarise,
)
from podium.payments.service import paid_summary, record_transaction

__all__ = ["list_payments", "record_payment", "store_credit"]


def _money(value: str, currency: str, field: str) -> int:
    try:
        amount = parse_amount(value, currency)
    except InvalidMoney as exc:
        raise ValidationFailed(exc.message, code=exc.code, details={"field": field}) from exc
    if amount <= 0:
        raise ValidationFailed(
            "amount must be more than zero.", code="invalid_money", details={"field": field}
        )
    return amount


def record_payment(
    db: Database, order_id: str, data: PaymentIn, gateways: Gateways, actor: str
) -> PaymentsView:
    """Record an authorization, capture or void on the order (refunds go through refunds)."""
    kind = TxKind(data.kind)
    if kind is TxKind.REFUND:
        raise ValidationFailed(
            "Refunds are issued with POST /orders/{id}/refunds or /returns/{id}/refund.",
            code="use_refunds",
            details={"field": "kind"},
        )
    with db.write() as conn:
        order = locked_order(conn, order_id)
        cur = order["currency"]
        paid = paid_summary(conn, order_id)
        if data.amount is not None:
            amount = _money(data.amount, cur, "amount")
        elif kind is TxKind.AUTHORIZE:
            amount = order["total"]
        elif kind is TxKind.CAPTURE:
            amount = max(0, (paid.authorized or order["total"]) - paid.captured)
        else:
            amount = 0
        if kind is TxKind.CAPTURE and paid.captured + amount > order["total"]:
            raise Conflict(
                "That would capture more than the order's total.",
                code="capture_exceeds_total",
                details={"field": "amount", "captured": format_amount(paid.captured, cur)},
            )
        if kind is TxKind.CAPTURE and amount <= 0:
            raise Conflict("Nothing is left to capture.", code="nothing_to_capture")
        if kind is TxKind.VOID and paid.captured > 0:
            raise Conflict(
                "A captured payment cannot be voided; refund it instead.",
                code="payment_captured",
            )
        known = None if data.gateway is None and data.reference is None else True
        record_transaction(
            conn,
            order,
            kind,
            amount,
            gateways,
            actor,
            gateway=data.gateway,
            reference=data.reference,
            succeeded=(data.status == "succeeded") if known else None,
        )
        return _payments_view(conn, order_id)


def _payments_view(conn: Connection, order_id: str) -> PaymentsView:
    order = require_order(conn, order_id)
    cur = order["currency"]
    rows = store.transactions(conn, order_id)
    s = summarise(
        Transaction(TxKind(r["kind"]), r["amount"], r["status"] == "succeeded") for r in rows
    )
    return PaymentsView(
        order_id=order_id,
        currency=cur,
        total=format_amount(order["total"], cur),
        payment_status=order["payment_status"],
        authorized=format_amount(s.authorized, cur),
        captured=format_amount(s.captured, cur),
        refunded=format_amount(s.refunded, cur),
        net_paid=format_amount(s.net_paid, cur),
        balance_due=format_amount(max(0, order["total"] - s.captured), cur),
        items=[
            PaymentView(
                id=r["id"],
                order_id=r["order_id"],
                kind=r["kind"],
                status=r["status"],
                amount=format_amount(r["amount"], cur),
                currency=cur,
                gateway=r["gateway"],
                reference=r["reference"],
                refund_id=r["refund_id"],
                created_at=as_utc(r["created_at"]),
                created_by=r["created_by"],
            )
            for r in rows
        ],
    )


def list_payments(db: Database, order_id: str) -> PaymentsView:
    with db.read() as conn:
        if find_order(conn, order_id) is None:
            raise NotFound(f"No order {order_id}.", code="order_not_found")
        return _payments_view(conn, order_id)


def store_credit(db: Database, email: str) -> CreditView:
    """A customer's store credit: the balance per currency and every entry."""
    with db.read() as conn:
        rows = store.credits(conn, email)
    balances: dict[str, int] = {}
    for r in rows:
        balances[r["currency"]] = balances.get(r["currency"], 0) + r["amount"]
    return CreditView(
        email=email,
        balances={c: format_amount(v, c) for c, v in sorted(balances.items())},
        entries=[
            CreditEntryView(
                id=r["id"],
                currency=r["currency"],
                amount=format_amount(r["amount"], r["currency"]),
                order_id=r["order_id"],
                refund_id=r["refund_id"],
                note=r["note"],
                created_at=as_utc(r["created_at"]),
            )
            for r in rows
        ],
    )
