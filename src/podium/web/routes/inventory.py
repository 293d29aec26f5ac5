"""Inventory: stock per SKU, one SKU by warehouse and channel, its ledger, adjustments."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from podium import inventory as stock_service
from podium import planning
from podium.access import Permission
from podium.catalog import get_product, read_warehouses
from podium.errors import DomainError, NotFound
from podium.inventory import AdjustmentIn, stock_by_sku
from podium.web.core import Posted, Viewer, action, dashboard, page, redirect, render
from podium.web.forms import int_field, invalid
from podium.web.nav import NavItem

router = APIRouter(include_in_schema=False)
NAV = [NavItem("Inventory", "/inventory", order=20)]

REASONS = ("receipt", "cycle_count", "damaged", "lost", "found", "adjustment", "return")


@router.get("/inventory", response_class=HTMLResponse)
def inventory(request: Request, viewer: Viewer = page()) -> HTMLResponse:
    q = (request.query_params.get("q") or "").strip()[:100] or None
    after = (request.query_params.get("after") or "").strip()[:64] or None
    items, next_after = stock_by_sku(dashboard(request).podium.db, q=q, after=after)
    return render(request, "inventory.html", viewer, items=items, q=q or "", next_after=next_after)


@router.get("/inventory/{sku}", response_class=HTMLResponse)
def sku_page(sku: str, request: Request, viewer: Viewer = page()) -> HTMLResponse:
    db = dashboard(request).podium.db
    try:
        product = get_product(db, sku)
        stock = stock_service.sku_availability(db, sku)
        history = stock_service.history(db, sku, limit=100).items
        incoming = planning.incoming(db, sku=sku)
    except NotFound as exc:
        return render(request, "error.html", viewer, status=404, message=exc.message)
    return render(
        request,
        "sku.html",
        viewer,
        product=product,
        stock=stock,
        history=history,
        incoming=incoming,
        warehouses=read_warehouses(db),
        reasons=REASONS,
    )


@router.post("/inventory/{sku}/adjust", response_model=None)
def adjust(sku: str, request: Request, posted: Posted = action(Permission.OPERATE)) -> Response:
    db = dashboard(request).podium.db
    back = f"/inventory/{sku}"
    try:
        data = AdjustmentIn(
            sku=sku,
            warehouse=posted.get("warehouse"),
            quantity=int_field(posted.get("quantity"), "quantity"),
            reason=posted.get("reason") or "adjustment",
            reference=posted.get("reference") or None,
        )
    except DomainError as exc:
        return redirect(request, back, exc.message, "error")
    except ValueError as exc:
        return redirect(request, back, invalid(exc).message, "error")
    try:
        after = stock_service.adjust(db, data, posted.viewer.actor)
    except DomainError as exc:
        return redirect(request, back, exc.message, "error")
    return redirect(
        request,
        back,
        f"{data.warehouse}: on hand is now {after.on_hand}, available {after.available}.",
    )
