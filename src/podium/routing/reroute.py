"""Re-routing: when a location rejects a shipment or goes inactive, plan its units again.

Each affected order is re-planned in its own transaction: the shipment is cancelled and its stock
released, then the order's unallocated units are routed afresh without that location (stock
reserved through inventory's guarded updates), and the timeline says what happened and why.
Units no location can ship put the order on a backorder hold.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection

from podium import catalog, inventory, orders, shipments
from podium.db.database import Database
from podium.errors import Conflict, NotFound
from podium.geo import Coordinates
from podium.inventory import Movement, MovementKind
from podium.orders import (
    Batch,
    OrderEvent,
    OrderView,
    order_views,
    put_on_backorder,
    require_order,
)
from podium.routing.allocation import plan_for, reserve_and_ship, routing_entry
from podium.routing.backorders import unallocated
from podium.routing.constraints import NOT, ONLY
from podium.routing.events import OrderRerouted
from podium.routing.online import facts_of_order
from podium.shipments import (
    OPEN_STATUSES,
    Shipment,
    ShipmentStatus,
    check_shipment_transition,
)

__all__ = [
    "REROUTABLE",
    "constrain_order",
    "reject_shipment",
    "reroute_shipment",
    "reroute_warehouse",
]

# Shipments the warehouse has not started on may move; picking or later stays.
REROUTABLE = frozenset({ShipmentStatus.PENDING, ShipmentStatus.RELEASED})


def _reroute(conn: Connection, order_id: str, shipment_id: str, why: str, actor: str) -> None:
    """Cancel one open shipment of a locked order and route its units elsewhere."""
    order = require_order(conn, order_id)
    shipment = shipments.lock_shipment(conn, shipment_id)
    if shipment is None:
        raise RuntimeError(f"shipment {shipment_id} not found")
    if ShipmentStatus(shipment.status) not in REROUTABLE:
        raise Conflict(
            f"Shipment {shipment_id} is {shipment.status}; only pending or released "
            "shipments can be re-routed.",
            code="invalid_transition",
            details={"shipment_id": shipment_id, "status": shipment.status},
        )
    warehouse = shipment.warehouse
    lines = shipments.lines_for(conn, [shipment_id])
    # Every stock row this may touch, locked once in key order (as placement does): no deadlock.
    every = [w.code for w in catalog.warehouses(conn)]
    inventory.levels(conn, {ln.sku for ln in lines} | _unshipped(conn, order_id), every, lock=True)
    inventory.apply(
        conn,
        [
            Movement(
                ln.sku,
                warehouse,
                MovementKind.RELEASE,
                0,
                -ln.quantity,
                "rerouted",
                order["number"],
            )
            for ln in lines
        ],
        actor,
    )
    check_shipment_transition(shipment.status, ShipmentStatus.CANCELLED)
    shipments.update_shipment(conn, shipment_id, {"status": ShipmentStatus.CANCELLED.value})
    wants = unallocated(conn, order_id)
    demand: dict[str, int] = defaultdict(int)
    for w in wants:
        demand[w.sku] += w.quantity
    channel = catalog.cached_channel(conn, order["channel"])
    if channel is None:
        raise RuntimeError(f"channel {order['channel']} of order {order_id} not found")
    lat, lon = order["destination_latitude"], order["destination_longitude"]
    destination = Coordinates(lat, lon) if lat is not None and lon is not None else None
    facts = facts_of_order(conn, order, list(demand))
    plan = plan_for(conn, channel, demand, destination, facts, exclude=frozenset({warehouse}))
    allocated = reserve_and_ship(conn, order_id, order["number"], wants, plan, actor)
    entries = [
        routing_entry(
            plan,
            allocated.shipment_ids,
            destination,
            kind="order.rerouted",
            prefix=f"Re-routed away from {warehouse} ({why})",
        )
    ]
    events: list[OrderEvent] = [
        OrderRerouted(
            id=order_id,
            number=order["number"],
            from_=warehouse,
            reason=why,
            cancelled_shipment=shipment_id,
            shipments=allocated.shipment_ids,
        )
    ]
    batch = Batch(entries, events)
    if plan.shortages:
        # One backorder hold however many re-routes come short (an open one stays the hold).
        put_on_backorder(
            conn,
            order,
            plan.shortages,
            actor=actor,
            batch=batch,
            why="cannot ship from any other location",
            reuse_open=True,
        )
    batch.write(conn, order_id, actor)


def _unshipped(conn: Connection, order_id: str) -> set[str]:
    return {w.sku for w in unallocated(conn, order_id)}


def reject_shipment(db: Database, shipment_id: str, reason: str, actor: str) -> OrderView:
    """The warehouse refuses a shipment: cancel it and route its units elsewhere."""
    return _reroute_one(db, shipment_id, f"rejected: {reason}", actor)


def reroute_shipment(
    db: Database, shipment_id: str, reason: str, actor: str, *, order_id: str | None = None
) -> OrderView:
    """Staff move a not-yet-started shipment elsewhere: cancel it, release its stock and route
    its units again without that location. ``order_id``, when given, must be the shipment's."""
    return _reroute_one(db, shipment_id, f"re-routed by staff: {reason}", actor, order_id)


