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

from dataclasses import dataclass
from enum import StrEnum

from pydantic import BaseModel, Field

from podium.errors import InvalidTransition
from podium.numbers import JsonInt
from podium.validation import Input, Sku

__all__ = [
    "OPEN_STATUSES",
    "SHIPPED_STATUSES",
    "BinIn",
    "Handoff",
    "PickListIn",
    "PickListView",
    "PickRow",
    "ReleaseMode",
    "SettingsIn",
    "SettingsView",
    "ShipmentStatus",
    "ShortLineIn",
    "ShortPickIn",
    "check_shipment_transition",
    "mask",
    "path_to",
    "pick_rows",
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


# --- warehouse inputs and views (pure) ----------------------------------------------------


class ReleaseMode(StrEnum):
    AUTO = "auto"  # released to the warehouse as soon as the order is ready
    WAVE = "wave"  # pending until a wave is released (``podium warehouse wave`` on a schedule)


class Handoff(StrEnum):
    NONE = "none"  # the warehouse works from Podium's own pick lists
    WEBHOOK = "webhook"  # released shipments are POSTed, signed, to the WMS/3PL
    CSV_DROP = "csv_drop"  # released shipments are written as CSV files into a directory


class SettingsIn(Input):
    release_mode: ReleaseMode = ReleaseMode.AUTO
    handoff: Handoff = Handoff.NONE
    handoff_url: str | None = Field(default=None, max_length=500, pattern=r"^https?://\S+$")
    handoff_secret: str | None = Field(default=None, min_length=8, max_length=200)
    handoff_dir: str | None = Field(default=None, min_length=1, max_length=500)


class SettingsView(BaseModel):
    warehouse: str
    release_mode: str
    handoff: str
    handoff_url: str | None
    handoff_secret: str | None  # masked
    handoff_dir: str | None


class BinIn(Input):
    bin: str = Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")


class PickListIn(Input):
    max_shipments: JsonInt = Field(default=50, ge=1, le=1000)
    shipment_ids: list[str] | None = Field(
        default=None,
        min_length=1,
        max_length=1000,
        description="Pick these released shipments (else the oldest released, up to max).",
    )


class PickListView(BaseModel):
    id: str
    warehouse: str
    shipments: list[str]


class ShortLineIn(Input):
    sku: Sku
    quantity: JsonInt = Field(ge=1, le=1_000_000)


class ShortPickIn(Input):
    lines: list[ShortLineIn] = Field(min_length=1, max_length=500)


@dataclass(frozen=True, slots=True)
class PickRow:
    """One line of a pick list: a SKU to take from a bin, for which orders."""

    bin: str
    sku: str
    name: str
    quantity: int
    orders: tuple[str, ...]


def pick_rows(
    lines: list[tuple[str, str, int, str]], bins: dict[str, str], names: dict[str, str]
) -> list[PickRow]:
    """Group (sku, …, quantity, order number) lines by SKU and sort by bin (then SKU); SKUs
    without a bin come last."""
    qty: dict[str, int] = {}
    orders: dict[str, list[str]] = {}
    for sku, _, quantity, number in lines:
        qty[sku] = qty.get(sku, 0) + quantity
        if number not in orders.setdefault(sku, []):
            orders[sku].append(number)
    rows = [
        PickRow(bins.get(sku, ""), sku, names.get(sku, sku), q, tuple(orders[sku]))
        for sku, q in qty.items()
    ]
    return sorted(rows, key=lambda r: (r.bin == "", r.bin, r.sku))


def mask(secret: str | None) -> str | None:
    """Show that a secret is set without showing it."""
    if not secret:
        return None
    return "****" + secret[-4:] if len(secret) >= 12 else "****"
