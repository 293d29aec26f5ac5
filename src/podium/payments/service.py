"""Use cases for payments: record transactions through a gateway, follow the channel's capture
policy, refund to the original payment, grant store credit, keep ``payment_status`` true."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection

from podium import catalog, orders
from podium.db.database import Database
from podium.errors import Conflict, ValidationFailed
from podium.events import Envelope
from podium.money import format_amount
from podium.orders import OrderView, lock_order_heads, order_views, orders_by_id
from podium.payments import _store as store
from podium.payments.book import Book
from podium.payments.events import PaymentRecorded
from podium.payments.gateways import Gateways, operation_key
from podium.payments.model import (
    CHANNEL_PAID_TAG,
    CapturePolicy,
    PaymentSummary,
    Transaction,
    TxKind,
    capture_target,
    derive_status,
    payment_policy,
    summarise,
)

__all__ = [
    "grant_store_credit",
    "on_order_events",
    "order_transactions",
    "paid_summary",
    "record_transaction",
    "refund_payment",
    "settle_orders",
    "settle_policy",
]

ACTOR = "system:payments"


def _as_transactions(rows: Sequence[Mapping[Any, Any]]) -> list[Transaction]:
    return [Transaction(TxKind(r["kind"]), r["amount"], r["status"] == "succeeded") for r in rows]


def _transactions(conn: Connection, order_id: str) -> list[Transaction]:
    return _as_transactions(store.transactions_for(conn, [order_id]))


def _channel_settings(conn: Connection, code: str) -> dict[str, Any]:
    """The channel's settings through the per-process catalogue copy (policies hold no secret;
    a policy changed in another process applies here within the copy's 2 s)."""
    found = catalog.cached_channel(conn, code)
    return dict(found.settings) if found is not None else {}


def paid_summary(conn: Connection, order_id: str) -> PaymentSummary:
    return summarise(_transactions(conn, order_id))


def order_transactions(conn: Connection, order_id: str) -> list[Transaction]:
    """The order's payment transactions (kind, amount, whether it succeeded)."""
    return _transactions(conn, order_id)


def _order_gateway(
    conn: Connection, gateways: Gateways, rows: Sequence[Mapping[Any, Any]], policy_gateway: str
) -> str:
    """The gateway that holds the order's money: a checkout gateway (Stripe) its authorization
    went through, where the PaymentIntent is captured, refunded or cancelled; else the
    channel's gateway, as before."""
    for r in reversed(rows):
        if r["kind"] == "authorize" and r["status"] == "succeeded":
            name = str(r["gateway"])
            if name != policy_gateway and _authorizes_at_checkout(conn, gateways, name):
                return name
            break
    return policy_gateway


def _last_reference(rows: Sequence[Mapping[Any, Any]], kinds: set[str]) -> str | None:
    found = [r for r in rows if r["kind"] in kinds and r["status"] == "succeeded"]
    return found[-1]["reference"] if found else None


def record_transaction(
    conn: Connection,
    order: Mapping[Any, Any],
    kind: TxKind,
    amount: int,
    gateways: Gateways,
    actor: str,
    *,
    gateway: str | None = None,
    reference: str | None = None,
    succeeded: bool | None = None,
    refund_id: str | None = None,
    book: Book | None = None,
) -> dict[str, Any]:
    """Ask the gateway (unless the outcome is already known) and record the transaction; then
    re-derive the order's payment status. Call with the order row locked. With a ``book``
    the status change waits for ``book.flush()``; without one it is written at once."""
    own = book is None
    if book is None:
        book = Book(conn, [order["id"]])
    cur = order["currency"]
    earlier = book.rows(order["id"])
    name = gateway or _order_gateway(
        conn, gateways, earlier, payment_policy(_channel_settings(conn, order["channel"])).gateway
    )
    note = ""
    if succeeded is None:
        gw = gateways.get(name, conn)
        prior = _last_reference(earlier, {"authorize", "capture"})
        key = operation_key(order["id"], kind.value, len(earlier))
        if kind is TxKind.AUTHORIZE:
            result = gw.authorize(order["id"], amount, cur, idempotency_key=key)
        elif kind is TxKind.CAPTURE:
            result = gw.capture(prior, amount, cur, idempotency_key=key)
        elif kind is TxKind.REFUND:
            result = gw.refund(prior, amount, cur, idempotency_key=key)
        else:
            result = gw.void(prior, idempotency_key=key)
        succeeded, reference = result.succeeded, reference or result.reference
        note = result.message
    row = store.insert_transaction(
        conn,
        {
            "order_id": order["id"],
            "kind": kind.value,
            "status": "succeeded" if succeeded else "failed",
            "amount": amount,
            "currency": cur,
            "gateway": name,
            "reference": reference,
            "refund_id": refund_id,
            "created_by": actor,
        },
    )
    book.add(row)
    before = book.payment_status(order)
    status = derive_status(order["total"], _as_transactions(book.rows(order["id"]))).value
    if status != before:
        book.set_payment_status(order, status)
    if own:
        book.flush()
    orders.record(
        conn,
        order,
        actor,
        f"payment.{kind.value}",
        f"{cur} {format_amount(amount, cur)} {_VERB[kind.value]} via {name}"
        + ("." if succeeded else " — FAILED" + (f": {note}" if note else "") + "."),
        {"transaction_id": row["id"], "status": row["status"], "from": before, "to": status}
        | ({"gateway_message": note} if note and not succeeded else {}),
        event=PaymentRecorded(
            id=order["id"],
            number=order["number"],
            transaction_id=row["id"],
            kind=kind.value,
            status=row["status"],
            amount=format_amount(amount, cur),
            currency=cur,
            payment_status=status,
        ),
    )
    return row


