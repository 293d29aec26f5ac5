"""Shipments: read, pick, pack, short-pick, label, documents, ship."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from podium import carriers, fulfillment
from podium.access import Permission
from podium.api.deps import Caller, get_podium, require
from podium.bootstrap import Podium
from podium.carriers import LabelIn, LabelView
from podium.fulfillment import PromiseIn, ShipIn, ShortPickIn
from podium.shipments import ShipmentView

router = APIRouter(tags=["fulfilment"])

READ = Depends(require(Permission.READ))
FULFIL = Depends(require(Permission.FULFIL))
OPERATE = Depends(require(Permission.OPERATE))
PDF: dict[int | str, dict[str, Any]] = {200: {"content": {"application/pdf": {}}}}


def pdf(body: bytes, name: str) -> Response:
    return Response(
        body,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{name}"'},
    )


@router.get("/shipments/{shipment_id}", response_model=ShipmentView)
def get_shipment(
    shipment_id: str, _: Caller = READ, podium: Podium = Depends(get_podium)
) -> ShipmentView:
    return fulfillment.get_shipment(podium.db, shipment_id)


@router.patch("/shipments/{shipment_id}", response_model=ShipmentView)
def set_promise(
    shipment_id: str,
    data: PromiseIn,
    caller: Caller = OPERATE,
    podium: Podium = Depends(get_podium),
) -> ShipmentView:
    """Set (or clear, with null) the date the customer was promised the parcel."""
    return fulfillment.set_promise(podium.db, shipment_id, data, caller.actor)


@router.post("/shipments/{shipment_id}/ship", response_model=ShipmentView)
def ship(
    shipment_id: str,
    data: ShipIn | None = None,
    caller: Caller = FULFIL,
    podium: Podium = Depends(get_podium),
) -> ShipmentView:
    return fulfillment.ship_shipment(podium.db, shipment_id, data or ShipIn(), caller.actor)


@router.post("/shipments/{shipment_id}/pick", response_model=ShipmentView)
def pick(
    shipment_id: str, caller: Caller = FULFIL, podium: Podium = Depends(get_podium)
) -> ShipmentView:
    """The warehouse started picking this shipment."""
    return fulfillment.pick_shipment(podium.db, shipment_id, caller.actor)


@router.post("/shipments/{shipment_id}/pack", response_model=ShipmentView)
def pack(
    shipment_id: str, caller: Caller = FULFIL, podium: Podium = Depends(get_podium)
) -> ShipmentView:
    """The shipment is packed and waiting for the carrier."""
    return fulfillment.pack_shipment(podium.db, shipment_id, caller.actor)


@router.post("/shipments/{shipment_id}/short-pick", response_model=ShipmentView)
def short_pick(
    shipment_id: str,
    data: ShortPickIn,
    caller: Caller = FULFIL,
    podium: Podium = Depends(get_podium),
) -> ShipmentView:
    """Units the warehouse could not find: back-ordered; the rest of the shipment ships."""
    return fulfillment.short_pick(podium.db, shipment_id, data, caller.actor)


@router.post("/shipments/{shipment_id}/label", status_code=201, response_model=LabelView)
def buy_label(
    shipment_id: str,
    data: LabelIn | None = None,
    caller: Caller = FULFIL,
    podium: Podium = Depends(get_podium),
) -> LabelView:
    """Buy a label from ``carrier``/``service``, or send ``{}`` to rate-shop: the cheapest
    rate that arrives by the promised date (``deliver_by`` or the shipment's)."""
    return carriers.buy_label(
        podium.db, podium.carriers, shipment_id, data or LabelIn(), caller.actor
    )


@router.get("/shipments/{shipment_id}/label", response_model=LabelView)
def get_label(
    shipment_id: str, _: Caller = READ, podium: Podium = Depends(get_podium)
) -> LabelView:
    return carriers.get_label(podium.db, shipment_id)


@router.post("/shipments/{shipment_id}/label/void", status_code=204)
def void_label(
    shipment_id: str, caller: Caller = FULFIL, podium: Podium = Depends(get_podium)
) -> Response:
    carriers.void_label(podium.db, podium.carriers, shipment_id, caller.actor)
    return Response(status_code=204)


@router.get("/shipments/{shipment_id}/label.pdf", response_class=Response, responses=PDF)
def label_pdf(shipment_id: str, _: Caller = READ, podium: Podium = Depends(get_podium)) -> Response:
    """The carrier's own PDF label when it made one (the one with postage), else Podium's."""
    doc = carriers.label_document(podium.db, shipment_id)
    real = carriers.carrier_label(podium.db, shipment_id, "PDF")
    return pdf(real or fulfillment.label_pdf(doc), f"label-{doc.tracking_number}.pdf")


@router.get("/shipments/{shipment_id}/label.zpl", response_class=Response)
def label_zpl(shipment_id: str, _: Caller = READ, podium: Podium = Depends(get_podium)) -> Response:
    """The carrier's own ZPL label when it made one (the one with postage), else Podium's."""
    doc = carriers.label_document(podium.db, shipment_id)
    real = carriers.carrier_label(podium.db, shipment_id, "ZPL")
    return Response(real or fulfillment.label_zpl(doc), media_type="application/zpl")


@router.get("/shipments/{shipment_id}/packing-slip.pdf", response_class=Response, responses=PDF)
def packing_slip(
    shipment_id: str, _: Caller = READ, podium: Podium = Depends(get_podium)
) -> Response:
    doc = fulfillment.packing_slip_document(podium.db, shipment_id)
    return pdf(fulfillment.packing_slip_pdf(doc), f"packing-slip-{doc.order_number}.pdf")
