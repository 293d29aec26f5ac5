"""Handing over an order already captured (issue 14): a store sale that could not be placed at
its store when it arrived (the platform's location was not mapped to a warehouse; held with
reason ``location``). The operator names the store: its stock is taken at once and the order is
recorded handed over, as it would have been at capture. See ``handover`` for the rules."""

from __future__ import annotations

from collections import defaultdict

from pydantic import Field

from podium import catalog, shipments
from podium.db.database import Database
from podium.errors import Conflict, InsufficientStock, ValidationFailed
from podium.orders import _store as store
from podium.orders.allocator import Allocator, Want
from podium.orders.handover import hand_over_shipments, handed_over_of
from podium.orders.holds import open_holds, release_holds
from podium.orders.lifecycle import get_order, locked_order, require_known_skus
from podium.orders.model import OrderView
from podium.orders.status import HoldReason, OrderStatus, change_status
from podium.orders.timeline import TimelineRow, add_timeline
from podium.shipments import ShipmentStatus
from podium.validation import Code, Input

__all__ = ["HandOverIn", "hand_over_order"]


class HandOverIn(Input):
    warehouse: Code = Field(description="The store (warehouse) that handed the goods over.")


def hand_over_order(
    db: Database, order_id: str, data: HandOverIn, actor: str, *, allocator: Allocator
) -> OrderView:
    """Take the order's units from ``data.warehouse`` now and record them handed over; the
    ``location`` hold goes. 409 when the order was not handed over outside Podium, has
    shipments already, holds for another reason, or the store lacks the units."""
    with db.write() as conn:
        order = locked_order(conn, order_id)
        how = handed_over_of(order["tags"])
        if how is None or order["status"] not in (OrderStatus.ON_HOLD, OrderStatus.READY):
            raise Conflict(
                f"Order {order['number']} was not sold and handed over outside Podium, or is "
                "past handing over.",
                code="not_handed_over",
                details={"status": order["status"]},
            )
        ships = [
            s
            for s in shipments.shipments_for_orders(conn, [order_id])
            if s.status != ShipmentStatus.CANCELLED
        ]
        holds = open_holds(conn, [order_id])
        others = sorted({h.reason for h in holds} - {HoldReason.LOCATION.value})
        if ships or others:
            raise Conflict(
                f"Order {order['number']} has shipments or other holds ({', '.join(others)}).",
                code="order_not_handable",
                details={"holds": others, "shipments": [s.id for s in ships]},
            )
        found = catalog.warehouse(conn, data.warehouse)
        if found is None or not found.active:
            raise ValidationFailed(
                f"Unknown or inactive warehouse {data.warehouse}.",
                code="unknown_warehouse",
                details={"field": "warehouse"},
            )
        require_known_skus(conn, order_id)
        channel = catalog.cached_channel(conn, order["channel"])
        if channel is None:
            raise RuntimeError(f"channel {order['channel']} of order {order_id} not found")
        live = [
            ln for ln in store.lines(conn, [order_id]) if ln["quantity"] > ln["quantity_cancelled"]
        ]
        demand: dict[str, int] = defaultdict(int)
        wants = []
        for ln in live:
            q = ln["quantity"] - ln["quantity_cancelled"]
            demand[ln["sku"]] += q
            wants.append(Want(ln["line_no"], ln["sku"], q))
        pinned = channel.model_copy(update={"warehouses": [found.code]})
        plan = allocator.plan(conn, pinned, demand, None)
        if plan.shortages:
            raise InsufficientStock(
                f"{found.code} does not have the order's units.",
                details={"warehouse": found.code, "lines": dict(plan.shortages)},
            )
        made = allocator.reserve_and_ship(conn, order_id, order["number"], wants, plan, actor)
        entry = hand_over_shipments(conn, order, made.shipments, made.lines, how, actor)
        if holds:
            release_holds(conn, order_id, actor, holds)
        status = OrderStatus(order["status"])
        for step in (OrderStatus.READY, OrderStatus.SHIPPED, OrderStatus.DELIVERED):
            if status is OrderStatus.ON_HOLD or step is not OrderStatus.READY:
                status = change_status(conn, order_id, status, step)
        released = TimelineRow("order.hold_released", "Hold released (location).", {})
        add_timeline(conn, order_id, ([released] if holds else []) + [entry], actor)
    return get_order(db, order_id)
