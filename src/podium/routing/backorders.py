"""Re-running allocation for the units of an order that had no stock."""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa
from sqlalchemy import Connection

from podium import catalog, shipments
from podium.geo import Coordinates
from podium.orders import TimelineRow, Want, order_lines
from podium.routing.allocation import plan_for, reserve_and_ship, routing_entry
from podium.routing.online import facts_of_order
from podium.shipments import ShipmentStatus

__all__ = ["allocate_backorder", "unallocated"]


def unallocated(conn: Connection, order_id: str) -> list[Want]:
    """Units per line neither cancelled nor in a live shipment."""
    ships = [
        s
        for s in shipments.shipments_for_orders(conn, [order_id])
        if s.status != ShipmentStatus.CANCELLED
    ]
    allocated: dict[int, int] = defaultdict(int)
    for sl in shipments.lines_for(conn, [s.id for s in ships]):
        allocated[sl.line_no] += sl.quantity
    wants = []
    for ln in order_lines(conn, [order_id]):
        left = ln["quantity"] - ln["quantity_cancelled"] - allocated[ln["line_no"]]
        if left > 0:
            wants.append(Want(ln["line_no"], ln["sku"], left))
    return wants


def allocate_backorder(
    conn: Connection, order: sa.RowMapping, actor: str, entries: list[TimelineRow]
) -> dict[str, int]:
    """Allocate what stock now allows; returns what is still short (empty when all is)."""
    wants = unallocated(conn, order["id"])
    if not wants:
        return {}
    channel = catalog.channel(conn, order["channel"])
    if channel is None:
        raise RuntimeError(f"channel {order['channel']} of order {order['id']} not found")
    demand: dict[str, int] = defaultdict(int)
    for w in wants:
        demand[w.sku] += w.quantity
    lat, lon = order["destination_latitude"], order["destination_longitude"]
    destination = Coordinates(lat, lon) if lat is not None and lon is not None else None
    facts = facts_of_order(conn, order, list(demand))
    plan = plan_for(conn, channel, demand, destination, facts)
    allocated = reserve_and_ship(conn, order["id"], order["number"], wants, plan, actor)
    if plan.allocations:
        entries.append(routing_entry(plan, allocated.shipment_ids, destination))
    if plan.shortages:
        entries.append(
            TimelineRow(
                "order.held",
                "Still on hold (backorder): "
                + ", ".join(f"{q} × {s}" for s, q in sorted(plan.shortages.items()))
                + " not in stock.",
                {"reason": "backorder", "short": dict(plan.shortages)},
            )
        )
    return dict(plan.shortages)
