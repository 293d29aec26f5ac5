"""Warehouse operations: fulfilment settings, bin locations, waves, pick lists, manifests."""

from __future__ import annotations

from datetime import UTC, date, datetime

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from podium import fulfillment
from podium.access import Permission
from podium.api.deps import Caller, get_podium, require
from podium.api.routers.fulfillment import PDF, pdf
from podium.bootstrap import Podium
from podium.carriers import build_manifest, manifest_csv
from podium.fulfillment import BinIn, PickListIn, PickListView, SettingsIn, SettingsView
from podium.shipments import ShipmentView
from podium.validation import Sku

router = APIRouter(tags=["warehouse"])

READ = Depends(require(Permission.READ))
FULFIL = Depends(require(Permission.FULFIL))
ADMIN = Depends(require(Permission.ADMIN))


@router.get("/warehouses/{code}/fulfillment", response_model=SettingsView)
def get_settings(code: str, _: Caller = READ, podium: Podium = Depends(get_podium)) -> SettingsView:
    return fulfillment.get_settings(podium.db, code)


@router.put("/warehouses/{code}/fulfillment", response_model=SettingsView)
def put_settings(
    code: str, data: SettingsIn, _: Caller = ADMIN, podium: Podium = Depends(get_podium)
) -> SettingsView:
    """``release_mode`` (auto | wave) and ``handoff`` (none | webhook | csv_drop)."""
    return fulfillment.put_settings(podium.db, code, data, podium.settings)


@router.put("/warehouses/{code}/bins/{sku}", response_model=dict[str, str])
def put_bin(
    code: str, sku: Sku, data: BinIn, _: Caller = FULFIL, podium: Podium = Depends(get_podium)
) -> dict[str, str]:
    return fulfillment.put_bin(podium.db, code, sku, data)


@router.get("/warehouses/{code}/shipments", response_model=dict[str, list[ShipmentView]])
def warehouse_queue(
    code: str,
    status: str = Query("released", description="pending, released, picking, packed, …"),
    limit: int = Query(100, ge=1, le=1000),
    _: Caller = READ,
    podium: Podium = Depends(get_podium),
) -> dict[str, list[ShipmentView]]:
    """The warehouse's work queue: its shipments in one status, oldest first."""
    return {"items": fulfillment.warehouse_queue(podium.db, code, status, limit)}


@router.post("/warehouses/{code}/waves", status_code=201, response_model=dict[str, list[str]])
def release_wave(
    code: str,
    limit: int = Query(500, ge=1, le=5000),
    caller: Caller = FULFIL,
    podium: Podium = Depends(get_podium),
) -> dict[str, list[str]]:
    """Release a wave: pending shipments of orders not on hold, oldest first."""
    return {"shipments": fulfillment.release_wave(podium.db, code, caller.actor, limit=limit)}


@router.post("/warehouses/{code}/pick-lists", status_code=201, response_model=PickListView)
def create_pick_list(
    code: str,
    data: PickListIn | None = None,
    caller: Caller = FULFIL,
    podium: Podium = Depends(get_podium),
) -> PickListView:
    return fulfillment.create_pick_list(podium.db, code, data or PickListIn(), caller.actor)


@router.get("/pick-lists/{pick_list_id}.pdf", response_class=Response, responses=PDF)
def pick_list_pdf(
    pick_list_id: str, _: Caller = READ, podium: Podium = Depends(get_podium)
) -> Response:
    doc = fulfillment.pick_list_document(podium.db, pick_list_id)
    rows = [(r.bin, r.sku, r.name, r.quantity, r.orders) for r in doc.rows]
    body = fulfillment.pick_list_pdf(doc.id, doc.warehouse, doc.created_at, rows, doc.shipments)
    return pdf(body, f"pick-list-{doc.id}.pdf")


# After the .pdf route: {pick_list_id} would also match "….pdf".
@router.get("/pick-lists/{pick_list_id}", response_model=PickListView)
def get_pick_list(
    pick_list_id: str, _: Caller = READ, podium: Podium = Depends(get_podium)
) -> PickListView:
    return fulfillment.get_pick_list(podium.db, pick_list_id)


@router.get("/warehouses/{code}/manifest.{fmt}", response_class=Response, responses=PDF)
def get_manifest(
    code: str,
    fmt: str,
    day: date | None = Query(None, alias="date"),
    _: Caller = READ,
    podium: Podium = Depends(get_podium),
) -> Response:
    """The end-of-day carrier manifest (``.pdf`` or ``.csv``); ``date`` defaults to today."""
    from podium.errors import NotFound

    doc = build_manifest(podium.db, code, day or datetime.now(UTC).date())
    if fmt == "csv":
        return Response(manifest_csv(doc), media_type="text/csv")
    if fmt == "pdf":
        return pdf(fulfillment.manifest_pdf(doc), f"manifest-{code}-{doc.day}.pdf")
    raise NotFound("Manifests come as .pdf or .csv.", code="not_found")
