"""The warehouse view: shipments to ship, per warehouse, with the ship action (tablet-sized)."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from podium.access.model import Permission
from podium.catalog.service import list_warehouses
from podium.errors import DomainError
from podium.fulfillment.queue import to_ship
from podium.fulfillment.service import ShipIn, ship_shipment
from podium.web.core import Posted, Viewer, action, dashboard, page, redirect, render
from podium.web.forms import invalid
from podium.web.nav import NavItem

router = APIRouter(include_in_schema=False)
NAV = [NavItem("Warehouse", "/warehouse", order=40)]


@router.get("/warehouse", response_class=HTMLResponse)
def warehouse(request: Request, viewer: Viewer = page()) -> HTMLResponse:
    db = dashboard(request).podium.db
    code = (request.query_params.get("warehouse") or "").strip()[:64] or None
    return render(
        request,
        "warehouse.html",
        viewer,
        shipments=to_ship(db, code),
        warehouses=list_warehouses(db),
        selected=code or "",
    )


@router.post("/warehouse/shipments/{shipment_id}/ship", response_model=None)
def ship(
    shipment_id: str, request: Request, posted: Posted = action(Permission.FULFIL)
) -> Response:
    db = dashboard(request).podium.db
    code = posted.get("warehouse")
    back = "/warehouse" + (f"?warehouse={quote(code)}" if code else "")
    try:
        data = ShipIn(
            tracking_number=posted.get("tracking_number") or None,
            carrier=posted.get("carrier") or None,
            tracking_url=posted.get("tracking_url") or None,
        )
    except ValueError as exc:
        return redirect(request, back, invalid(exc).message, "error")
    try:
        shipped = ship_shipment(db, shipment_id, data, posted.viewer.actor)
    except DomainError as exc:
        return redirect(request, back, exc.message, "error")
    return redirect(request, back, f"Shipment {shipped.id} shipped.")