_VERB = {"authorize": "authorized", "capture": "captured", "refund": "refunded", "void": "voided"}


def settle_policy(
    conn: Connection,
    order: Mapping[Any, Any],
    gateways: Gateways,
    *,
    book: Book | None = None,
    view: OrderView | None = None,
) -> None:
    """Record what the channel's capture policy says is due by now (idempotent). ``book`` and
    ``view`` (the order's view, needed for capture on shipment) may come preloaded for a batch;
    without a book, everything is written before this returns."""
    if book is None:
        book = Book(conn, [order["id"]])
        _settle(conn, order, gateways, book, view)
        book.flush()
    else:
        _settle(conn, order, gateways, book, view)


def _settle(
    conn: Connection,
    order: Mapping[Any, Any],
    gateways: Gateways,
    book: Book,
    view: OrderView | None,
) -> None:
    if order["status"] == "pending":
        return
    txs = _as_transactions(book.rows(order["id"]))
    status = derive_status(order["total"], txs).value
    if CHANNEL_PAID_TAG in (order["tags"] or []):  # the channel's facts are the payments
        if status != book.payment_status(order):
            book.set_payment_status(order, status)
        return
    paid = summarise(txs)
    if order["status"] == "cancelled":  # release an authorization nothing was captured on
        if paid.authorized > 0 and paid.captured == 0 and not paid.voided:
            record_transaction(conn, order, TxKind.VOID, 0, gateways, ACTOR, book=book)
        return
    policy = payment_policy(_channel_settings(conn, order["channel"]))
    if policy.capture is CapturePolicy.MANUAL:
        return
    total = order["total"]
    if status != book.payment_status(order):  # the total changed (an order edit)
        book.set_payment_status(order, status)
    money_gateway = _order_gateway(conn, gateways, book.rows(order["id"]), policy.gateway)
    if _authorizes_at_checkout(conn, gateways, money_gateway):
        _settle_checkout(conn, order, gateways, book, view, policy.capture, paid)
        return
    if policy.capture is CapturePolicy.ON_PLACEMENT:
        due = total - paid.captured
        if due > 0 and not paid.voided and (not txs or paid.captured > 0):
            record_transaction(conn, order, TxKind.CAPTURE, due, gateways, ACTOR, book=book)
        return
    if not txs and total > 0:
        record_transaction(conn, order, TxKind.AUTHORIZE, total, gateways, ACTOR, book=book)
    if view is None:
        view = order_views(conn, [order])[0]
    wanted = sum(ln.quantity - ln.quantity_cancelled for ln in view.lines)
    shipped = sum(ln.quantity_shipped for ln in view.lines)
    due = capture_target(total, shipped, wanted) - paid.captured if shipped else 0
    if due > 0 and not paid.voided:
        record_transaction(conn, order, TxKind.CAPTURE, due, gateways, ACTOR, book=book)


def _authorizes_at_checkout(conn: Connection, gateways: Gateways, name: str) -> bool:
    try:
        gateway = gateways.get(name, conn)
    except ValidationFailed:  # an unknown gateway fails where it is used, as before
        return False
    return bool(getattr(gateway, "authorizes_at_checkout", False))


