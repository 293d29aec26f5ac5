"""Use cases for one shipment: read it, walk it through the warehouse, ship it, track it.

Every status change writes a timeline entry and an outbox event (``shipment.<status>``) in the
same transaction; the order's status follows through ``lifecycle.sync_status``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import sqlalchemy as sa
from pydantic import Field
from sqlalchemy import Connection

from podium import inventory, orders, shipments
from podium.db.database import Database, utcnow
from podium.errors import Conflict, NotFound
from podium.fulfillment.events import (
    STATUS_EVENTS,
    ShipmentLabelCreated,
    ShipmentLabelVoided,
    ShipmentPromiseChanged,
)
from podium.inventory import Movement, MovementKind
from podium.orders import HoldReason, OrderStatus, open_holds
from podium.shipments import (
    OPEN_STATUSES,
    Shipment,
    ShipmentStatus,
    ShipmentView,
    check_shipment_transition,
    path_to,
    shipment_view,
)
from podium.validation import Input

__all__ = [
    "PromiseIn",
    "ShipIn",
    "advance_locked",
    "announce",
    "apply_tracking",
    "attach_label",
    "get_shipment",
    "locked",
    "move",
    "pack_shipment",
    "pick_shipment",
    "set_promise",
    "ship_locked",
    "ship_shipment",
]


class ShipIn(Input):
    tracking_number: str | None = Field(default=None, min_length=1, max_length=100)
    carrier: str | None = Field(default=None, min_length=1, max_length=64)
    service: str | None = Field(default=None, min_length=1, max_length=64)
    tracking_url: str | None = Field(default=None, max_length=500)


def _missing(shipment_id: str) -> NotFound:
    return NotFound(f"No shipment {shipment_id}.", code="shipment_not_found")


def get_shipment(db: Database, shipment_id: str) -> ShipmentView:
    with db.read() as conn:
        row = shipments.get_shipment(conn, shipment_id)
        if row is None:
            raise _missing(shipment_id)
        return shipment_view(row, shipments.lines_for(conn, [shipment_id]))


def locked(conn: Connection, shipment_id: str) -> tuple[sa.RowMapping, Shipment]:
    """Lock the shipment's order, then the shipment (always in that order)."""
    found = shipments.get_shipment(conn, shipment_id)
    if found is None:
        raise _missing(shipment_id)
    order = orders.locked_order(conn, found.order_id)
    shipment = shipments.lock_shipment(conn, shipment_id)
    if shipment is None:
        raise RuntimeError(f"shipment {shipment_id} not found")
    return order, shipment


def move(
    conn: Connection,
    order: sa.RowMapping,
    shipment: Shipment,
    target: ShipmentStatus,
    actor: str,
    message: str,
    *,
    values: dict[str, Any] | None = None,
    data: dict[str, Any] | None = None,
) -> None:
    """Change a shipment's status (checked), with its timeline entry and outbox event."""
    check_shipment_transition(shipment.status, target)
    shipments.update_shipment(conn, shipment.id, {"status": target.value, **(values or {})})
    announce(conn, order, shipment, target, actor, message, values=values, data=data)


def announce(
    conn: Connection,
    order: Mapping[Any, Any],
    shipment: Shipment,
    target: ShipmentStatus,
    actor: str,
    message: str,
    *,
    values: dict[str, Any] | None = None,
    data: dict[str, Any] | None = None,
) -> None:
    """The timeline entry and outbox event of a shipment moved to ``target`` (``values`` as
    written to its row)."""
    detail = {"shipment_id": shipment.id, "from": shipment.status, **(data or {})}
    orders.record(
        conn,
        order,
        actor,
        STATUS_EVENTS[target].TYPE,
        message,
        detail,
        event=STATUS_EVENTS[target](
            id=order["id"],
            number=order["number"],
            shipment_id=shipment.id,
            from_=shipment.status,
            extra=data or {},
            order_id=order["id"],
            warehouse=shipment.warehouse,
            status=target.value,
            tracking_number=(values or {}).get("tracking_number", shipment.tracking_number),
        ),
    )


def _refuse_if_held(conn: Connection, order: sa.RowMapping) -> None:
    """A held order does not leave the building, unless the only hold is for missing units
    (a short pick or a backorder): then what is here ships and the rest follows."""
    if order["status"] != OrderStatus.ON_HOLD:
        return
    reasons = {h.reason for h in open_holds(conn, [order["id"]])}
    if reasons - {HoldReason.BACKORDER.value}:
        raise Conflict(
            f"Order {order['number']} is on hold; release it before shipping.",
            code="order_on_hold",
            details={"order_id": order["id"], "reasons": sorted(reasons)},
        )


def ship_locked(
    conn: Connection,
    order: sa.RowMapping,
    shipment: Shipment,
    actor: str,
    values: dict[str, Any],
) -> None:
    """Ship: the reservation becomes a shipment movement (rows locked by ``locked``)."""
    _refuse_if_held(conn, order)
    check_shipment_transition(shipment.status, ShipmentStatus.SHIPPED)
    lines = shipments.lines_for(conn, [shipment.id])
    inventory.apply(
        conn,
        [
            Movement(
                ln.sku,
                shipment.warehouse,
                MovementKind.SHIPMENT,
                -ln.quantity,
                -ln.quantity,
                "shipped",
                order["number"],
            )
            for ln in lines
        ],
        actor,
    )
    tracking = values.get("tracking_number") or shipment.tracking_number
    units = sum(ln.quantity for ln in lines)
    move(
        conn,
        order,
        shipment,
        ShipmentStatus.SHIPPED,
        actor,
        f"{units} unit(s) shipped from {shipment.warehouse}"
        + (f", tracking {tracking}." if tracking else "."),
        values={**values, "shipped_at": utcnow()},
        data={"tracking_number": tracking},
    )


