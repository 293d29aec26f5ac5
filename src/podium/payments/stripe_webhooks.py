"""Stripe's webhook events: signed (``Stripe-Signature``), each applied once.

``POST /api/v1/payments/gateways/{code}/webhooks`` takes Stripe's delivery unchanged. The
signature is checked over the raw body with the account's signing secret by the library's
``WebhookSignature.verify_header`` (HMAC-SHA256 of ``"{t}.{body}"``, timestamps older than
300 s refused) before anything is read; a bad or stale one is 401 and writes nothing. Every
event id is remembered (``payment_gateway_events``): a redelivery answers ``duplicate``.

- ``charge.dispute.created``: the order is held (reason ``dispute``) with the dispute's reason
  and amount on the timeline; an order that has shipped, which cannot be held, gets the
  timeline entry.
- ``payment_intent.payment_failed``: a failed transaction is recorded and the order held
  (reason ``payment``).
- ``payment_intent.canceled``: unless Podium cancelled it (its void is recorded), the
  authorization is recorded as voided (Stripe cancels an uncaptured PaymentIntent after 7
  days) and the order held (``payment``).
- ``charge.refunded``: refunds made in Stripe's dashboard are recorded (the charge's
  ``amount_refunded`` beyond what Podium has recorded), once.

Other events, and events of PaymentIntents no order carries, are remembered as ``ignored``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import stripe
from sqlalchemy import Connection

from podium import orders
from podium.db.database import Database
from podium.errors import DomainError, InvalidTransition, ValidationFailed
from podium.money import format_amount
from podium.orders import HoldReason, locked_order, put_on_hold
from podium.payments import _store as store
from podium.payments.accounts import gateway_account
from podium.payments.book import Book
from podium.payments.events import PaymentDisputed
from podium.payments.gateways import Gateways
from podium.payments.model import Transaction, TxKind, summarise
from podium.payments.service import record_transaction

__all__ = ["TOLERANCE_SECONDS", "BadSignature", "receive_stripe_event"]

ACTOR = "system:stripe"
TOLERANCE_SECONDS = 300


class BadSignature(DomainError):
    status = 401
    code = "invalid_signature"


def _verify(body: bytes, signature: str | None, secret: str) -> dict[str, Any]:
    try:
        stripe.WebhookSignature.verify_header(
            body.decode("utf-8"), signature or "", secret, TOLERANCE_SECONDS
        )
    except (stripe.SignatureVerificationError, UnicodeDecodeError) as exc:
        raise BadSignature("The Stripe-Signature does not match this body.") from exc
    try:
        event = json.loads(body)
    except ValueError as exc:
        raise ValidationFailed("The event is not JSON.", code="invalid_json") from exc
    if not isinstance(event, dict) or not isinstance(event.get("id"), str):
        raise ValidationFailed("The event has no id.", code="invalid_event")
    return event


def _intent_of(obj: Mapping[str, Any], type_: str) -> str | None:
    found = obj.get("id") if type_.startswith("payment_intent.") else obj.get("payment_intent")
    if isinstance(found, Mapping):  # expanded
        found = found.get("id")
    return found if isinstance(found, str) else None


def receive_stripe_event(
    db: Database, gateways: Gateways, code: str, body: bytes, signature: str | None
) -> dict[str, Any]:
    """Verify and apply one delivery; answers what became of it."""
    account = gateway_account(db, code)
    if account["type"] != "stripe":
        raise ValidationFailed(f"Gateway {code} takes no Stripe events.", code="not_stripe")
    event = _verify(body, signature, str(account["settings"].get("webhook_secret") or ""))
    event_id, type_ = event["id"], str(event.get("type") or "")
    data = event.get("data")
    obj = data.get("object") if isinstance(data, Mapping) else None
    obj = obj if isinstance(obj, Mapping) else {}
    intent = _intent_of(obj, type_)
    with db.write() as conn:
        held = store.orders_of_reference(conn, code, intent) if intent else []
        order_id = held[0] if held else None
        outcome = "ignored"
        if order_id is not None and not _seen(conn, code, event_id):
            order = locked_order(conn, order_id)
            outcome = _apply(conn, gateways, code, order, type_, obj, intent or "", event_id)
        if not store.record_gateway_event(conn, code, event_id, type_, order_id, outcome):
            return {"status": "duplicate", "event": event_id, "order_id": order_id}
    return {"status": outcome, "event": event_id, "order_id": order_id}


def _seen(conn: Connection, code: str, event_id: str) -> bool:
    # Inserting the row is the real guard (primary key); this only spares the work.
    return store.gateway_event_seen(conn, code, event_id)


def _hold(conn: Connection, order: Mapping[Any, Any], reason: str, note: str) -> str:
    try:
        put_on_hold(conn, order, reason, note[:1000], actor=ACTOR, reuse_open=True)
        return "held"
    except InvalidTransition:  # shipped or cancelled: the timeline entry already says it
        return "recorded"


def _apply(
    conn: Connection,
    gateways: Gateways,
    code: str,
    order: Mapping[Any, Any],
    type_: str,
    obj: Mapping[str, Any],
    intent: str,
    event_id: str,
) -> str:
    cur = order["currency"]
    if type_ == "charge.dispute.created":
        amount = obj.get("amount")
        shown = format_amount(amount, cur) if isinstance(amount, int) else "?"
        dispute, reason = str(obj.get("id") or ""), str(obj.get("reason") or "unknown")
        note = (
            f"Stripe dispute {dispute} ({reason}) for {cur} {shown}; "
            "respond in Stripe before the evidence is due."
        )
        orders.record(
            conn,
            order,
            ACTOR,
            "payment.disputed",
            note,
            {"dispute": dispute, "reason": reason, "amount": shown, "event": event_id},
            event=PaymentDisputed(
                id=order["id"],
                number=order["number"],
                dispute=dispute,
                reason=reason,
                amount=shown,
                currency=cur,
            ),
        )
        return _hold(conn, order, HoldReason.DISPUTE.value, note)
    rows = Book(conn, [order["id"]]).rows(order["id"])
    paid = summarise(
        Transaction(TxKind(r["kind"]), r["amount"], r["status"] == "succeeded") for r in rows
    )
    if type_ == "payment_intent.payment_failed":
        err = obj.get("last_payment_error")
        why = err.get("message") or err.get("code") if isinstance(err, Mapping) else None
        record_transaction(
            conn, order, TxKind.AUTHORIZE, 0, gateways, ACTOR,
            gateway=code, reference=intent, succeeded=False,
        )  # fmt: skip
        note = f"Stripe: the payment of {intent} failed" + (f" ({why})." if why else ".")
        return _hold(conn, order, HoldReason.PAYMENT.value, note)
    if type_ == "payment_intent.canceled":
        if paid.voided or order["status"] == "cancelled":
            return "known"  # Podium cancelled it
        record_transaction(
            conn, order, TxKind.VOID, 0, gateways, ACTOR,
            gateway=code, reference=intent, succeeded=True,
        )  # fmt: skip
        why = obj.get("cancellation_reason") or "no reason given"
        note = f"Stripe cancelled PaymentIntent {intent} ({why}): nothing can be captured."
        return _hold(conn, order, HoldReason.PAYMENT.value, note)
    if type_ == "charge.refunded":
        refunded = obj.get("amount_refunded")
        if not isinstance(refunded, int) or str(obj.get("currency", "")).upper() != cur:
            return "ignored"
        missing = refunded - paid.refunded
        if missing <= 0:
            return "known"  # refunded through Podium, already recorded
        record_transaction(
            conn, order, TxKind.REFUND, missing, gateways, ACTOR,
            gateway=code, reference=str(obj.get("id") or intent), succeeded=True,
        )  # fmt: skip
        return "recorded"
    return "ignored"