def _settle_checkout(
    conn: Connection,
    order: Mapping[Any, Any],
    gateways: Gateways,
    book: Book,
    view: OrderView | None,
    capture: CapturePolicy,
    paid: PaymentSummary,
) -> None:
    """A gateway whose payments the storefront authorizes (Stripe: a PaymentIntent with
    ``capture_method=manual``, recorded at placement). Podium never authorizes there; it
    captures the authorization once: at placement, or when the first units ship (capture on
    shipment) for what the order is worth by then (at most what was authorized; a partial
    capture releases the rest). One capture per PaymentIntent, so later shipments capture
    nothing more; a total raised after the capture stays a balance due."""
    if paid.authorized <= 0 or paid.voided or paid.captured > 0:
        return
    if any(r["kind"] == "capture" and r["status"] != "succeeded" for r in book.rows(order["id"])):
        return  # declined once: a person decides (POST /orders/{id}/payments), not each event
    if capture is CapturePolicy.ON_SHIPMENT:
        if view is None:
            view = order_views(conn, [order])[0]
        if not any(ln.quantity_shipped for ln in view.lines):
            return
    due = min(order["total"], paid.authorized)
    if due > 0:
        record_transaction(conn, order, TxKind.CAPTURE, due, gateways, ACTOR, book=book)


def settle_orders(db: Database, order_ids: Sequence[str], gateways: Gateways) -> None:
    """``settle_policy`` for many orders in one transaction: the orders locked in id order by
    one statement, their transactions read by one, the views the capture-on-shipment orders
    need by one batch, every new row sent with the others and one UPDATE per new status."""
    with db.write(batch_inserts=True) as conn:
        rows = lock_order_heads(conn, order_ids)
        book = Book(conn, [r["id"] for r in rows])
        on_shipment = [r["id"] for r in rows if _needs_view(conn, r)]
        views = {v.id: v for v in order_views(conn, orders_by_id(conn, on_shipment))}
        for row in rows:
            settle_policy(conn, row, gateways, book=book, view=views.get(row["id"]))
        book.flush()


def _needs_view(conn: Connection, order: Mapping[Any, Any]) -> bool:
    if order["status"] in ("pending", "cancelled") or CHANNEL_PAID_TAG in (order["tags"] or []):
        return False
    policy = payment_policy(_channel_settings(conn, order["channel"]))
    return policy.capture is CapturePolicy.ON_SHIPMENT


def on_order_events(db: Database, gateways: Gateways) -> Callable[[list[Envelope]], None]:
    """Batch subscriber: after placement, edits, cancellation and each shipment, record what
    the channel's capture policy says is due. One transaction for the whole batch (orders
    locked in id order); if it fails, each order is tried on its own so one bad order cannot
    hold back the others, and the failure is raised for the relay to retry (it is idempotent).
    """

    def handle(events: list[Envelope]) -> None:
        ids = sorted(
            {
                str(e.payload.get("order_id") or e.payload.get("id"))
                for e in events
                if isinstance(e.payload.get("order_id") or e.payload.get("id"), str)
            }
        )
        try:
            settle_orders(db, ids, gateways)
        except Exception:
            failed: Exception | None = None
            for order_id in ids:
                try:
                    settle_orders(db, [order_id], gateways)
                except Exception as exc:
                    failed = exc
            if failed is not None:
                raise failed from None

    return handle


def refund_payment(
    conn: Connection,
    order: Mapping[Any, Any],
    amount: int,
    refund_id: str,
    gateways: Gateways,
    actor: str,
) -> None:
    """Send ``amount`` back to the original payment; refuses when the gateway does."""
    row = record_transaction(
        conn, order, TxKind.REFUND, amount, gateways, actor, refund_id=refund_id
    )
    if row["status"] != "succeeded":
        raise Conflict(
            "The payment gateway refused the refund.",
            code="refund_declined",
            details={"gateway": row["gateway"]},
        )


def grant_store_credit(
    conn: Connection,
    order: Mapping[Any, Any],
    amount: int,
    refund_id: str,
    actor: str,
) -> None:
    email = order["customer_email"]
    if not email:
        raise ValidationFailed(
            "Store credit needs the order's customer e-mail.",
            code="no_customer_email",
            details={"field": "method"},
        )
    store.insert_credit(
        conn,
        {
            "customer_email": email,
            "currency": order["currency"],
            "amount": amount,
            "order_id": order["id"],
            "refund_id": refund_id,
            "note": None,
            "created_by": actor,
        },
    )
