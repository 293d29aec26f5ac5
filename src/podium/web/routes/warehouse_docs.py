"""The warehouse's paperwork from the dashboard: pick lists (make one, print it), carrier labels
(buy, void, print as PDF or ZPL), packing slips and the end-of-day manifest.

Making things goes through ``fulfillment.picking`` and ``carriers.service``; printing renders the
same documents as the API (``fulfillment/documents.py``, ``zpl.py``, ``carriers/manifest.py``),
downloaded with the dashboard session instead of an API key.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from podium import carriers, fulfillment
from podium.access import Permission
from podium.carriers import LabelIn, build_manifest, manifest_csv
from podium.errors import DomainError, ValidationFailed
from podium.fulfillment import PickListIn
from podium.web.core import Posted, Viewer, action, dashboard, page, redirect, render
from podium.web.formats import money
from podium.web.forms import int_field, invalid
from podium.web.nav import NavItem
from podium.web.routes import documents as files
from podium.web.routes.warehouse import back

router = APIRouter(include_in_schema=False)
NAV: list[NavItem] = []


def _document(
    request: Request, viewer: Viewer, make: Callable[[], Response]
) -> Response | HTMLResponse:
    try:
        return make()
    except DomainError as exc:
        return render(request, "error.html", viewer, status=exc.status, message=exc.message)


# --- pick lists ------------------------------------------------------------------------------


@router.post("/warehouse/{code}/pick-lists", response_model=None)
def create_pick_list(
    code: str, request: Request, posted: Posted = action(Permission.FULFIL)
) -> Response:
    """A pick list of the selected released shipments, or of the oldest ``max_shipments``."""
    db = dashboard(request).podium.db
    selected = posted.all("shipment")
    try:
        if posted.get("mode") == "selected":
            if not selected:
                raise ValidationFailed(
                    "Select the shipments to pick first.", details={"field": "shipment"}
                )
            data = PickListIn(shipment_ids=selected, max_shipments=max(1, len(selected)))
        else:
            count = posted.get("max_shipments")
            data = PickListIn(max_shipments=int_field(count, "max_shipments") if count else 50)
        made = fulfillment.create_pick_list(db, code, data, posted.viewer.actor)
    except DomainError as exc:
        return redirect(request, back(posted), exc.message, "error")
    except ValueError as exc:
        return redirect(request, back(posted), invalid(exc).message, "error")
    note = ""
    if data.shipment_ids is not None and len(made.shipments) < len(set(selected)):
        note = f" ({len(set(selected)) - len(made.shipments)} no longer waited to be picked)"
    return redirect(
        request,
        back(posted, pick_list=made.id),
        f"Pick list {made.id}: {len(made.shipments)} shipment(s) now being picked{note}.",
    )


@router.get("/warehouse/pick-lists/{pick_list_id}.pdf", response_model=None)
def pick_list_pdf(
    pick_list_id: str, request: Request, viewer: Viewer = page()
) -> Response | HTMLResponse:
    db = dashboard(request).podium.db

    def make() -> Response:
        doc = fulfillment.pick_list_document(db, pick_list_id)
        rows = [(r.bin, r.sku, r.name, r.quantity, r.orders) for r in doc.rows]
        body = fulfillment.pick_list_pdf(doc.id, doc.warehouse, doc.created_at, rows, doc.shipments)
        return files.send_file(body, files.PDF, f"pick-list-{doc.id}.pdf", attachment=True)

    return _document(request, viewer, make)


# --- labels and packing slips ----------------------------------------------------------------


@router.post("/warehouse/shipments/{shipment_id}/label", response_model=None)
def buy_label(
    shipment_id: str, request: Request, posted: Posted = action(Permission.FULFIL)
) -> Response:
    """The named carrier and service, or (left blank) the cheapest that arrives on time."""
    podium = dashboard(request).podium
    try:
        data = LabelIn(carrier=posted.get("carrier") or None, service=posted.get("service") or None)
        label = carriers.buy_label(
            podium.db, podium.carriers, shipment_id, data, posted.viewer.actor
        )
    except DomainError as exc:
        return redirect(request, back(posted), exc.message, "error")
    except ValueError as exc:
        return redirect(request, back(posted), invalid(exc).message, "error")
    return redirect(
        request,
        back(posted),
        f"Label bought: {label.carrier_name} {label.service}, "
        f"{money(label.rate.amount, label.rate.currency)}, tracking {label.tracking_number}.",
    )


@router.post("/warehouse/shipments/{shipment_id}/label/void", response_model=None)
def void_label(
    shipment_id: str, request: Request, posted: Posted = action(Permission.FULFIL)
) -> Response:
    podium = dashboard(request).podium
    try:
        carriers.void_label(podium.db, podium.carriers, shipment_id, posted.viewer.actor)
    except DomainError as exc:
        return redirect(request, back(posted), exc.message, "error")
    return redirect(request, back(posted), f"The label of {shipment_id} is voided.")


@router.get("/warehouse/shipments/{shipment_id}/label.{fmt}", response_model=None)
def label_file(
    shipment_id: str, fmt: str, request: Request, viewer: Viewer = page()
) -> Response | HTMLResponse:
    db = dashboard(request).podium.db

    def make() -> Response:
        if fmt not in ("pdf", "zpl"):
            raise ValidationFailed("Labels come as .pdf or .zpl.", details={"field": "format"})
        return files.label_file(db, shipment_id, fmt, attachment=True)

    return _document(request, viewer, make)


@router.get("/warehouse/shipments/{shipment_id}/packing-slip.pdf", response_model=None)
def packing_slip(
    shipment_id: str, request: Request, viewer: Viewer = page()
) -> Response | HTMLResponse:
    db = dashboard(request).podium.db

    def make() -> Response:
        return files.packing_slip_file(db, shipment_id, attachment=True)

    return _document(request, viewer, make)


# --- the end-of-day manifest -----------------------------------------------------------------


def _day(raw: str | None) -> date:
    if not raw:
        return datetime.now(UTC).date()
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise ValidationFailed(
            "date must be a day such as 2026-11-25.", code="invalid_date", details={"field": "date"}
        ) from None


@router.get("/warehouse/{code}/manifest.{fmt}", response_model=None)
def manifest_file(
    code: str, fmt: str, request: Request, viewer: Viewer = page()
) -> Response | HTMLResponse:
    """Every parcel that left the warehouse on ``date`` (default today), as PDF or CSV."""
    db = dashboard(request).podium.db

    def make() -> Response:
        if fmt not in ("pdf", "csv"):
            raise ValidationFailed("Manifests come as .pdf or .csv.", details={"field": "format"})
        doc = build_manifest(db, code, _day(request.query_params.get("date")))
        name = f"manifest-{code}-{doc.day}.{fmt}"
        if fmt == "csv":
            return files.send_file(manifest_csv(doc), "text/csv", name, attachment=True)
        return files.send_file(fulfillment.manifest_pdf(doc), files.PDF, name, attachment=True)

    return _document(request, viewer, make)
