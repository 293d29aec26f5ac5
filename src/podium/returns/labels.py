"""Return labels through the carrier interface: the parcel an approved RMA goes back in.

From the customer's shipping address to the warehouse the return goes back to (the one that
shipped the returned units, unless the channel's return policy names one), weighed from the
returned lines' products, rate-shopped like shipment labels (``carriers.service.shop``) and
printed by the same 4×6 label renderer (PDF and ZPL). Rejecting the return voids its label.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel, Field

from podium import catalog, orders
from podium.carriers import CarrierError, Carriers, CarrierUnavailable, carrier_for
from podium.db.database import Database, as_utc, utcnow
from podium.errors import Conflict, NotFound
from podium.events import Envelope
from podium.fulfillment import LabelDoc, address_lines
from podium.money import format_amount
from podium.orders import find_order
from podium.returns import _label_store as label_store
from podium.returns import _store as store
from podium.returns.events import ReturnLabelVoided
from podium.returns.service import locked_return
from podium.validation import Code, Input

__all__ = [
    "ReturnLabelIn",
    "ReturnLabelView",
    "get_return_label",
    "label_view",
    "on_return_rejected",
    "return_label_document",
    "void_return_label",
]

log = logging.getLogger("podium.returns.labels")
DEFAULT_WEIGHT_GRAMS = 500
ACTOR = "system:returns"


class ReturnLabelIn(Input):
    carrier: Code | None = None
    service: str | None = Field(default=None, min_length=1, max_length=64)
    warehouse: Code | None = Field(default=None, description="Override where it goes back to.")


class LabelRate(BaseModel):
    amount: str
    currency: str


class ReturnLabelView(BaseModel):
    return_id: str
    carrier: str
    carrier_name: str
    service: str
    tracking_number: str
    tracking_url: str | None
    rate: LabelRate
    transit_days: int | None
    warehouse: str
    weight_grams: int
    label_url: str | None  # the carrier's own postage label (EasyPost), when it made one
    created_at: datetime
    picked_up_at: datetime | None
    delivered_at: datetime | None


def label_view(row: sa.RowMapping) -> ReturnLabelView:
    def when(value: Any) -> datetime | None:
        return as_utc(value) if value is not None else None

    return ReturnLabelView(
        return_id=row["return_id"],
        carrier=row["carrier"],
        carrier_name=row["carrier_name"],
        service=row["service"],
        tracking_number=row["tracking_number"],
        tracking_url=row["tracking_url"],
        rate=LabelRate(
            amount=format_amount(row["rate_amount"], row["currency"]), currency=row["currency"]
        ),
        transit_days=row["transit_days"],
        warehouse=row["warehouse"],
        weight_grams=row["weight_grams"],
        label_url=row["label_url"],
        created_at=as_utc(row["created_at"]),
        picked_up_at=when(row["picked_up_at"]),
        delivered_at=when(row["delivered_at"]),
    )


def _label(db: Database, return_id: str) -> sa.RowMapping:
    with db.read() as conn:
        if store.return_row(conn, return_id) is None:
            raise NotFound(f"No return {return_id}.", code="return_not_found")
        row = label_store.current_label(conn, return_id)
    if row is None:
        raise NotFound("This return has no label.", code="label_not_found")
    return row


def get_return_label(db: Database, return_id: str) -> ReturnLabelView:
    return label_view(_label(db, return_id))


def void_return_label(db: Database, carriers: Carriers, return_id: str, actor: str) -> None:
    """Void a label the parcel has not travelled on (the carrier refunds it where it can)."""
    row = _label(db, return_id)
    if row["picked_up_at"] is not None:
        raise Conflict(
            "The parcel is on its way; its label cannot be voided.",
            code="label_in_use",
            details={"tracking_number": row["tracking_number"]},
        )
    try:
        carrier_for(db, carriers, row["carrier"]).void(row["tracking_number"], row["external_id"])
    except CarrierError as exc:
        raise CarrierUnavailable.of(exc) from exc
    with db.write() as conn:
        order, ret = locked_return(conn, return_id)
        label_store.update_label(conn, row["id"], {"voided_at": utcnow()})
        if ret["tracking_number"] == row["tracking_number"]:
            store.update_return(conn, return_id, {"carrier": None, "tracking_number": None})
        facts = {"return_id": return_id, "tracking_number": row["tracking_number"]}
        orders.record(
            conn,
            order,
            actor,
            "return.label_voided",
            f"Return label {row['tracking_number']} for {return_id} voided.",
            facts,
            event=ReturnLabelVoided(
                id=order["id"],
                number=order["number"],
                return_id=return_id,
                tracking_number=row["tracking_number"],
            ),
        )


def on_return_rejected(db: Database, carriers: Carriers) -> Callable[[Envelope], None]:
    """A return was rejected: void its unused label so the postage is refunded. A carrier that
    fails makes the relay try again later."""

    def handle(event: Envelope) -> None:
        return_id = event.payload.get("return_id")
        if not isinstance(return_id, str):
            return
        with db.read() as conn:
            row = label_store.current_label(conn, return_id)
        if row is not None and row["picked_up_at"] is None:
            void_return_label(db, carriers, return_id, ACTOR)

    return handle


def return_label_document(db: Database, return_id: str) -> LabelDoc:
    row = _label(db, return_id)
    with db.read() as conn:
        ret = store.return_row(conn, return_id)
        if ret is None:
            raise RuntimeError(f"return {return_id} not found")
        order = find_order(conn, ret["order_id"])
        warehouse = catalog.warehouse(conn, row["warehouse"])
    if order is None:
        raise RuntimeError(f"order {ret['order_id']} of return {return_id} not found")
    if warehouse is None:
        raise RuntimeError(f"warehouse {row['warehouse']} of return {return_id}'s label not found")
    return LabelDoc(
        tracking_number=row["tracking_number"],
        carrier_name=row["carrier_name"],
        service=row["service"],
        order_number=order["number"],
        weight_grams=row["weight_grams"],
        ship_from=address_lines(order["customer_name"], dict(order["shipping_address"])),
        ship_to=address_lines(warehouse.name, warehouse.address.model_dump()),
        shipped_on=as_utc(row["created_at"]).strftime("%Y-%m-%d"),
        reference=f"RETURN {return_id}",
    )
