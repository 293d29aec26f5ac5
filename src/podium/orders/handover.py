"""Sales whose goods already changed hands (issue 14): nothing to pick, pack or label.

``in_store``: sold and handed over at a store's till (Shopify POS, a ``pos`` channel). The order
is placed pinned to that store; its reservation is consumed at once (a shipment movement, so
on-hand goes down) and the store's shipment is recorded as handed over - shipped and delivered
in the same moment, with no carrier, no tracking, no label and no pick list.

``by_channel``: the channel fulfilled the order from its own stock (Amazon FBA). The sale is
recorded (order, money, reporting) with no reservation and no shipment, unless the channel maps
the stock it ships from to a Podium warehouse: then that warehouse's stock goes down like a
store's.

Which of the two happened is kept as a system tag on the order (``handed_over:in_store`` /
``handed_over:by_channel``), the way the channel-paid mark is.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection

from podium import catalog, inventory, shipments
from podium.db.database import utcnow
from podium.errors import ValidationFailed
from podium.inventory import Movement, MovementKind
from podium.orders.model import OrderIntake
from podium.orders.timeline import TimelineRow
from podium.shipments import Shipment, ShipmentLine, ShipmentStatus, check_shipment_transition

__all__ = [
    "HANDED_OVER_TAGS",
    "hand_over_shipments",
    "handed_over_of",
    "pinned_warehouse",
]

HANDED_OVER_TAGS = {"in_store": "handed_over:in_store", "by_channel": "handed_over:by_channel"}
_BY_TAG = {tag: how for how, tag in HANDED_OVER_TAGS.items()}


def handed_over_of(tags: Iterable[str]) -> str | None:
    """``in_store`` / ``by_channel`` when the order's goods changed hands outside Podium."""
    return next((_BY_TAG[t] for t in tags if t in _BY_TAG), None)


def pinned_warehouse(
    conn: Connection, intake: OrderIntake, *, lenient: bool = False
) -> tuple[str | None, str | None]:
    """The warehouse a handed-over sale takes its stock from, checked, or None when it takes
    none (a channel-fulfilled sale with no mapped warehouse); and, ``lenient`` (a channel's
    order is a fact), why it cannot be handed over yet instead of a 422."""
    if intake.warehouse is None:
        if intake.handed_over == "in_store":
            if lenient:
                return None, "the store it was sold at is not mapped to a warehouse"
            raise ValidationFailed(
                "An order handed over in store names the store's warehouse.",
                code="warehouse_required",
                details={"field": "warehouse"},
            )
        return None, None
    if intake.handed_over is None:
        raise ValidationFailed(
            "warehouse is only for an order already handed over (handed_over).",
            code="warehouse_without_handover",
            details={"field": "warehouse"},
        )
    found = catalog.warehouse(conn, intake.warehouse)
    if found is None or not found.active:
        if lenient:
            return None, f"warehouse {intake.warehouse} is unknown or inactive"
        raise ValidationFailed(
            f"Unknown or inactive warehouse {intake.warehouse}.",
            code="unknown_warehouse",
            details={"field": "warehouse", "warehouse": intake.warehouse},
        )
    return found.code, None


def hand_over_shipments(
    conn: Connection,
    order: Mapping[Any, Any],
    made: Sequence[Shipment],
    lines: Sequence[ShipmentLine],
    how: str,
    actor: str,
) -> TimelineRow:
    """Consume the reservations of just-created shipments and record them handed over
    (shipped and delivered now, no carrier); the timeline entry that says so."""
    warehouse = {s.id: s.warehouse for s in made}
    inventory.apply(
        conn,
        [
            Movement(
                ln.sku,
                warehouse[ln.shipment_id],
                MovementKind.SHIPMENT,
                -ln.quantity,
                -ln.quantity,
                "handed_over",
                order["number"],
            )
            for ln in lines
        ],
        actor,
    )
    now = utcnow()
    for s in made:
        check_shipment_transition(s.status, ShipmentStatus.SHIPPED)
        check_shipment_transition(ShipmentStatus.SHIPPED, ShipmentStatus.DELIVERED)
        shipments.update_shipment(
            conn,
            s.id,
            {"status": ShipmentStatus.DELIVERED.value, "shipped_at": now, "delivered_at": now},
        )
    units = sum(ln.quantity for ln in lines)
    where = ", ".join(sorted(set(warehouse.values())))
    said = "in store" if how == "in_store" else "by the channel"
    return TimelineRow(
        "order.handed_over",
        f"{units} unit(s) handed over {said} at {where}: nothing to pick, pack or ship.",
        {"handed_over": how, "warehouses": sorted(set(warehouse.values())), "units": units},
    )
