"""The events routing emits (registered in the catalogue on import)."""

from __future__ import annotations

from dataclasses import dataclass, field

from podium.events import omit_none
from podium.orders import OrderEvent

__all__ = ["OrderRerouted"]


@dataclass(frozen=True, kw_only=True)
class OrderRerouted(OrderEvent, type="order.rerouted"):
    """An order's open shipments were planned again: ``reason`` is ``optimised`` (the
    re-planner found a better split) or why a warehouse could not ship (then ``from`` is that
    warehouse and ``cancelled_shipment`` the shipment it gave up); ``shipments`` are the new
    shipments' ids."""

    from_: str | None = field(default=None, metadata=omit_none("from"))
    reason: str
    cancelled_shipment: str | None = field(default=None, metadata=omit_none())
    shipments: list[str]
