"""Shipments."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from podium.access.model import Permission
from podium.api.deps import Caller, get_podium, require
from podium.bootstrap import Podium
from podium.fulfillment import service
from podium.fulfillment.service import ShipIn
from podium.orders.model import ShipmentView

router = APIRouter(tags=["fulfilment"])

READ = Depends(require(Permission.READ))
FULFIL = Depends(require(Permission.FULFIL))


@router.get("/shipments/{shipment_id}", response_model=ShipmentView)
def get_shipment(
    shipment_id: str, _: Caller = READ, podium: Podium = Depends(get_podium)
) -> ShipmentView:
    return service.get_shipment(podium.db, shipment_id)


@router.post("/shipments/{shipment_id}/ship", response_model=ShipmentView)
def ship(
    shipment_id: str,
    data: ShipIn | None = None,
    caller: Caller = FULFIL,
    podium: Podium = Depends(get_podium),
) -> ShipmentView:
    return service.ship_shipment(podium.db, shipment_id, data or ShipIn(), caller.actor)
