"""The allocation orders asks for and does not own: an interface routing implements.

Placing, editing and releasing an order allocate its units: plan where they ship from (the
stock rows locked), reserve the stock, create the shipments. That is routing's job, and routing
sits above orders in the package graph, so orders states here what it needs and routing's
``RoutingAllocator`` provides it; the composition root (``podium.bootstrap``) builds one and the
entry points hand it to placement, edits and hold release. Everything runs in the caller's
transaction, as it did when orders called routing directly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

import sqlalchemy as sa
from sqlalchemy import Connection

from podium.catalog import Channel
from podium.geo import Coordinates, Geocoder
from podium.orders.holds import Hold
from podium.orders.journal import Batch
from podium.orders.model import OrderIntake
from podium.orders.timeline import TimelineRow
from podium.risk import RiskSettings
from podium.shipments import Shipment, ShipmentLine

__all__ = ["Allocated", "Allocator", "Preorders", "RoutePlan", "Want"]


@dataclass(frozen=True, slots=True)
class Want:
    """Units of one order line still to allocate."""

    line_no: int
    sku: str
    quantity: int


@dataclass(frozen=True, slots=True)
class Allocated:
    """The shipments an allocation created, as written."""

    shipments: list[Shipment]
    lines: list[ShipmentLine]

    @property
    def shipment_ids(self) -> list[str]:
        return [s.id for s in self.shipments]


class RoutePlan(Protocol):
    """What orders reads of a routing plan; the rest of it is routing's business."""

    @property
    def shortages(self) -> Mapping[str, int]:
        """Units per SKU no location could supply."""
        ...

    @property
    def hold_queue(self) -> str | None:
        """The queue a routing rule holds the order in, if any."""
        ...

    @property
    def promised(self) -> date | None:
        """The delivery date promised to the order (given at intake, or its service level's)."""
        ...


class Preorders(Protocol):
    """Selling ahead of incoming stock (implemented by planning, which knows the purchase
    orders): per channel a cap on the units sold beyond what is on hand."""

    def promise(self, conn: Connection, channel: str, short: Mapping[str, int]) -> date | None:
        """The day the ``short`` units (SKU → units) can be promised for, when the channel
        may sell them ahead (within its cap and the stock on its way); None when not. Runs
        in the placing transaction and serialises placements of the same SKUs, so caps hold
        under concurrency."""
        ...


class Allocator(Protocol):
    """Plans, reserves and ships an order's units (implemented by routing)."""

    @property
    def preorders(self) -> Preorders | None:
        """Who may accept units short of stock as pre-orders (None: nobody)."""
        ...

    @property
    def geocoder(self) -> Geocoder:
        """Places addresses (before the transaction: the first look-up may be slow)."""
        ...

    @property
    def screening(self) -> RiskSettings:
        """The risk thresholds and address policy placement and edits check orders against
        (``PODIUM_RISK_*``; carried here because every placement and edit is handed this)."""
        ...

    def plan_intake(
        self,
        conn: Connection,
        channel: Channel,
        intake: OrderIntake,
        value: int,
        demand: Mapping[str, int],
        destination: Coordinates | None,
    ) -> RoutePlan:
        """Lock the stock rows ``channel`` may sell from and route an order being placed
        (``value``: its total in minor units)."""
        ...

    def plan(
        self,
        conn: Connection,
        channel: Channel,
        demand: Mapping[str, int],
        destination: Coordinates | None,
    ) -> RoutePlan:
        """Lock the stock rows and route ``demand`` with no order facts (an edit)."""
        ...

    def reserve_and_ship(
        self,
        conn: Connection,
        order_id: str,
        number: str,
        wants: Sequence[Want],
        plan: RoutePlan,
        actor: str,
    ) -> Allocated:
        """Reserve ``plan``'s units (from :meth:`plan` or :meth:`plan_intake`) and create one
        shipment per location."""
        ...

    def routing_entry(
        self, plan: RoutePlan, shipment_ids: list[str], destination: Coordinates | None
    ) -> TimelineRow:
        """The ``order.routed`` timeline entry: what was decided and why."""
        ...

    def routing_hold(
        self, conn: Connection, order: Mapping[str, Any], plan: RoutePlan, actor: str, batch: Batch
    ) -> Hold:
        """Hold a just-placed order in the queue its routing rule named."""
        ...

    def allocate_backorder(
        self, conn: Connection, order: sa.RowMapping, actor: str, entries: list[TimelineRow]
    ) -> dict[str, int]:
        """Allocate the order's unallocated units as stock now allows (timeline entries are
        appended to ``entries``); returns what is still short, empty when nothing is."""
        ...
