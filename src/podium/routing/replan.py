"""Applying an optimised wave: each changed order re-planned in its own transaction.

Old shipments cancelled and their stock released, new units reserved through inventory's guarded
updates, new shipments created, the timeline told. An order whose new plan does not fit yet
(stock another order of the wave still holds) is retried after the others; orders waiting on
each other's units (a swap) are applied together in one transaction. An order that changed since
the wave was read keeps its plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from podium import events, inventory, orders, shipments
from podium.db.database import Database
from podium.errors import InsufficientStock
from podium.inventory import Movement, MovementKind
from podium.money import format_amount
from podium.orders import OrderStatus, add_timeline, require_order
from podium.routing.allocation import reserve_and_ship, routing_entry
from podium.routing.backorders import unallocated
from podium.routing.events import OrderRerouted
from podium.routing.model import Allocation, Plan
from podium.routing.optimiser import Option, WaveOrder
from podium.shipments import ShipmentStatus, check_shipment_transition

__all__ = ["Change", "Member", "apply_changes"]


@dataclass
class Change:
    order_id: str
    number: str
    before: list[dict[str, Any]]
    after: list[dict[str, Any]]
    saving: int
    applied: bool = False


@dataclass(frozen=True)
class Member:
    order: WaveOrder
    number: str
    shipment_ids: tuple[str, ...]
    current: tuple[Allocation, ...]
    today: frozenset[str]  # warehouses of its shipments created today (capacity it holds)


def apply_changes(
    db: Database,
    changes: list[Change],
    members: dict[str, Member],
    chosen: dict[str, Option],
    actor: str,
) -> list[str]:
    """Apply ``changes``; returns the ids of the orders skipped."""
    skipped: list[str] = []
    pending = list(changes)
    while pending:  # stock freed by one order may be what another needs: go round again
        retry = []
        for change in pending:
            try:
                with db.write() as conn:
                    done = _replan(
                        conn,
                        members[change.order_id],
                        chosen[change.order_id],
                        change.saving,
                        actor,
                    )
            except InsufficientStock:
                retry.append(change)
                continue
            change.applied = done
            if not done:
                skipped.append(change.order_id)
        if len(retry) == len(pending):
            break
        pending = retry
    if not pending:
        return skipped
    # What is left waits on each other (A needs B's units and B needs A's): swap them together,
    # in one transaction, orders locked in id order.
    try:
        with db.write() as conn:
            released = []
            for change in sorted(pending, key=lambda c: c.order_id):
                orders.locked_order(conn, change.order_id)
            skus = {a.sku for c in pending for a in members[c.order_id].current}
            places = {a.warehouse for c in pending for a in members[c.order_id].current}
            places |= {a.warehouse for c in pending for a in chosen[c.order_id].allocations}
            inventory.levels(conn, skus, places, lock=True)  # all at once, in key order
            for change in pending:
                member = members[change.order_id]
                if not _release(conn, member, actor):
                    raise _Moved(change.order_id)
                released.append(change)
            for change in released:
                _reserve(
                    conn, members[change.order_id], chosen[change.order_id], change.saving, actor
                )
                change.applied = True
    except (InsufficientStock, _Moved):
        for change in pending:
            change.applied = False
            skipped.append(change.order_id)
    return skipped


class _Moved(Exception):
    """An order of the wave changed since the wave was read."""


def _replan(conn: Connection, member: Member, option: Option, saving: int, actor: str) -> bool:
    """Swap one order's plan; False when the order moved on since the wave was read."""
    orders.locked_order(conn, member.order.id)
    if not _release(conn, member, actor, also=option):
        return False
    _reserve(conn, member, option, saving, actor)
    return True


def _release(conn: Connection, member: Member, actor: str, *, also: Option | None = None) -> bool:
    """Cancel the order's pending shipments and release their stock (order row locked)."""
    order = require_order(conn, member.order.id)
    ships = [
        s
        for s in shipments.shipments_for_orders(conn, [order["id"]])
        if s.status != ShipmentStatus.CANCELLED
    ]
    if (
        order["status"] != OrderStatus.READY
        or sorted(s.id for s in ships) != sorted(member.shipment_ids)
        or any(s.status != ShipmentStatus.PENDING for s in ships)
    ):
        return False
    lines = shipments.lines_for(conn, list(member.shipment_ids))
    where = {s.id: s.warehouse for s in ships}
    touched_wh = {*where.values(), *(a.warehouse for a in (also.allocations if also else ()))}
    inventory.levels(conn, {ln.sku for ln in lines}, touched_wh, lock=True)  # key order
    inventory.apply(
        conn,
        [
            Movement(
                ln.sku,
                where[ln.shipment_id],
                MovementKind.RELEASE,
                0,
                -ln.quantity,
                "replanned",
                order["number"],
            )
            for ln in lines
        ],
        actor,
    )
    for s in ships:
        check_shipment_transition(s.status, ShipmentStatus.CANCELLED)
        shipments.update_shipment(conn, s.id, {"status": "cancelled"})
    return True


def _reserve(conn: Connection, member: Member, option: Option, saving: int, actor: str) -> None:
    """Reserve the new plan's units and create its shipments (guarded: may refuse)."""
    order = require_order(conn, member.order.id)
    inventory.levels(
        conn,
        {a.sku for a in option.allocations},
        {a.warehouse for a in option.allocations},
        lock=True,
    )
    plan = Plan(
        option.allocations,
        reason="the wave optimiser found a cheaper plan for the wave "
        f"({format_amount(saving, member.order.facts.currency)} less for this order)",
        cost=option.cost,
    )
    wants = unallocated(conn, order["id"])
    allocated = reserve_and_ship(conn, order["id"], order["number"], wants, plan, actor)
    before = sorted({a.warehouse for a in member.current})
    add_timeline(
        conn,
        order["id"],
        [
            routing_entry(
                plan,
                allocated.shipment_ids,
                member.order.destination,
                kind="order.rerouted",
                prefix=f"Re-planned by the optimiser (was {', '.join(before)})",
            )
        ],
        actor,
    )
    events.emit(
        conn,
        [
            OrderRerouted(
                id=order["id"],
                number=order["number"],
                reason="optimised",
                shipments=allocated.shipment_ids,
            )
        ],
    )
