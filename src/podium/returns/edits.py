"""Editing an order and settling its money in the same transaction.

``orders.edits`` changes the lines, address and totals. When that lowers the order's total
below what the customer has paid (captured net of refunds), the excess goes back through the
refund machinery the cancellation uses (one ``refunds`` row, the gateway's refund,
``refund.issued`` on the timeline); a declined refund rolls the whole edit back. A raised total
is left to the payment policy's subscriber on ``order.edited``: capture on placement captures
the difference, capture on shipment captures it as units ship, manual leaves it as balance due.
Orders the channel takes payment for get no Podium refund: the channel's refund arrives as a fact.
"""

from __future__ import annotations

from sqlalchemy import Connection

from podium import catalog, payments
from podium.db.database import Database
from podium.orders import (
    Allocator,
    OrderEditIn,
    OrderView,
    edit_in_transaction,
    get_order,
    locate,
    locked_order,
    order_facts,
)
from podium.payments import CHANNEL_PAID_TAG, CapturePolicy, Gateways, payment_policy
from podium.returns import _store as store
from podium.returns.model import RefundIn
from podium.returns.refunds import Plan, issue_refund

__all__ = ["edit_order", "settle_edit"]


def edit_order(
    db: Database,
    order_id: str,
    data: OrderEditIn,
    actor: str,
    *,
    allocator: Allocator,
    gateways: Gateways,
) -> OrderView:
    """Edit the order; refund what was paid beyond its new total."""
    destination = locate(data, allocator.geocoder)
    with db.write() as conn:
        edit_in_transaction(conn, order_id, data, actor, destination, allocator)
        settle_edit(conn, order_id, gateways, actor)
    return get_order(db, order_id)


def settle_edit(conn: Connection, order_id: str, gateways: Gateways, actor: str) -> int:
    """Refund the captured money the edited order no longer covers; returns the amount."""
    order = locked_order(conn, order_id)
    if CHANNEL_PAID_TAG in (order["tags"] or []):
        return 0
    channel = catalog.cached_channel(conn, order["channel"])
    policy = payment_policy(dict(channel.settings) if channel is not None else {})
    if policy.capture is CapturePolicy.MANUAL:
        return 0
    paid = payments.paid_summary(conn, order["id"])
    refunded = sum(r["amount"] for r in store.refunds_for(conn, order_id=order["id"]))
    owed: int = paid.captured - refunded - order["total"]
    if owed <= 0:
        return 0
    data = RefundIn(reason="order edited: total lowered", include_shipping=False)
    facts = order_facts(conn, order["id"])
    issue_refund(conn, order, facts, Plan(), data, gateways, actor, fixed_amount=owed)
    return owed
