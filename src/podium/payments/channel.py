"""Payments a sales channel already took (Shopify ``financial_status`` and transactions,
WooCommerce ``date_paid``, Amazon), recorded on the Podium order as transactions of the
gateway ``channel:<code>`` so ``payment_status`` tells the truth without Podium moving money.

Recording is a reconciliation, not an append: what the channel's facts add up to is compared
with what was already recorded from that channel, and only the difference is written, so a
redelivered or repeated webhook records nothing twice and an update (authorized → paid)
records just the capture.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection

from podium.orders import locked_order
from podium.payments import _store as store
from podium.payments.gateways import Gateways
from podium.payments.model import PaymentFact, TxKind
from podium.payments.service import paid_summary, record_transaction

__all__ = ["channel_gateway", "cover_channel_refund", "record_channel_payments"]


def channel_gateway(channel: str) -> str:
    """The gateway name channel-made transactions are recorded under (as channel refunds)."""
    return f"channel:{channel}"[:32]


def record_channel_payments(
    conn: Connection,
    order: Mapping[Any, Any],
    channel: str,
    facts: Sequence[PaymentFact],
    actor: str,
) -> int:
    """Record what ``facts`` say beyond what this channel's transactions already show; returns
    how many transactions were written. Call with the order row locked."""
    gateway = channel_gateway(channel)
    rows = [r for r in store.transactions(conn, order["id"]) if r["gateway"] == gateway]
    ok = [r for r in rows if r["status"] == "succeeded"]
    written = 0
    for kind in (TxKind.AUTHORIZE, TxKind.CAPTURE):
        wanted = [f for f in facts if f.kind is kind and f.succeeded]
        delta = sum(f.amount for f in wanted) - sum(r["amount"] for r in ok if r["kind"] == kind)
        if delta > 0:
            order = _record(conn, order, kind, delta, gateway, wanted[-1].reference, True, actor)
            written += 1
    voided = any(f.kind is TxKind.VOID and f.succeeded for f in facts)
    if (
        voided
        and not any(r["kind"] == "void" for r in ok)
        and paid_summary(conn, order["id"]).captured == 0
    ):
        ref = next((f.reference for f in facts if f.kind is TxKind.VOID), None)
        order = _record(conn, order, TxKind.VOID, 0, gateway, ref, True, actor)
        written += 1
    failed = [f for f in facts if not f.succeeded]
    if failed and not rows and not any(f.succeeded for f in facts):
        f = failed[-1]
        _record(conn, order, f.kind, f.amount, gateway, f.reference, False, actor)
        written += 1
    return written


def cover_channel_refund(
    conn: Connection, order: Mapping[Any, Any], channel: str, amount: int, actor: str
) -> bool:
    """A channel that refunds ``amount`` had taken it: when the recorded captures cannot cover
    the refund (the payment facts never reached Podium), record the missing capture from the
    channel, at most up to the order's total. Returns whether one was recorded."""
    paid = paid_summary(conn, order["id"])
    missing = min(amount - paid.net_paid, order["total"] - paid.captured)
    if missing <= 0:
        return False
    gateway = channel_gateway(channel)
    _record(conn, order, TxKind.CAPTURE, missing, gateway, "inferred-from-refund", True, actor)
    return True


def _record(
    conn: Connection,
    order: Mapping[Any, Any],
    kind: TxKind,
    amount: int,
    gateway: str,
    reference: str | None,
    succeeded: bool,
    actor: str,
) -> Mapping[Any, Any]:
    record_transaction(
        conn,
        order,
        kind,
        amount,
        Gateways(),  # never asked: the outcome is the channel's fact
        actor,
        gateway=gateway,
        reference=reference,
        succeeded=succeeded,
    )
    return locked_order(conn, order["id"])  # payment_status was re-derived
