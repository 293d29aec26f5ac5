"""What a shopper may see of an order (pure): built from the order, its timeline and its
channel, holding only what the shopper needs. No e-mail address, no street, no staff notes,
no internal ids beyond the shipment's position; the customer's first name and city only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from podium.orders import OrderView, TimelineEntry

__all__ = [
    "STEPS",
    "Event",
    "Parcel",
    "Split",
    "StatusPage",
    "Step",
    "status_page",
    "step_of",
]

# The steps a parcel goes through, as the shopper sees them.
STEPS = ("placed", "packed", "shipped", "out_for_delivery", "delivered")
_STEP_OF = {
    "pending": 0,
    "released": 0,
    "picking": 0,
    "packed": 1,
    "shipped": 2,
    "in_transit": 2,
    "exception": 2,
    "out_for_delivery": 3,
    "delivered": 4,
    "returned_to_sender": 2,
    "cancelled": 0,
}
# Shipment statuses whose timeline entries are shown as the parcel's events.
_EVENT_TYPES = {
    f"shipment.{s}"
    for s in ("packed", "shipped", "in_transit", "out_for_delivery", "delivered", "exception")
} | {"shipment.returned_to_sender"}
_SHIPPED = {"shipped", "in_transit", "out_for_delivery", "delivered"}


def step_of(status: str) -> int:
    return _STEP_OF.get(status, 0)


@dataclass(frozen=True, slots=True)
class Step:
    key: str
    done: bool
    current: bool


@dataclass(frozen=True, slots=True)
class Event:
    at: datetime
    status: str
    detail: str  # the carrier's own words (empty for Podium's own steps)


@dataclass(frozen=True, slots=True)
class Parcel:
    position: int  # 1-based
    status: str
    steps: list[Step]
    items: list[tuple[str, int]]  # (product name, quantity)
    carrier: str | None
    tracking_number: str | None
    tracking_url: str | None
    shipped_at: datetime | None
    promised_by: date | None
    events: list[Event]

    @property
    def problem(self) -> bool:
        return self.status in ("exception", "returned_to_sender")


@dataclass(frozen=True, slots=True)
class Split:
    """Why the order comes in more than one parcel: ``stock`` (no one warehouse had it all),
    ``backorder`` (some items wait for stock), ``parcels`` (packed in several boxes)."""

    reason: str
    parcels: int
    places: int


@dataclass(frozen=True, slots=True)
class StatusPage:
    brand: str
    number: str
    status: str
    placed_at: datetime
    first_name: str | None
    city: str | None
    promised_date: date | None
    currency: str
    total: str
    lines: list[tuple[str, int, str]]  # (name, quantity, line total)
    parcels: list[Parcel]
    split: Split | None
    waiting: bool  # held for stock
    cancelled: bool
    returnable: bool  # something has shipped, so a return can be started


def _first_name(customer: dict[str, Any]) -> str | None:
    name = customer.get("name")
    if not isinstance(name, str) or not name.strip():
        return None
    return name.split()[0][:60]


def _city(address: dict[str, Any]) -> str | None:
    city = address.get("city")
    return city.strip()[:80] if isinstance(city, str) and city.strip() else None


def _detail(entry: TimelineEntry) -> str:
    """The carrier's words on a tracking event (``Carrier: in transit. <detail>``)."""
    if not entry.actor.startswith("carrier:"):
        return ""
    _, _, rest = entry.message.partition(". ")
    return rest.strip()[:300]


def _steps(status: str) -> list[Step]:
    reached = step_of(status)
    return [
        Step(key, i <= reached, i == reached and status != "cancelled")
        for i, key in enumerate(STEPS)
    ]


def _split(order: OrderView, active: list[Any], waiting: bool) -> Split | None:
    if len(active) < 2:
        return None
    places = len({s.warehouse for s in active})
    if waiting and any(s.status == "pending" for s in active):
        reason = "backorder"
    elif places > 1:
        reason = "stock"
    else:
        reason = "parcels"
    return Split(reason, len(active), places)


def status_page(order: OrderView, timeline: list[TimelineEntry], brand: str) -> StatusPage:
    names = {ln.sku: ln.name for ln in order.lines}
    active = [s for s in order.shipments if s.status != "cancelled"]
    waiting = any(h.reason == "backorder" for h in order.holds)
    parcels = []
    for position, s in enumerate(active, start=1):
        events = [
            Event(e.at, e.type.removeprefix("shipment."), _detail(e))
            for e in timeline
            if e.type in _EVENT_TYPES and e.data.get("shipment_id") == s.id
        ]
        parcels.append(
            Parcel(
                position=position,
                status=s.status,
                steps=_steps(s.status),
                items=[(names.get(ln.sku, ln.sku), ln.quantity) for ln in s.lines],
                carrier=s.carrier,
                tracking_number=s.tracking_number,
                tracking_url=_web_link(s.tracking_url),
                shipped_at=s.shipped_at,
                promised_by=s.promised_by or order.promised_date,
                events=list(reversed(events)),  # newest first
            )
        )
    return StatusPage(
        brand=brand,
        number=order.number,
        status=order.status,
        placed_at=order.placed_at,
        first_name=_first_name(order.customer),
        city=_city(order.shipping_address),
        promised_date=order.promised_date,
        currency=order.currency,
        total=order.total,
        lines=[
            (ln.name, ln.quantity - ln.quantity_cancelled, ln.total)
            for ln in order.lines
            if ln.quantity > ln.quantity_cancelled
        ],
        parcels=parcels,
        split=_split(order, active, waiting),
        waiting=waiting,
        cancelled=order.status == "cancelled",
        returnable=any(s.status in _SHIPPED for s in active),
    )


def _web_link(url: str | None) -> str | None:
    return url if url and url.lower().startswith(("https://", "http://")) else None
