"""The order queue and the order page, with the actions a role allows."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from podium import orders
from podium.access import Permission
from podium.carriers import labels_for_order
from podium.catalog import read_channels, read_warehouses
from podium.db.database import Database
from podium.errors import DomainError, NotFound
from podium.orders import (
    EDITABLE,
    SORTS,
    HoldIn,
    HoldReason,
    NoteIn,
    OrderStatus,
    QueueQuery,
    search_orders,
    short_lines,
)
from podium.payments import list_payments
from podium.returns import cancel_order, order_returns
from podium.routing import REROUTABLE
from podium.shipments import OPEN_STATUSES, ShipmentStatus
from podium.web.core import Posted, Viewer, action, dashboard, page, redirect, render
from podium.web.forms import invalid
from podium.web.nav import NavItem
from podium.web.order_forms import ADDRESS_LABELS, live_quantities

router = APIRouter(include_in_schema=False)
NAV = [NavItem("Orders", "/orders", order=10)]

MANUAL_REASONS = ("manual", "fraud_review", "address", "payment")


def _channel_names(db: Database) -> dict[str, str]:
    """Pages show a channel's name ("Web store"), not its code ("web")."""
    return {c.code: c.name for c in read_channels(db)}


def _queue(request: Request, viewer: Viewer, template: str) -> HTMLResponse:
    db = dashboard(request).podium.db
    channels = read_channels(db)
    error = None
    try:
        query = QueueQuery.parse(dict(request.query_params))
        rows, next_cursor = search_orders(db, query)
    except DomainError as exc:
        error, query, rows, next_cursor = exc, QueueQuery(), [], None
    # What held rows wait for, said in the row (only on-hold rows of this page are read).
    short = short_lines(db, [r.id for r in rows if r.status == OrderStatus.ON_HOLD])
    return render(
        request,
        template,
        viewer,
        status=error.status if error else 200,
        error=error,
        query=query,
        rows=rows,
        next_cursor=next_cursor,
        short=short,
        statuses=[s.value for s in OrderStatus if s is not OrderStatus.PENDING],
        reasons=[r.value for r in HoldReason],
        sorts=list(SORTS),
        channels=channels,
        channel_names={c.code: c.name for c in channels},
        warehouses=read_warehouses(db) if template == "orders.html" else [],
    )


@router.get("/orders", response_class=HTMLResponse)
def queue(request: Request, viewer: Viewer = page()) -> HTMLResponse:
    return _queue(request, viewer, "orders.html")


@router.get("/orders/rows", response_class=HTMLResponse)
def queue_rows(request: Request, viewer: Viewer = page()) -> HTMLResponse:
    """The queue's rows alone: the page polls this to show new orders without reloading."""
    return _queue(request, viewer, "_queue_rows.html")


@router.get("/orders/{order_id}", response_class=HTMLResponse)
def order_page(order_id: str, request: Request, viewer: Viewer = page()) -> HTMLResponse:
    """One screen: lines, shipments with their documents, payments, returns and refunds,
    holds, the timeline, and the actions the viewer's role allows."""
    podium = dashboard(request).podium
    try:
        order = orders.get_order(podium.db, order_id)
        timeline = orders.order_timeline(podium.db, order_id)
        payments = list_payments(podium.db, order_id)
        returns = order_returns(podium.db, order_id)
    except NotFound as exc:
        return render(request, "error.html", viewer, status=404, message=exc.message)
    live = [s for s in order.shipments if s.status != ShipmentStatus.CANCELLED]
    return render(
        request,
        "order.html",
        viewer,
        order=order,
        channel_name=_channel_names(podium.db).get(order.channel, order.channel),
        timeline=list(reversed(timeline)),
        hold_reasons=MANUAL_REASONS,
        can_cancel=order.status in {"ready", "on_hold", "pending", "partially_shipped"},
        shipped_units=sum(ln.quantity_shipped for ln in order.lines),
        labels=labels_for_order(podium.db, order_id),
        payments=payments,
        returns=returns,
        editable=OrderStatus(order.status) in EDITABLE
        and all(ShipmentStatus(s.status) in OPEN_STATUSES for s in live),
        quantities=live_quantities(order),
        address_fields=ADDRESS_LABELS,
        reroutable={s.id for s in live if ShipmentStatus(s.status) in REROUTABLE},
        shopper_link=f"/track/{podium.shopper.token(order.id)}",
    )


def _back(request: Request, order_id: str, done: str, exc: DomainError | None) -> Response:
    if exc is not None:
        return redirect(request, f"/orders/{order_id}", exc.message, "error")
    return redirect(request, f"/orders/{order_id}", done)


@router.post("/orders/{order_id}/hold", response_model=None)
def hold(order_id: str, request: Request, posted: Posted = action(Permission.NOTE)) -> Response:
    db = dashboard(request).podium.db
    try:
        data = HoldIn(reason=posted.get("reason") or "manual", note=posted.get("note") or None)
    except ValueError as exc:
        return _back(request, order_id, "", invalid(exc))
    try:
        orders.hold_order(db, order_id, data, posted.viewer.actor)
    except DomainError as exc:
        return _back(request, order_id, "", exc)
    return _back(request, order_id, "The order is on hold.", None)


@router.post("/orders/{order_id}/release", response_model=None)
def release(order_id: str, request: Request, posted: Posted = action(Permission.NOTE)) -> Response:
    podium = dashboard(request).podium
    try:
        orders.release_order(
            podium.db,
            order_id,
            posted.viewer.actor,
            allocator=podium.allocator,
            hold_id=posted.get("hold_id") or None,
        )
    except DomainError as exc:
        return _back(request, order_id, "", exc)
    return _back(request, order_id, "Hold released.", None)


@router.post("/orders/{order_id}/cancel", response_model=None)
def cancel(
    order_id: str, request: Request, posted: Posted = action(Permission.OPERATE)
) -> Response:
    podium = dashboard(request).podium
    reason = posted.get("reason")[:500] or None
    try:
        view = cancel_order(podium.db, order_id, posted.viewer.actor, podium.gateways, reason)
    except DomainError as exc:
        return _back(request, order_id, "", exc)
    if view.status != "cancelled":  # shipped units stay: only the rest was cancelled
        kept = sum(ln.quantity_shipped for ln in view.lines)
        return _back(
            request, order_id, f"Unshipped units cancelled; {kept} shipped unit(s) stay.", None
        )
    return _back(request, order_id, "The order is cancelled.", None)


@router.post("/orders/{order_id}/notes", response_model=None)
def add_note(order_id: str, request: Request, posted: Posted = action(Permission.NOTE)) -> Response:
    db = dashboard(request).podium.db
    try:
        data = NoteIn(message=posted.get("message"))
    except ValueError as exc:
        return _back(request, order_id, "", invalid(exc, "message"))
    try:
        orders.add_note(db, order_id, data, posted.viewer.actor)
    except DomainError as exc:
        return _back(request, order_id, "", exc)
    return _back(request, order_id, "Note added.", None)
