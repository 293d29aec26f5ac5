"""The order status machine, documented and enforced here (pure).

::

    pending ──► ready ──► partially_shipped ──► shipped ──► delivered
       │          ▲  │            │                 │
       │          │  └──► on_hold ◄┘ (hold a partly shipped order)
       └──► on_hold ──┘
    pending | ready | on_hold ──► cancelled
    on_hold | partially_shipped ──► shipped (the unshipped units cancelled: a partial
                                             cancellation; shipped units are never cancelled)

``pending``: being placed (never visible after placement commits). ``ready``: stock allocated,
awaiting fulfilment. ``on_hold``: stopped for a reason (backorder, manual, fraud review…) until
every hold is released. ``partially_shipped``/``shipped``/``delivered`` follow the shipments.
``cancelled`` and ``delivered`` are final.

``change_status`` is the one way an order's status changes after placement: it always checks
the transition first.
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import Connection

from podium.errors import InvalidTransition
from podium.orders import _store as store

__all__ = [
    "HoldReason",
    "OrderStatus",
    "change_status",
    "check_transition",
    "derive_fulfilment_status",
]


class OrderStatus(StrEnum):
    PENDING = "pending"
    READY = "ready"
    ON_HOLD = "on_hold"
    PARTIALLY_SHIPPED = "partially_shipped"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"


class HoldReason(StrEnum):
    BACKORDER = "backorder"
    UNKNOWN_SKU = "unknown_sku"
    FRAUD_REVIEW = "fraud_review"
    RISK = "risk"  # the risk score at placement is high (issue 15): approve or reject
    ADDRESS = "address"
    PAYMENT = "payment"
    MANUAL = "manual"
    ROUTING = "routing"  # a routing rule held the order in a named queue (the hold's note)
    AWAITING_RETURN = "awaiting_return"  # an advance exchange waits for the returned item
    DISPUTE = "dispute"  # the customer disputed the card payment (a chargeback)
    LOCATION = "location"  # handed over at a store Podium cannot place (unmapped location)


S = OrderStatus
_ALLOWED: dict[OrderStatus, frozenset[OrderStatus]] = {
    S.PENDING: frozenset({S.READY, S.ON_HOLD, S.CANCELLED}),
    S.READY: frozenset({S.ON_HOLD, S.PARTIALLY_SHIPPED, S.SHIPPED, S.CANCELLED}),
    S.ON_HOLD: frozenset({S.READY, S.PARTIALLY_SHIPPED, S.SHIPPED, S.CANCELLED}),
    S.PARTIALLY_SHIPPED: frozenset({S.SHIPPED, S.ON_HOLD}),
    S.SHIPPED: frozenset({S.DELIVERED}),
    S.DELIVERED: frozenset(),
    S.CANCELLED: frozenset(),
}


def check_transition(current: str, target: str) -> OrderStatus:
    """Return the target status, or raise InvalidTransition (409) if the machine forbids it."""
    now, then = OrderStatus(current), OrderStatus(target)
    if then not in _ALLOWED[now]:
        raise InvalidTransition("order", now.value, then.value)
    return then


def change_status(conn: Connection, order_id: str, current: str, target: str) -> OrderStatus:
    """Move the order (locked by the caller) from ``current`` to ``target``, or raise
    InvalidTransition (409) if the machine forbids it; returns the new status."""
    then = check_transition(current, target)
    store.set_status(conn, order_id, then.value)
    return then


def derive_fulfilment_status(ordered: int, shipped: int, delivered: int) -> str:
    """``unfulfilled`` / ``partially_fulfilled`` / ``fulfilled`` / ``delivered`` from counts."""
    if ordered > 0 and delivered >= ordered:
        return "delivered"
    if ordered > 0 and shipped >= ordered:
        return "fulfilled"
    if shipped > 0:
        return "partially_fulfilled"
    return "unfulfilled"
