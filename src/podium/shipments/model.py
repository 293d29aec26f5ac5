"""The shipment record and its status machine (pure).

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

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel

from podium.db.database import as_utc
from podium.errors import InvalidTransition

__all__ = [
    "OPEN_STATUSES",
    "SHIPPED_STATUSES",
    "Shipment",
    "ShipmentLine",
    "ShipmentLineView",
    "ShipmentStatus",
    "ShipmentView",
    "check_shipment_transition",
    "path_to",
    "shipment_view",
]


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


def path_to(current: str, target: str) -> list[ShipmentStatus]:
    """The shortest walk through the machine from ``current`` to ``target``: a carrier may
    report ``delivered`` for a parcel we only knew as ``packed``, or ``returned_to_sender``
    (via ``exception``) for one in transit. Empty when already there; InvalidTransition when
    the machine allows no way. Never walks through ``cancelled``."""
    now, then = ShipmentStatus(current), ShipmentStatus(target)
    if now is then:
        return []
    previous: dict[ShipmentStatus, ShipmentStatus] = {}
    frontier = [now]
    while frontier and then not in previous:
        nxt = []
        for status in frontier:
            for step in sorted(_ALLOWED[status] - {S.CANCELLED, S.PENDING, S.RELEASED}):
                if step not in previous and step is not now:
                    previous[step] = status
                    nxt.append(step)
        frontier = nxt
    if then not in previous:
        raise InvalidTransition("shipment", now.value, then.value)
    path = [then]
    while previous[path[-1]] is not now:
        path.append(previous[path[-1]])
    return path[::-1]


# --- the record ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Shipment:
    """One row of ``shipments``: a parcel's worth of an order, from one warehouse."""

    id: str
    order_id: str
    warehouse: str
    status: str
    carrier: str | None
    service: str | None
    tracking_number: str | None
    tracking_url: str | None
    created_at: datetime
    updated_at: datetime
    shipped_at: datetime | None = None
    promised_by: date | None = None
    released_at: datetime | None = None
    delivered_at: datetime | None = None

    @classmethod
    def of(cls, row: Any) -> Shipment:
        """From a row (or dict) carrying every column."""
        return cls(**dict(row))


@dataclass(frozen=True, slots=True)
class ShipmentLine:
    """One row of ``shipment_lines``: units of an order line in a shipment."""

    shipment_id: str
    line_no: int
    sku: str
    quantity: int

    @classmethod
    def of(cls, row: Any) -> ShipmentLine:
        return cls(**dict(row))


class ShipmentLineView(BaseModel):
    sku: str
    quantity: int


class ShipmentView(BaseModel):
    id: str
    order_id: str
    warehouse: str
    status: str
    lines: list[ShipmentLineView]
    carrier: str | None
    service: str | None
    tracking_number: str | None
    tracking_url: str | None
    shipped_at: datetime | None = None
    promised_by: date | None = None


def shipment_view(shipment: Shipment, lines: list[ShipmentLine]) -> ShipmentView:
    return ShipmentView(
        id=shipment.id,
        order_id=shipment.order_id,
        warehouse=shipment.warehouse,
        status=shipment.status,
        lines=[ShipmentLineView(sku=ln.sku, quantity=ln.quantity) for ln in lines],
        carrier=shipment.carrier,
        service=shipment.service,
        tracking_number=shipment.tracking_number,
        tracking_url=shipment.tracking_url,
        shipped_at=as_utc(shipment.shipped_at) if shipment.shipped_at else None,
        promised_by=shipment.promised_by,
    )
