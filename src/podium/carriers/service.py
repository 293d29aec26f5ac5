"""Carrier use cases: accounts, buying and voiding labels (with rate shopping), and the data a
printed label shows. Network calls to carriers happen outside any database transaction."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError

from podium import catalog, fulfillment, shipments
from podium.carriers import _store as store
from podium.carriers.accounts import Carriers, CarrierUnavailable
from podium.carriers.model import (
    CarrierError,
    LabelIn,
    RateRequest,
)
from podium.carriers.shopping import shop
from podium.db.database import Database, as_utc
from podium.errors import Conflict, NotFound
from podium.fulfillment import LabelDoc, address_lines
from podium.ids import new_id
from podium.money import format_amount
from podium.orders import require_order
from podium.shipments import OPEN_STATUSES, ShipmentStatus

__all__ = [
    "LabelView",
    "buy_label",
    "carrier_label",
    "current_labels",
    "get_label",
    "label_document",
    "labels_for_order",
    "void_label",
]

log = logging.getLogger("podium.carriers")
DEFAULT_WEIGHT_GRAMS = 500


class LabelRate(BaseModel):
    amount: str
    currency: str


class LabelView(BaseModel):
    shipment_id: str
    carrier: str
    carrier_name: str
    service: str
    tracking_number: str
    tracking_url: str | None
    transit_days: int | None
    rate: LabelRate
    label_url: str | None = None  # the carrier's postage label (EasyPost): print that one
    # The format of the carrier's label Podium keeps and serves (label.pdf / label.zpl).
    label_format: str | None = None


def _label_view(row: sa.RowMapping, url: str | None) -> LabelView:
    return LabelView(
        shipment_id=row["shipment_id"],
        carrier=row["carrier"],
        carrier_name=row["carrier_name"],
        service=row["service"],
        tracking_number=row["tracking_number"],
        tracking_url=url,
        transit_days=row["transit_days"],
        rate=LabelRate(
            amount=format_amount(row["rate_amount"], row["currency"]), currency=row["currency"]
        ),
        label_url=row["label_url"],
        label_format=row["label_format"],
    )


@dataclass(frozen=True, slots=True)
class _Job:
    request: RateRequest
    promised_by: Any


def _prepare(db: Database, shipment_id: str, data: LabelIn) -> _Job:
    with db.read() as conn:
        shipment = shipments.get_shipment(conn, shipment_id)
        if shipment is None:
            raise NotFound(f"No shipment {shipment_id}.", code="shipment_not_found")
        if ShipmentStatus(shipment.status) not in OPEN_STATUSES:
            raise Conflict(
                f"A {shipment.status} shipment cannot get a new label.",
                code="invalid_transition",
                details={"entity": "shipment", "from": shipment.status, "to": "labelled"},
            )
        if store.current_label(conn, shipment_id) is not None:
            raise Conflict(
                "This shipment already has a label; void it first.",
                code="label_exists",
                details={"shipment_id": shipment_id},
            )
        order = require_order(conn, shipment.order_id)
        lines = shipments.lines_for(conn, [shipment_id])
        products = catalog.products_by_sku(conn, [ln.sku for ln in lines])
        warehouse = catalog.warehouse(conn, shipment.warehouse)
    if warehouse is None:  # a shipment's warehouse is a foreign key
        raise RuntimeError(f"warehouse {shipment.warehouse} of shipment {shipment_id} not found")
    printer = fulfillment.get_settings(db, shipment.warehouse).label_format
    weight = (
        data.weight_grams
        or sum(
            (products[ln.sku].weight_grams or 0) * ln.quantity for ln in lines if ln.sku in products
        )
        or DEFAULT_WEIGHT_GRAMS
    )
    request = RateRequest(
        reference=order["number"],
        from_name=warehouse.name,
        from_address=warehouse.address.model_dump(),
        to_name=order["customer_name"] or "",
        to_address=dict(order["shipping_address"]),
        weight_grams=weight,
        currency=order["currency"],
        label_format=printer,
    )
    return _Job(request, data.deliver_by or shipment.promised_by)


def buy_label(
    db: Database, carriers: Carriers, shipment_id: str, data: LabelIn, actor: str
) -> LabelView:
    """Buy a label: the named carrier and service, or the cheapest rate that arrives by the
    promised date across every carrier (rate shopping)."""
    job = _prepare(db, shipment_id, data)
    rate, carrier = shop(db, carriers, job.request, data.carrier, data.service, job.promised_by)
    for _attempt in range(3):
        try:
            purchase = carrier.buy(job.request, rate)
        except CarrierError as exc:
            raise CarrierUnavailable.of(exc, {"carrier": rate.carrier}) from exc
        label_id = new_id("lbl")
        try:
            with db.write() as conn:
                store.insert_label(
                    conn,
                    {
                        "id": label_id,
                        "shipment_id": shipment_id,
                        "carrier": rate.carrier,
                        "carrier_name": rate.carrier_name,
                        "service": rate.service,
                        "tracking_number": purchase.tracking_number,
                        "rate_amount": rate.amount,
                        "currency": rate.currency,
                        "transit_days": rate.transit_days,
                        "weight_grams": job.request.weight_grams,
                        "external_id": purchase.external_id,
                        "label_url": purchase.label_url,
                        "label_format": purchase.label_format if purchase.label_file else None,
                        "label_file": purchase.label_file,
                    },
                )
                price = format_amount(rate.amount, rate.currency)
                fulfillment.attach_label(
                    conn,
                    shipment_id,
                    actor,
                    carrier=rate.carrier,
                    service=rate.service,
                    tracking_number=purchase.tracking_number,
                    tracking_url=purchase.tracking_url,
                    message=f"Label bought: {rate.carrier_name} {rate.service}, "
                    f"{rate.currency} {price}, tracking {purchase.tracking_number}.",
                    data={
                        "carrier": rate.carrier,
                        "service": rate.service,
                        "tracking_number": purchase.tracking_number,
                        "rate": price,
                        "currency": rate.currency,
                    },
                    promised_by=data.deliver_by,
                )
                row = store.current_label(conn, shipment_id)
        except IntegrityError:
            continue  # a tracking number drawn twice: draw again
        if row is None:
            raise RuntimeError(f"label of shipment {shipment_id} not found after it was stored")
        return _label_view(row, purchase.tracking_url)
    raise CarrierUnavailable("Could not get a unique tracking number.")


def get_label(db: Database, shipment_id: str) -> LabelView:
    with db.read() as conn:
        row = store.current_label(conn, shipment_id)
        shipment = shipments.get_shipment(conn, shipment_id)
    if row is None or shipment is None:
        raise NotFound("This shipment has no label.", code="label_not_found")
    return _label_view(row, shipment.tracking_url)


def labels_for_order(db: Database, order_id: str) -> dict[str, LabelView]:
    """The live (not voided) label of each of the order's shipments that has one, by shipment
    id, in one read."""
    with db.read() as conn:
        ships = {s.id: s for s in shipments.shipments_for_orders(conn, [order_id])}
        rows = store.labels_for(conn, list(ships))
    return {sid: _label_view(row, ships[sid].tracking_url) for sid, row in rows.items()}


def current_labels(db: Database, shipment_ids: list[str]) -> dict[str, LabelView]:
    """The label each of these shipments travels on (those that have one), in one query
    (without tracking URLs: those are on the shipments)."""
    with db.read() as conn:
        found = store.labels_for(conn, shipment_ids)
    return {i: _label_view(row, None) for i, row in found.items()}


def void_label(db: Database, carriers: Carriers, shipment_id: str, actor: str) -> None:
    with db.read() as conn:
        row = store.current_label(conn, shipment_id)
        shipment = shipments.get_shipment(conn, shipment_id)
        account = store.account(conn, row["carrier"]) if row is not None else None
    if row is None or shipment is None:
        raise NotFound("This shipment has no label.", code="label_not_found")
    if ShipmentStatus(shipment.status) not in {*OPEN_STATUSES, ShipmentStatus.CANCELLED}:
        raise Conflict(
            "The parcel has left; its label cannot be voided.",
            code="invalid_transition",
            details={"entity": "shipment", "from": shipment.status, "to": "voided"},
        )
    try:
        carriers.build(account).void(row["tracking_number"], row["external_id"])
    except CarrierError as exc:
        raise CarrierUnavailable.of(exc) from exc
    with db.write() as conn:
        store.void_label(conn, row["id"])
        fulfillment.attach_label(
            conn,
            shipment_id,
            actor,
            carrier=None,
            service=None,
            tracking_number=None,
            tracking_url=None,
            message=f"Label {row['tracking_number']} voided.",
            data={"voided": row["tracking_number"]},
        )


def carrier_label(db: Database, shipment_id: str, fmt: str) -> bytes | None:
    """The postage label the carrier made, when it is kept in ``fmt`` (PDF, ZPL, PNG): that
    one carries valid postage, so the label endpoints serve it rather than Podium's copy."""
    with db.read() as conn:
        row = store.current_label(conn, shipment_id)
    if row is None or row["label_file"] is None or row["label_format"] != fmt:
        return None
    return bytes(row["label_file"])


def label_document(db: Database, shipment_id: str) -> LabelDoc:
    with db.read() as conn:
        shipment = shipments.get_shipment(conn, shipment_id)
        if shipment is None:
            raise NotFound(f"No shipment {shipment_id}.", code="shipment_not_found")
        row = store.current_label(conn, shipment_id)
        if row is None:
            raise NotFound("This shipment has no label yet.", code="label_not_found")
        order = require_order(conn, shipment.order_id)
    warehouse = catalog.get_warehouse(db, shipment.warehouse)
    return LabelDoc(
        tracking_number=row["tracking_number"],
        carrier_name=row["carrier_name"],
        service=row["service"],
        order_number=order["number"],
        weight_grams=row["weight_grams"],
        ship_from=address_lines(warehouse.name, warehouse.address.model_dump()),
        ship_to=address_lines(order["customer_name"], dict(order["shipping_address"])),
        shipped_on=as_utc(row["created_at"]).strftime("%Y-%m-%d"),
    )
