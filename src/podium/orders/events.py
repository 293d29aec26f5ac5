"""The events about an order that orders itself emits, and ``OrderEvent``, the base of every
event whose aggregate is an order (other capabilities' order events derive from it).

Every order event's payload starts with the order's ``id`` and ``number``. Registered in the
catalogue on import (see ``podium.events.catalogue``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from podium.events import Event, omit_none
from podium.orders.status import OrderStatus

__all__ = [
    "STATUS_EVENTS",
    "OrderCancelled",
    "OrderCreated",
    "OrderDelivered",
    "OrderEdited",
    "OrderEvent",
    "OrderHeld",
    "OrderPartiallyCancelled",
    "OrderPartiallyShipped",
    "OrderPromiseChanged",
    "OrderReady",
    "OrderShipped",
    "OrderStatusChanged",
]


@dataclass(frozen=True, kw_only=True)
class OrderEvent(Event, aggregate="order"):
    """Something that happened to an order (delivered in order per order)."""

    id: str
    number: str

    def aggregate_id(self) -> str:
        return self.id


@dataclass(frozen=True, kw_only=True)
class OrderCreated(OrderEvent, type="order.created"):
    """An order was placed (from a channel, the API or an import), routed and reserved;
    ``status`` is where it starts (``ready``, or ``on_hold`` with an ``order.held`` next)."""

    channel: str
    status: str
    total: str
    currency: str


@dataclass(frozen=True, kw_only=True)
class OrderHeld(OrderEvent, type="order.held"):
    """An order was put on hold: ``reason`` is the hold reason (backorder, unknown_sku,
    routing, fraud_review…); ``queue`` names the routing rule's queue for a routing hold."""

    reason: str
    queue: str | None = field(default=None, metadata=omit_none())


@dataclass(frozen=True, kw_only=True)
class OrderCancelled(OrderEvent, type="order.cancelled"):
    """A whole order was cancelled; ``lines`` lists the cancelled units
    (``line_no``, ``sku``, ``quantity``)."""

    reason: str | None
    partial: bool
    lines: list[dict[str, Any]]


@dataclass(frozen=True, kw_only=True)
class OrderPartiallyCancelled(OrderEvent, type="order.partially_cancelled"):
    """A partly shipped order's unshipped units were cancelled (shipped units stay);
    ``amount`` is what the cancelled units were worth."""

    reason: str | None
    partial: bool
    lines: list[dict[str, Any]]
    amount: str
    currency: str


@dataclass(frozen=True, kw_only=True)
class OrderEdited(OrderEvent, type="order.edited"):
    """An order's lines, addresses or shipping were edited; ``before`` and ``after`` hold
    what changed, ``total`` the new total."""

    before: dict[str, Any]
    after: dict[str, Any]
    total: str
    currency: str


@dataclass(frozen=True, kw_only=True)
class OrderStatusChanged(OrderEvent):
    """The base of the events an order's fulfilment status raises (``order.<status>``)."""

    status: str


@dataclass(frozen=True, kw_only=True)
class OrderReady(OrderStatusChanged, type="order.ready"):
    """An order can be fulfilled: placed without holds, or its last hold released."""


@dataclass(frozen=True, kw_only=True)
class OrderPartiallyShipped(OrderStatusChanged, type="order.partially_shipped"):
    """Some of an order's units have shipped, others have not."""


@dataclass(frozen=True, kw_only=True)
class OrderShipped(OrderStatusChanged, type="order.shipped"):
    """Every unit of an order has shipped."""


@dataclass(frozen=True, kw_only=True)
class OrderDelivered(OrderStatusChanged, type="order.delivered"):
    """Every unit of an order was delivered."""


@dataclass(frozen=True, kw_only=True)
class OrderPromiseChanged(OrderEvent, type="order.promise_changed"):
    """A pre-order's promised day moved because the purchase order it waits for moved or was
    cancelled: ``promised_date`` is the new day (null: nothing can be promised now; the order
    still waits on its backorder hold), ``previous`` the old one, ``reason`` why."""

    promised_date: str | None
    previous: str | None
    reason: str


# The event each status that ``lifecycle.sync_status`` derives raises.
STATUS_EVENTS: dict[OrderStatus, type[OrderStatusChanged]] = {
    OrderStatus.READY: OrderReady,
    OrderStatus.PARTIALLY_SHIPPED: OrderPartiallyShipped,
    OrderStatus.SHIPPED: OrderShipped,
    OrderStatus.DELIVERED: OrderDelivered,
}
