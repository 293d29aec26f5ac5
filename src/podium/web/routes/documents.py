"""Printable documents from the dashboard (session sign-in): a shipment's label (PDF, ZPL) and
packing slip, and a return's label. The same document builders as the REST API's
``/shipments/{id}/label.pdf`` and friends: ``carriers.service.label_document``,
``fulfillment.paperwork.packing_slip_document``, ``returns.labels.return_label_document``,
rendered by ``fulfillment.documents`` and ``fulfillment.zpl``."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from podium import fulfillment
from podium.carriers import carrier_label, label_document
from podium.db.database import Database
from podium.errors import NotFound
from podium.fulfillment import get_shipment
from podium.returns import return_label_document
from podium.web.core import Viewer, dashboard, harden, page, render
from podium.web.nav import NavItem
from podium.web.portal_photo import photo_path

router = APIRouter(include_in_schema=False)
NAV: list[NavItem] = []

PDF = "application/pdf"
ZPL = "application/zpl"


def send_file(
    body: bytes | str, media_type: str, name: str, *, attachment: bool = False
) -> Response:
    """A document download; PDFs open in the browser unless ``attachment``."""
    disposition = "attachment" if attachment or media_type != PDF else "inline"
    response = Response(
        body,
        media_type=media_type,
        headers={"Content-Disposition": f'{disposition}; filename="{name}"'},
    )
    return harden(response)  # type: ignore[no-any-return]


def label_file(db: Database, shipment_id: str, fmt: str, *, attachment: bool = False) -> Response:
    """A shipment's label as ``pdf`` or ``zpl`` (NotFound without a live label)."""
    doc = label_document(db, shipment_id)
    real = carrier_label(db, shipment_id, fmt.upper())  # the carrier's, with postage
    if fmt == "zpl":
        body: bytes | str = real or fulfillment.label_zpl(doc)
        return send_file(body, ZPL, f"label-{doc.tracking_number}.zpl")
    name = f"label-{doc.tracking_number}.pdf"
    return send_file(real or fulfillment.label_pdf(doc), PDF, name, attachment=attachment)


def packing_slip_file(db: Database, shipment_id: str, *, attachment: bool = False) -> Response:
    doc = fulfillment.packing_slip_document(db, shipment_id)
    name = f"packing-slip-{doc.order_number}.pdf"
    return send_file(fulfillment.packing_slip_pdf(doc), PDF, name, attachment=attachment)


def _missing(request: Request, viewer: Viewer, exc: NotFound) -> Response:
    return render(request, "error.html", viewer, status=404, message=exc.message)


def _check(request: Request, order_id: str, shipment_id: str) -> None:
    """The shipment must be one of this order's (a URL cannot mix them)."""
    if get_shipment(dashboard(request).podium.db, shipment_id).order_id != order_id:
        raise NotFound(f"No shipment {shipment_id} on this order.", code="shipment_not_found")


@router.get("/orders/{order_id}/shipments/{shipment_id}/label.pdf", response_model=None)
def shipment_label_pdf(
    order_id: str, shipment_id: str, request: Request, viewer: Viewer = page()
) -> Response:
    try:
        _check(request, order_id, shipment_id)
        return label_file(dashboard(request).podium.db, shipment_id, "pdf")
    except NotFound as exc:
        return _missing(request, viewer, exc)


@router.get("/orders/{order_id}/shipments/{shipment_id}/label.zpl", response_model=None)
def shipment_label_zpl(
    order_id: str, shipment_id: str, request: Request, viewer: Viewer = page()
) -> Response:
    try:
        _check(request, order_id, shipment_id)
        return label_file(dashboard(request).podium.db, shipment_id, "zpl")
    except NotFound as exc:
        return _missing(request, viewer, exc)


@router.get("/orders/{order_id}/shipments/{shipment_id}/packing-slip.pdf", response_model=None)
def packing_slip_pdf(
    order_id: str, shipment_id: str, request: Request, viewer: Viewer = page()
) -> Response:
    try:
        _check(request, order_id, shipment_id)
        return packing_slip_file(dashboard(request).podium.db, shipment_id)
    except NotFound as exc:
        return _missing(request, viewer, exc)


@router.get("/returns/{return_id}/label.pdf", response_model=None)
def return_label_pdf(return_id: str, request: Request, viewer: Viewer = page()) -> Response:
    try:
        doc = return_label_document(dashboard(request).podium.db, return_id)
    except NotFound as exc:
        return _missing(request, viewer, exc)
    return send_file(fulfillment.label_pdf(doc), PDF, f"return-label-{doc.tracking_number}.pdf")


@router.get("/returns/{return_id}/label.zpl", response_model=None)
def return_label_zpl(return_id: str, request: Request, viewer: Viewer = page()) -> Response:
    try:
        doc = return_label_document(dashboard(request).podium.db, return_id)
    except NotFound as exc:
        return _missing(request, viewer, exc)
    return send_file(fulfillment.label_zpl(doc), ZPL, f"return-label-{doc.tracking_number}.zpl")


@router.get("/returns/{return_id}/photo.jpg", response_model=None)
def return_photo(return_id: str, request: Request, viewer: Viewer = page()) -> Response:
    """The photo the customer added in the returns portal (re-encoded JPEG; staff only)."""
    try:
        path = photo_path(dashboard(request).podium.settings, return_id)
    except ValueError:
        path = None
    if path is None or not path.is_file():
        return _missing(request, viewer, NotFound("This return has no photo.", code="not_found"))
    response = Response(path.read_bytes(), media_type="image/jpeg")
    return harden(response)  # type: ignore[no-any-return]
