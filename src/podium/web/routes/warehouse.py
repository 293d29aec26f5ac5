"""The warehouse view (tablet-sized): shipments to work per warehouse and status, and the steps
of each one — release a wave, start picking, short pick, pack, ship.

Pick lists, labels, packing slips and manifests (making and printing paperwork) are in
``warehouse_docs``. Every step calls the fulfilment services with the user as the actor; a
refusal from a service comes back as a flash message.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from podium import fulfillment
from podium.access import Permission
from podium.carriers import SERVICES, current_labels, list_accounts
from podium.catalog import read_warehouses
from podium.db.database import Database
from podium.errors import DomainError, NotFound, ValidationFailed
from podium.fulfillment import (
    OPEN,
    PickListView,
    ShipIn,
    ShortPickIn,
    ToShip,
    open_counts,
    pack_shipment,
    pick_shipment,
    recent_pick_lists,
    ship_shipment,
    to_ship,
)
from podium.web.core import Posted, Viewer, action, dashboard, page, redirect, render
from podium.web.forms import int_field, invalid
from podium.web.nav import NavItem
from podium.web.paging import MAX_TOKEN, decode_key, encode_key

router = APIRouter(include_in_schema=False)
NAV = [NavItem("Warehouse", "/warehouse", order=40)]

PAGE = 50  # rows of the shipments table per page

STATUS_NAMES = {
    "pending": "Waiting for release",
    "released": "To pick",
    "picking": "Picking",
    "packed": "Packed",
}


def view_url(warehouse: str | None, status: str | None, **extra: str) -> str:
    """The warehouse view with its filters (what a step's form comes back to)."""
    params = {"warehouse": warehouse or "", "status": status or "", **extra}
    query = urlencode({k: v for k, v in params.items() if v})
    return "/warehouse" + (f"?{query}" if query else "")


def back(posted: Posted, **extra: str) -> str:
    """Where a step's form returns: the same warehouse, step and page of the table."""
    status = posted.get("status")
    for name in ("after", "before"):
        token = posted.get(name)
        if token and len(token) <= MAX_TOKEN and name not in extra:
            extra[name] = token
    return view_url(posted.get("warehouse")[:64], status if status in OPEN else None, **extra)


@dataclass(frozen=True, slots=True)
class Page:
    shipments: list[ToShip]
    next: str | None  # token of the page after this one
    previous: str | None  # token of the page before this one
    first: bool  # this is the first page


def _page_of(
    db: Database, code: str | None, statuses: Sequence[str], after: str, before: str
) -> Page:
    """One page of the table, oldest first, PAGE rows, with its neighbours' tokens."""
    if before:
        rows = to_ship(
            db, code, statuses=statuses, limit=PAGE + 1, before=decode_key(before, "before")
        )
        more_before = len(rows) > PAGE
        rows = rows[1:] if more_before else rows
        more_after = True
    else:
        key = decode_key(after, "after") if after else None
        rows = to_ship(db, code, statuses=statuses, limit=PAGE + 1, after=key)
        more_after = len(rows) > PAGE
        rows = rows[:PAGE]
        more_before = key is not None
    return Page(
        rows,
        encode_key(rows[-1].created_at, rows[-1].id) if rows and more_after else None,
        encode_key(rows[0].created_at, rows[0].id) if rows and more_before else None,
        not more_before,
    )


def _pick_list(request: Request, raw: str | None) -> PickListView | None:
    if not raw:
        return None
    try:
        return fulfillment.get_pick_list(dashboard(request).podium.db, raw[:64])
    except NotFound:
        return None


@router.get("/warehouse", response_class=HTMLResponse)
def warehouse(request: Request, viewer: Viewer = page()) -> HTMLResponse:
    db = dashboard(request).podium.db
    code = (request.query_params.get("warehouse") or "").strip()[:64] or None
    status = request.query_params.get("status") or None
    if status not in OPEN:
        status = None
    warehouses = read_warehouses(db)
    if code and code not in {w.code for w in warehouses}:
        return render(request, "error.html", viewer, status=404, message=f"No warehouse {code}.")
    try:
        found = _page_of(
            db,
            code,
            [status] if status else OPEN,
            request.query_params.get("after") or "",
            request.query_params.get("before") or "",
        )
    except DomainError as exc:
        return render(request, "error.html", viewer, status=exc.status, message=exc.message)
    shipments = found.shipments
    fulfil = viewer.can(Permission.FULFIL)
    return render(
        request,
        "warehouse.html",
        viewer,
        shipments=shipments,
        paging=found,
        page_size=PAGE,
        here={k: request.query_params.get(k) or "" for k in ("after", "before")},
        labels=current_labels(db, [s.id for s in shipments]),
        counts=open_counts(db, code),
        warehouses=warehouses,
        selected=code or "",
        step=status or "",
        status_names=STATUS_NAMES,
        release_mode=fulfillment.get_settings(db, code).release_mode if code else None,
        pick_lists=recent_pick_lists(db, code) if code else [],
        new_pick_list=_pick_list(request, request.query_params.get("pick_list")),
        carriers=[(a.code, a.name) for a in list_accounts(db) if a.active] if fulfil else [],
        services=[s.code for s in SERVICES],
        fulfil=fulfil,
        url=view_url,
        today=datetime.now(UTC).date().isoformat(),
    )


def _step(
    request: Request,
    posted: Posted,
    run: Callable[[], object],
    done: str,
) -> Response:
    try:
        run()
    except DomainError as exc:
        return redirect(request, back(posted), exc.message, "error")
    except ValueError as exc:
        return redirect(request, back(posted), invalid(exc).message, "error")
    return redirect(request, back(posted), done)


@router.post("/warehouse/{code}/wave", response_model=None)
def release_wave(
    code: str, request: Request, posted: Posted = action(Permission.FULFIL)
) -> Response:
    db = dashboard(request).podium.db
    try:
        released = fulfillment.release_wave(db, code, posted.viewer.actor)
    except DomainError as exc:
        return redirect(request, back(posted), exc.message, "error")
    if not released:
        return redirect(
            request,
            back(posted),
            "Nothing to release: no pending shipment of an order that is not on hold.",
            "error",
        )
    return redirect(request, back(posted), f"{len(released)} shipment(s) released to {code}.")


@router.post("/warehouse/shipments/{shipment_id}/pick", response_model=None)
def start_picking(
    shipment_id: str, request: Request, posted: Posted = action(Permission.FULFIL)
) -> Response:
    db = dashboard(request).podium.db
    return _step(
        request,
        posted,
        lambda: pick_shipment(db, shipment_id, posted.viewer.actor),
        f"Shipment {shipment_id} is being picked.",
    )


@router.post("/warehouse/shipments/{shipment_id}/pack", response_model=None)
def pack(
    shipment_id: str, request: Request, posted: Posted = action(Permission.FULFIL)
) -> Response:
    db = dashboard(request).podium.db
    return _step(
        request,
        posted,
        lambda: pack_shipment(db, shipment_id, posted.viewer.actor),
        f"Shipment {shipment_id} is picked and packed.",
    )


def _short_lines(posted: Posted) -> list[dict[str, object]]:
    """(sku, missing) pairs from the form; blank or zero means nothing missing."""
    lines = []
    for i, (sku, raw) in enumerate(zip(posted.all("sku"), posted.all("missing"), strict=False)):
        missing = int_field(raw, f"lines.{i}.quantity") if raw.strip() else 0
        if missing < 0:
            raise ValidationFailed(
                f"Missing units of {sku} cannot be negative.",
                details={"field": f"lines.{i}.quantity"},
            )
        if missing:
            lines.append({"sku": sku.strip(), "quantity": missing})
    if not lines:
        raise ValidationFailed(
            "Enter how many units of which SKU are missing.", details={"field": "lines"}
        )
    return lines


@router.post("/warehouse/shipments/{shipment_id}/short-pick", response_model=None)
def short_pick(
    shipment_id: str, request: Request, posted: Posted = action(Permission.FULFIL)
) -> Response:
    db = dashboard(request).podium.db

    def run() -> None:
        data = ShortPickIn.model_validate({"lines": _short_lines(posted)})
        fulfillment.short_pick(db, shipment_id, data, posted.viewer.actor)

    return _step(
        request,
        posted,
        run,
        f"Short pick recorded on {shipment_id}: the missing units are back-ordered.",
    )


@router.post("/warehouse/shipments/{shipment_id}/ship", response_model=None)
def ship(
    shipment_id: str, request: Request, posted: Posted = action(Permission.FULFIL)
) -> Response:
    db = dashboard(request).podium.db

    def run() -> None:
        data = ShipIn(
            tracking_number=posted.get("tracking_number") or None,
            carrier=posted.get("carrier") or None,
            tracking_url=posted.get("tracking_url") or None,
        )
        ship_shipment(db, shipment_id, data, posted.viewer.actor)

    return _step(request, posted, run, f"Shipment {shipment_id} shipped.")