def _view(conn: Connection, shipment_id: str) -> ShipmentView:
    row = shipments.get_shipment(conn, shipment_id)
    if row is None:
        raise RuntimeError(f"shipment {shipment_id} not found")
    return shipment_view(row, shipments.lines_for(conn, [shipment_id]))


def ship_shipment(db: Database, shipment_id: str, data: ShipIn, actor: str) -> ShipmentView:
    with db.write() as conn:
        order, shipment = locked(conn, shipment_id)
        values = {
            f: getattr(data, f)
            for f in ("tracking_number", "carrier", "service", "tracking_url")
            if getattr(data, f) is not None
        }
        ship_locked(conn, order, shipment, actor, values)
        orders.sync_status(conn, order["id"], actor)
        return _view(conn, shipment_id)


def _step(db: Database, shipment_id: str, target: ShipmentStatus, actor: str) -> ShipmentView:
    words = {ShipmentStatus.PICKING: "being picked", ShipmentStatus.PACKED: "packed"}
    with db.write() as conn:
        order, shipment = locked(conn, shipment_id)
        move(
            conn,
            order,
            shipment,
            target,
            actor,
            f"Shipment from {shipment.warehouse} is {words[target]}.",
        )
        return _view(conn, shipment_id)


def pick_shipment(db: Database, shipment_id: str, actor: str) -> ShipmentView:
    return _step(db, shipment_id, ShipmentStatus.PICKING, actor)


def pack_shipment(db: Database, shipment_id: str, actor: str) -> ShipmentView:
    return _step(db, shipment_id, ShipmentStatus.PACKED, actor)


def advance_locked(
    conn: Connection,
    order: sa.RowMapping,
    shipment: Shipment,
    target: ShipmentStatus,
    actor: str,
    note: str,
) -> bool:
    """Follow a carrier's report to ``target`` (shipping first if the parcel was still in the
    warehouse); False when the shipment is already there."""
    steps = path_to(shipment.status, target)
    for step in steps:
        current = shipments.get_shipment(conn, shipment.id)
        if current is None:
            raise RuntimeError(f"shipment {shipment.id} not found")
        if step is ShipmentStatus.SHIPPED and ShipmentStatus(current.status) in OPEN_STATUSES:
            ship_locked(conn, order, current, actor, {})
            continue
        values: dict[str, Any] = {}
        if step is ShipmentStatus.DELIVERED:
            values["delivered_at"] = utcnow()
        label = step.value.replace("_", " ")
        move(conn, order, current, step, actor, f"Carrier: {label}. {note}".strip(), values=values)
    if steps:
        orders.sync_status(conn, order["id"], actor)
    return bool(steps)


def apply_tracking(
    conn: Connection,
    shipment_id: str,
    status: str,
    note: str,
    actor: str,
    tracking_url: str | None = None,
) -> bool:
    """A carrier reported ``status`` for this shipment (webhook or poll); False when it
    changes nothing (a repeat, or news older than what we know)."""
    order, shipment = locked(conn, shipment_id)
    if tracking_url and not shipment.tracking_url:
        shipments.update_shipment(conn, shipment_id, {"tracking_url": tracking_url})
    current = ShipmentStatus(shipment.status)
    target = ShipmentStatus(status)
    if current in (ShipmentStatus.CANCELLED, ShipmentStatus.DELIVERED):
        return False
    if current is ShipmentStatus.OUT_FOR_DELIVERY and target is ShipmentStatus.IN_TRANSIT:
        return False  # a late in-transit scan after the van left
    return advance_locked(conn, order, shipment, target, actor, note)


def attach_label(
    conn: Connection,
    shipment_id: str,
    actor: str,
    *,
    carrier: str | None,
    service: str | None,
    tracking_number: str | None,
    tracking_url: str | None,
    message: str,
    data: dict[str, Any],
    promised_by: Any = None,
) -> None:
    """Put (or take off, with Nones) a label's carrier, service and tracking on a shipment."""
    order, _ = locked(conn, shipment_id)
    values: dict[str, Any] = {
        "carrier": carrier,
        "service": service,
        "tracking_number": tracking_number,
        "tracking_url": tracking_url,
    }
    if promised_by is not None:
        values["promised_by"] = promised_by
    shipments.update_shipment(conn, shipment_id, values)
    kind = "shipment.label_created" if tracking_number else "shipment.label_voided"
    orders.record(
        conn,
        order,
        actor,
        kind,
        message,
        {"shipment_id": shipment_id, **data},
        event=(ShipmentLabelCreated if tracking_number else ShipmentLabelVoided)(
            id=order["id"],
            number=order["number"],
            shipment_id=shipment_id,
            order_id=order["id"],
            extra=data,
        ),
    )


class PromiseIn(Input):
    promised_by: date | None = Field(description="When the customer was promised the parcel.")


def set_promise(db: Database, shipment_id: str, data: PromiseIn, actor: str) -> ShipmentView:
    """Record the promised delivery date (rate shopping then picks a service that makes it)."""
    with db.write() as conn:
        order, shipment = locked(conn, shipment_id)
        shipments.update_shipment(conn, shipment_id, {"promised_by": data.promised_by})
        when = data.promised_by.isoformat() if data.promised_by else None
        orders.record(
            conn,
            order,
            actor,
            "shipment.promise_changed",
            f"Shipment from {shipment.warehouse} promised by {when or 'no particular date'}.",
            {"shipment_id": shipment_id, "promised_by": when},
            event=ShipmentPromiseChanged(
                id=order["id"],
                number=order["number"],
                shipment_id=shipment_id,
                order_id=order["id"],
                promised_by=when,
            ),
        )
        return _view(conn, shipment_id)
