"""Routing's side of ``orders.allocator.Allocator``: what placement, edits and hold release call.

Each method is the routing function orders used to call directly, so the work, its order and
its transaction are as before; only the direction of the import changed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from podium.catalog import Channel
from podium.geo import Coordinates, Geocoder
from podium.orders import (
    Allocated,
    Batch,
    Hold,
    OrderIntake,
    Preorders,
    RoutePlan,
    TimelineRow,
    Want,
)
from podium.risk import RiskSettings
from podium.routing.allocation import plan_for, reserve_and_ship, routing_entry
from podium.routing.backorders import allocate_backorder
from podium.routing.model import Plan
from podium.routing.online import intake_facts, routing_hold

__all__ = ["RoutingAllocator"]


def _own(plan: RoutePlan) -> Plan:
    """The routing plan behind ``plan`` (orders hands back what this allocator gave it)."""
    if not isinstance(plan, Plan):
        raise TypeError(f"{type(plan).__name__} is not a routing plan")
    return plan


@dataclass(frozen=True, slots=True)
class RoutingAllocator:
    """Implements ``orders.allocator.Allocator`` with routing's rules and stock locks."""

    geocoder: Geocoder
    screening: RiskSettings = field(default_factory=RiskSettings)
    preorders: Preorders | None = None

    def plan_intake(
        self,
        conn: Connection,
        channel: Channel,
        intake: OrderIntake,
        value: int,
        demand: Mapping[str, int],
        destination: Coordinates | None,
    ) -> Plan:
        facts = intake_facts(conn, intake, value, list(demand))
        return plan_for(conn, channel, demand, destination, facts)

    def plan(
        self,
        conn: Connection,
        channel: Channel,
        demand: Mapping[str, int],
        destination: Coordinates | None,
    ) -> Plan:
        return plan_for(conn, channel, demand, destination)

    def reserve_and_ship(
        self,
        conn: Connection,
        order_id: str,
        number: str,
        wants: Sequence[Want],
        plan: RoutePlan,
        actor: str,
    ) -> Allocated:
        return reserve_and_ship(conn, order_id, number, wants, _own(plan), actor)

    def routing_entry(
        self, plan: RoutePlan, shipment_ids: list[str], destination: Coordinates | None
    ) -> TimelineRow:
        return routing_entry(_own(plan), shipment_ids, destination)

    def routing_hold(
        self, conn: Connection, order: Mapping[str, Any], plan: RoutePlan, actor: str, batch: Batch
    ) -> Hold:
        return routing_hold(conn, order, _own(plan), actor, batch)

    def allocate_backorder(
        self, conn: Connection, order: sa.RowMapping, actor: str, entries: list[TimelineRow]
    ) -> dict[str, int]:
        return allocate_backorder(conn, order, actor, entries)
