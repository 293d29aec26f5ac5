"""The events fulfilment emits about shipments (registered in the catalogue on import).

Their aggregate is the order, so a shipment's events reach subscribers in order with its
order's. Facts a caller adds (``extra``) are written into the payload as they come.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from podium.events import SPREAD, key
from podium.orders import OrderEvent
from podium.shipments import ShipmentStatus

__all__ = [
    "STATUS_EVENTS",
    "ShipmentCancelled",
    "ShipmentDelivered",
    "ShipmentException",
    "ShipmentInTransit",
    "ShipmentLabelCreated",
    "ShipmentLabelVoided",
    "ShipmentOutForDelivery",
    "ShipmentPacked",
    "ShipmentPicking",
    "ShipmentPromiseChanged",
    "ShipmentReleased",
    "ShipmentReturnedToSender",
    "ShipmentShipped",
    "ShipmentShortPicked",
    "ShipmentStatusChanged",
    "ShipmentUnreleased",
]


@dataclass(frozen=True, kw_only=True)
class ShipmentStatusChanged(OrderEvent):
    """The base of ``shipment.<status>``: the shipment, the status it left (``from``), the
    warehouse, the status it is in and its tracking number."""

    shipment_id: str
    from_: str = field(metadata=key("from"))
    extra: dict[str, Any] = field(default_factory=dict, metadata=SPREAD)
    order_id: str
    warehouse: str
    status: str
    tracking_number: str | None


@dataclass(frozen=True, kw_only=True)
class ShipmentUnreleased(ShipmentStatusChanged, type="shipment.unreleased"):
    """A released shipment was taken back from the warehouse (pending again)."""


@dataclass(frozen=True, kw_only=True)
class ShipmentReleased(ShipmentStatusChanged, type="shipment.released"):
    """A shipment was released to its warehouse for picking."""


@dataclass(frozen=True, kw_only=True)
class ShipmentPicking(ShipmentStatusChanged, type="shipment.picking"):
    """The warehouse started picking a shipment."""


@dataclass(frozen=True, kw_only=True)
class ShipmentPacked(ShipmentStatusChanged, type="shipment.packed"):
    """A shipment was packed."""


@dataclass(frozen=True, kw_only=True)
class ShipmentShipped(ShipmentStatusChanged, type="shipment.shipped"):
    """A shipment left the warehouse with its carrier."""


@dataclass(frozen=True, kw_only=True)
class ShipmentInTransit(ShipmentStatusChanged, type="shipment.in_transit"):
    """The carrier reports a shipment in transit."""


@dataclass(frozen=True, kw_only=True)
class ShipmentOutForDelivery(ShipmentStatusChanged, type="shipment.out_for_delivery"):
    """The carrier reports a shipment out for delivery."""


@dataclass(frozen=True, kw_only=True)
class ShipmentDelivered(ShipmentStatusChanged, type="shipment.delivered"):
    """The carrier reports a shipment delivered."""


@dataclass(frozen=True, kw_only=True)
class ShipmentException(ShipmentStatusChanged, type="shipment.exception"):
    """The carrier reports a problem with a shipment (damaged, address, held…)."""


@dataclass(frozen=True, kw_only=True)
class ShipmentReturnedToSender(ShipmentStatusChanged, type="shipment.returned_to_sender"):
    """A shipment is on its way back to the warehouse, undelivered."""


@dataclass(frozen=True, kw_only=True)
class ShipmentCancelled(ShipmentStatusChanged, type="shipment.cancelled"):
    """A shipment was cancelled (its order cancelled, or re-routed elsewhere)."""


S = ShipmentStatus
# The event each status change raises.
STATUS_EVENTS: dict[ShipmentStatus, type[ShipmentStatusChanged]] = {
    S.PENDING: ShipmentUnreleased,
    S.RELEASED: ShipmentReleased,
    S.PICKING: ShipmentPicking,
    S.PACKED: ShipmentPacked,
    S.SHIPPED: ShipmentShipped,
    S.IN_TRANSIT: ShipmentInTransit,
    S.OUT_FOR_DELIVERY: ShipmentOutForDelivery,
    S.DELIVERED: ShipmentDelivered,
    S.EXCEPTION: ShipmentException,
    S.RETURNED_TO_SENDER: ShipmentReturnedToSender,
    S.CANCELLED: ShipmentCancelled,
}


@dataclass(frozen=True, kw_only=True)
class ShipmentLabelCreated(OrderEvent, type="shipment.label_created"):
    """A carrier label was bought for a shipment (carrier, service, tracking, price)."""

    shipment_id: str
    order_id: str
    extra: dict[str, Any] = field(default_factory=dict, metadata=SPREAD)


@dataclass(frozen=True, kw_only=True)
class ShipmentLabelVoided(OrderEvent, type="shipment.label_voided"):
    """A shipment's label was voided (the postage refunded)."""

    shipment_id: str
    order_id: str
    extra: dict[str, Any] = field(default_factory=dict, metadata=SPREAD)


@dataclass(frozen=True, kw_only=True)
class ShipmentPromiseChanged(OrderEvent, type="shipment.promise_changed"):
    """The date a shipment was promised to the customer by changed (``promised_by``, ISO
    date or null)."""

    shipment_id: str
    order_id: str
    promised_by: Any


@dataclass(frozen=True, kw_only=True)
class ShipmentShortPicked(OrderEvent, type="shipment.short_picked"):
    """Units of a shipment were not found when picking (``short``: SKU → units); they are
    back-ordered."""

    shipment_id: str
    warehouse: str
    short: dict[str, int]
