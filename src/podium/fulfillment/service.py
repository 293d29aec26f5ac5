"""Use cases for shipments: read one, ship it (reservation becomes a shipment movement)."""

from __future__ import annotations

from pydantic import Field

from podium.db.database import Database, utcnow
from podium.errors import Conflict, NotFound
from podium.fulfillment import store
from podium.fulfillment.model import ShipmentStatus, check_shipment_transition
from podium.inventory import service as inventory
from podium.inventory.model import Movement, MovementKind
from podium.orders import journal, lifecycle
from podium.orders.model import ShipmentView
from podium.orders.status import OrderStatus
from podium.orders.views import shipment_view
from podium.validation import Input

__all__ = ["ShipIn", "get_shipment", "ship_shipment"]


class ShipIn(Input):
    tracking_number: str | None = Field(default=None, min_length=1, max_length=100)
    carrier: str | None = Field(default=None, min_length=1, max_length=64)
    service: str | None = Field(default=None, min_length=1, max_length=64)
    tracking_url: str | None = Field(default=None, max_length=500)


def get_shipment(db: Database, shipment_id: str) -> ShipmentView:
    with db.read() as conn:
        row = store.shipment(conn, shipment_id)
        if row is None:
            raise NotFound(f"No shipment {shipment_id}.", code="shipment_not_found")
        return shipment_view(row, store.shipment_lines_for(conn, [shipment_id]))


def ship_shipment(db: Database, shipment_id: str, data: ShipIn, actor: str) -> ShipmentView:
    with db.write() as conn:
        found = store.shipment(conn, shipment_id)
        if found is None:
            raise NotFound(f"No shipment {shipment_id}.", code="shipment_not_found")
        order = lifecycle.locked_order(conn, found["order_id"])  # order row first, then the rest
        shipment = store.lock_shipment(conn, shipment_id)
        assert shipment is not None
        if order["status"] == OrderStatus.ON_HOLD:
            raise Conflict(
                f"Order {order['number']} is on hold; release it before shipping.",
                code="order_on_hold",
                details={"order_id": order["id"]},
            )
        check_shipment_transition(shipment["status"], ShipmentStatus.SHIPPED)
        lines = store.shipment_lines_for(conn, [shipment_id])
        inventory.apply(
            conn,
            [
                Movement(
                    ln["sku"],
                    shipment["warehouse"],
                    MovementKind.SHIPMENT,
                    -ln["quantity"],
                    -ln["quantity"],
                    "shipped",
                    order["number"],
                )
                for ln in lines
            ],
            actor,
        )
        values: dict[str, object] = {"status": ShipmentStatus.SHIPPED.value, "shipped_at": utcnow()}
        for field in ("tracking_number", "carrier", "service", "tracking_url"):
            if getattr(data, field) is not None:
                values[field] = getattr(data, field)
        store.update_shipment(conn, shipment_id, values)
        units = sum(ln["quantity"] for ln in lines)
        journal.record(
            conn,
            order,
            actor,
            "shipment.shipped",
            f"{units} unit(s) shipped from {shipment['warehouse']}"
            + (f", tracking {data.tracking_number}." if data.tracking_number else "."),
            {"shipment_id": shipment_id, "tracking_number": data.tracking_number},
            payload={
                "shipment_id": shipment_id,
                "order_id": order["id"],
                "warehouse": shipment["warehouse"],
                "tracking_number": data.tracking_number,
            },
        )
        lifecycle.sync_status(conn, order["id"], actor)
        row = store.shipment(conn, shipment_id)
        assert row is not None
        return shipment_view(row, lines)
