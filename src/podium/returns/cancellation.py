"""Cancelling an order and settling its money in the same transaction.

``orders.cancellation`` cancels what has not shipped (all of it, or the unshipped units of a
partly shipped order) and shrinks the order's total by what they were worth. Here the payment
policy then runs on the new total: what is due for the kept units is captured (capture on
shipment), an authorization nothing was captured on is voided, and whatever was paid beyond
the value of what the customer keeps is refunded through the refund machinery every other
refund uses (one ``refunds`` row, the gateway's refund, ``refund.issued``). Orders whose money
the sales channel handles (and channels whose payments staff record by hand) get no Podium
refund: the channel's refund arrives as a fact, or staff record it.
"""

from __future__ import annotations

from sqlalchemy import Connection

from podium import catalog, payments
from podium.db.database import Database
from podium.orders import (
    Cancellation,
    OrderView,
    cancel_in_transaction,
    get_order,
    locked_order,
    order_facts,
    reject_risk_in_transaction,
)
from podium.payments import CHANNEL_PAID_TAG, CapturePolicy, Gateways, payment_policy
from podium.returns import _store as store
from podium.returns.model import RefundIn
from podium.returns.refunds import Plan, issue_refund

__all__ = ["cancel_order", "reject_for_risk", "settle_cancellation"]


def cancel_order(
    db: Database, order_id: str, actor: str, gateways: Gateways, reason: str | None = None
) -> OrderView:
    """Cancel every unshipped unit of the order and give back what was paid for them."""
    with db.write() as conn:
        done = cancel_in_transaction(conn, order_id, actor, reason)
        settle_cancellation(conn, done, gateways, actor)
    return get_order(db, order_id)


def reject_for_risk(
    db: Database, order_id: str, actor: str, gateways: Gateways, note: str | None = None
) -> OrderView:
    """Risk review's reject (issue 15): the decision on the timeline, the order cancelled and
    what was paid given back, in one transaction (409 ``not_in_risk_review`` unless the order
    is held for risk)."""
    with db.write() as conn:
        reject_risk_in_transaction(conn, order_id, actor, note)
        done = cancel_in_transaction(conn, order_id, actor, "rejected in risk review")
        settle_cancellation(conn, done, gateways, actor)
    return get_order(db, order_id)


def settle_cancellation(
    conn: Connection, done: Cancellation, gateways: Gateways, actor: str
) -> int:
    """Apply the payment policy after a cancellation; returns the amount refunded."""
    order = locked_order(conn, done.order_id)
    if CHANNEL_PAID_TAG in (order["tags"] or []):
        return 0
    channel = catalog.cached_channel(conn, order["channel"])
    policy = payment_policy(dict(channel.settings) if channel is not None else {})
    if policy.capture is CapturePolicy.MANUAL:
        return 0
    payments.settle_policy(conn, order, gateways)
    order = locked_order(conn, done.order_id)
    kept = 0 if done.partial is False else order["total"]
    paid = payments.paid_summary(conn, order["id"])
    refunded = sum(r["amount"] for r in store.refunds_for(conn, order_id=order["id"]))
    owed: int = paid.captured - refunded - kept
    if owed <= 0:
        return 0
    units = sum(done.units.values())
    data = RefundIn(
        reason=f"order cancelled ({units} unshipped unit(s))",
        include_shipping=not done.partial,
    )
    facts = order_facts(conn, order["id"])
    issue_refund(conn, order, facts, Plan(), data, gateways, actor, fixed_amount=owed)
    return owed
