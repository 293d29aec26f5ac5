"""The shipment status machine (pure).

::

    pending ─► released ─► picking ─► packed ─► shipped
    shipped ─► in_transit ─► out_for_delivery ─► delivered
    shipped | in_transit | out_for_delivery ─► exception
    exception ─► in_transit | out_for_delivery | delivered | returned_to_sender
    pending | released | picking | packed ─► cancelled

Stock stays reserved while a shipment is pending, released, picking or packed ("open"); shipping
it turns the reservation into a shipment movement; cancelling releases it.
"""

from __future__ import annotations

from enum import StrEnum

from podium.errors import InvalidTransition

__all__ = ["OPEN_STATUSES", "SHIPPED_STATUSES", "ShipmentStatus", "check_shipment_transition"]


class ShipmentStatus(StrEnum):
    PENDING = "pending"
    RELEASED = "released"
    PICKING = "picking"
    PACKED = "packed"
    SHIPPED = "shipped"
    IN_TRANSIT = "in_transit"
    OUT_FOR_DELIVERY = "out_for_delivery"
    DELIVERED = "delivered"
    EXCEPTION = "exception"
    RETURNED_TO_SENDER = "returned_to_sender"
    CANCELLED = "cancelled"


S = ShipmentStatus
OPEN_STATUSES = frozenset({S.PENDING, S.RELEASED, S.PICKING, S.PACKED})
SHIPPED_STATUSES = frozenset(
    {S.SHIPPED, S.IN_TRANSIT, S.OUT_FOR_DELIVERY, S.DELIVERED, S.EXCEPTION, S.RETURNED_TO_SENDER}
)
_IN_FLIGHT = {S.IN_TRANSIT, S.OUT_FOR_DELIVERY, S.DELIVERED, S.EXCEPTION}
_ALLOWED: dict[ShipmentStatus, frozenset[ShipmentStatus]] = {
    S.PENDING: frozenset({S.RELEASED, S.PICKING, S.PACKED, S.SHIPPED, S.CANCELLED}),
    S.RELEASED: frozenset({S.PENDING, S.PICKING, S.PACKED, S.SHIPPED, S.CANCELLED}),
    S.PICKING: frozenset({S.PACKED, S.SHIPPED, S.CANCELLED}),
    S.PACKED: frozenset({S.SHIPPED, S.CANCELLED}),
    S.SHIPPED: frozenset(_IN_FLIGHT),
    S.IN_TRANSIT: frozenset(_IN_FLIGHT - {S.IN_TRANSIT}),
    S.OUT_FOR_DELIVERY: frozenset({S.DELIVERED, S.EXCEPTION, S.IN_TRANSIT}),
    S.EXCEPTION: frozenset({S.IN_TRANSIT, S.OUT_FOR_DELIVERY, S.DELIVERED, S.RETURNED_TO_SENDER}),
    S.DELIVERED: frozenset(),
    S.RETURNED_TO_SENDER: frozenset(),
    S.CANCELLED: frozenset(),
}


def check_shipment_transition(current: str, target: str) -> ShipmentStatus:
    now, then = ShipmentStatus(current), ShipmentStatus(target)
    if then not in _ALLOWED[now]:
        raise InvalidTransition("shipment", now.value, then.value)
    return then
