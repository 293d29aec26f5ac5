"""Allocating units of an order to warehouses: plan, reserve, and create shipments.

Used when an order is placed or edited (through ``routing.allocator``), when a backorder hold
is released, and when routing re-plans or re-routes an order.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection

from podium import inventory, shipments
from podium.catalog import Channel
from podium.geo import Coordinates
from podium.ids import new_id
from podium.inventory import Movement, MovementKind
from podium.orders import Allocated, TimelineRow, Want
from podium.routing.engine import OrderFacts
from podium.routing.model import Plan
from podium.routing.online import plan_order
from podium.shipments import ShipmentLine, ShipmentStatus

__all__ = ["plan_for", "reserve_and_ship", "routing_entry"]


def plan_for(
    conn: Connection,
    channel: Channel,
    demand: Mapping[str, int],
    destination: Coordinates | None,
    facts: OrderFacts | None = None,
    *,
    exclude: frozenset[str] = frozenset(),
) -> Plan:
    """Lock the stock rows the channel may sell from (key order) and route by the rules."""
    return plan_order(conn, channel, demand, destination, facts, exclude=exclude)


def reserve_and_ship(
    conn: Connection,
    order_id: str,
    number: str,
    wants: Sequence[Want],
    plan: Plan,
    actor: str,
) -> Allocated:
    """Reserve the plan's units and create one shipment per warehouse."""
    inventory.apply(
        conn,
        [
            Movement(a.sku, a.warehouse, MovementKind.RESERVATION, 0, a.quantity, "order", number)
            for a in plan.allocations
        ],
        actor,
        rows_locked=True,  # plan_for locked them, in key order
    )
    remaining: dict[str, list[list[int]]] = defaultdict(list)
    for w in wants:
        remaining[w.sku].append([w.line_no, w.quantity])
    by_warehouse: dict[str, str] = {}
    rows: list[dict[str, Any]] = []
    lines: list[dict[str, Any]] = []
    for a in plan.allocations:
        shipment_id = by_warehouse.get(a.warehouse)
        if shipment_id is None:
            shipment_id = by_warehouse[a.warehouse] = new_id("shp")
            rows.append(
                {
                    "id": shipment_id,
                    "order_id": order_id,
                    "warehouse": a.warehouse,
                    "status": ShipmentStatus.PENDING.value,
                }
            )
        left = a.quantity
        for slot in remaining[a.sku]:
            take = min(left, slot[1])
            if take:
                lines.append(
                    {"shipment_id": shipment_id, "line_no": slot[0], "sku": a.sku, "quantity": take}
                )
                slot[1] -= take
                left -= take
            if not left:
                break
    made = shipments.create_shipments(conn, rows, lines)
    return Allocated(made, [ShipmentLine.of(ln) for ln in lines])


def routing_entry(
    plan: Plan,
    shipment_ids: list[str],
    destination: Coordinates | None,
    *,
    kind: str = "order.routed",
    prefix: str = "Routing",
) -> TimelineRow:
    rule = f" [rule {plan.rule}, v{plan.rules_version}]" if plan.rule else ""
    late = f" Late for the promise from {', '.join(plan.late)}." if plan.late else ""
    return TimelineRow(
        kind,
        f"{prefix}: {plan.reason}{rule}.{late}",
        {
            "rule": plan.rule,
            "rules_version": plan.rules_version,
            "hold_queue": plan.hold_queue,
            "cost": plan.cost,
            "late": list(plan.late),
            "candidates": [dict(c) for c in plan.candidates],
            "shipments": shipment_ids,
            "warehouses": plan.warehouses,
            "allocations": [
                {"warehouse": a.warehouse, "sku": a.sku, "quantity": a.quantity}
                for a in plan.allocations
            ],
            "candidates_km": {k: round(v, 1) for k, v in plan.distances_km.items()},
            "destination": None
            if destination is None
            else [destination.latitude, destination.longitude],
        },
    )