def _reroute_one(
    db: Database, shipment_id: str, why: str, actor: str, order_id: str | None = None
) -> OrderView:
    with db.write() as conn:
        found = shipments.get_shipment(conn, shipment_id)
        if found is None or order_id not in (None, found.order_id):
            raise NotFound(f"No shipment {shipment_id}.", code="shipment_not_found")
        orders.locked_order(conn, found.order_id)  # the order row first, then the rest
        _reroute(conn, found.order_id, shipment_id, why, actor)
        row = require_order(conn, found.order_id)
        return order_views(conn, [row])[0]


def reroute_warehouse(db: Database, warehouse: str, why: str, actor: str) -> list[str]:
    """Move every not-yet-started shipment off ``warehouse``; returns the orders re-planned."""
    with db.read() as conn:
        affected = shipments.open_shipments_at(conn, warehouse, REROUTABLE)
    moved = []
    for order_id, shipment_id in affected:
        with db.write() as conn:
            orders.locked_order(conn, order_id)
            current = shipments.get_shipment(conn, shipment_id)
            if current is None or ShipmentStatus(current.status) not in REROUTABLE:
                continue  # it moved on meanwhile
            _reroute(conn, order_id, shipment_id, why, actor)
        moved.append(order_id)
    return moved


def constrain_order(
    conn: Connection,
    order_id: str,
    kind: str,
    warehouse: str,
    actor: str,
    *,
    why: str,
    data: dict[str, Any],
) -> str:
    """An automation rule's ``route_to`` / ``exclude_warehouse`` on an order the caller locked,
    in its transaction: leave the constraint on the order (``routing.constraints``) and move
    its not-yet-started shipments to obey it. Says what happened, for the timeline."""
    if kind not in ("route_to", "exclude_warehouse"):
        raise ValueError(f"{kind} is not a routing constraint")
    found = catalog.warehouse(conn, warehouse)
    if found is None or not found.active:
        return f"{kind} {warehouse}: skipped, no active warehouse {warehouse}"
    order = require_order(conn, order_id)
    tags = list(order["tags"] or [])
    if kind == "route_to":
        add = f"{ONLY}{warehouse}"
        drop = [t for t in tags if t.startswith(ONLY) and t != add] + [f"{NOT}{warehouse}"]
    else:
        add = f"{NOT}{warehouse}"
        drop = [f"{ONLY}{warehouse}"]
    orders.change_tags(conn, order, [add], drop, actor, why=why, data=data, system=True)
    open_ = [
        s
        for s in shipments.shipments_for_orders(conn, [order_id])
        if ShipmentStatus(s.status) in OPEN_STATUSES
    ]
    wrong = [s for s in open_ if (s.warehouse != warehouse) == (kind == "route_to")]
    started = [s.warehouse for s in wrong if ShipmentStatus(s.status) not in REROUTABLE]
    movable = [s for s in wrong if ShipmentStatus(s.status) in REROUTABLE]
    said = f"{kind} {warehouse}"
    if started:
        said += f" (already being picked at {', '.join(sorted(set(started)))}: stays)"
    if not movable:
        return said + (": nothing to move" if not started else "")
    if kind == "route_to":
        short = _short_at(conn, warehouse, movable)
        if short:
            at = ", ".join(sorted({s.warehouse for s in movable}))
            return f"{said}: {warehouse} cannot ship {short}; stays at {at}"
    because = f"automation {kind} {warehouse}: {why}"
    for s in movable:
        _reroute(conn, order_id, s.id, because, actor)
    moved = ", ".join(sorted({s.warehouse for s in movable}))
    return f"{said}: moved from {moved}"


def _short_at(conn: Connection, warehouse: str, movable: Sequence[Shipment]) -> str:
    """What ``warehouse`` lacks to ship the units of ``movable`` ('' when it has it all)."""
    demand: dict[str, int] = defaultdict(int)
    for ln in shipments.lines_for(conn, [s.id for s in movable]):
        demand[ln.sku] += ln.quantity
    levels = inventory.levels(conn, demand, [warehouse])
    lacking = []
    for sku, wanted in sorted(demand.items()):
        level = levels.get((sku, warehouse))
        has = max(level.available, 0) if level is not None else 0
        if has < wanted:
            lacking.append(f"{wanted - has} x {sku}")
    return ", ".join(lacking)
