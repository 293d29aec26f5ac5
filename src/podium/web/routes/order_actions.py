"""The order page's bigger actions: edit the order, re-route a shipment, create a return.

Each goes through its capability's use case (``orders.edits``, ``routing.reroute``,
``returns.service``) in one transaction: refused input changes nothing and comes back as a
flash message naming the problem; the use case writes the timeline.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from podium import orders, returns
from podium.access import Permission
from podium.errors import DomainError
from podium.orders import OrderStatus
from podium.returns import edit_order
from podium.routing import reroute_shipment
from podium.web.core import Posted, action, dashboard, redirect
from podium.web.formats import money
from podium.web.nav import NavItem
from podium.web.order_forms import edit_input, return_input

router = APIRouter(include_in_schema=False)
NAV: list[NavItem] = []


def _back(request: Request, order_id: str, message: str, kind: str = "ok") -> Response:
    return redirect(request, f"/orders/{order_id}", message, kind)


@router.post("/orders/{order_id}/edit", response_model=None)
def edit(order_id: str, request: Request, posted: Posted = action(Permission.OPERATE)) -> Response:
    podium = dashboard(request).podium
    try:
        before = orders.get_order(podium.db, order_id)
        data = edit_input(posted, before)
        after = edit_order(
            podium.db,
            order_id,
            data,
            posted.viewer.actor,
            allocator=podium.allocator,
            gateways=podium.gateways,
        )
    except DomainError as exc:
        return _back(request, order_id, exc.message, "error")
    message = f"Order edited: total {money(after.total, after.currency)}."
    if after.status == OrderStatus.ON_HOLD and before.status != OrderStatus.ON_HOLD:
        message += " Some units wait for stock (backorder hold)."
    return _back(request, order_id, message)


@router.post("/orders/{order_id}/shipments/{shipment_id}/reroute", response_model=None)
def reroute(
    order_id: str,
    shipment_id: str,
    request: Request,
    posted: Posted = action(Permission.OPERATE),
) -> Response:
    podium = dashboard(request).podium
    reason = posted.get("reason")[:500]
    if not reason:
        return _back(request, order_id, "Say why the shipment moves (reason).", "error")
    try:
        before = orders.get_order(podium.db, order_id)
        after = reroute_shipment(
            podium.db, shipment_id, reason, posted.viewer.actor, order_id=order_id
        )
    except DomainError as exc:
        return _back(request, order_id, exc.message, "error")
    old = {s.id for s in before.shipments}
    now = sorted({s.warehouse for s in after.shipments if s.id not in old})
    message = f"Shipment re-routed to {', '.join(now)}." if now else "Shipment cancelled."
    if after.status == OrderStatus.ON_HOLD:
        message += " Units no location can ship wait for stock (backorder hold)."
    return _back(request, order_id, message)


@router.post("/orders/{order_id}/returns", response_model=None)
def create_return(
    order_id: str, request: Request, posted: Posted = action(Permission.NOTE)
) -> Response:
    db = dashboard(request).podium.db
    try:
        created = returns.create_return(db, order_id, return_input(posted), posted.viewer.actor)
    except DomainError as exc:
        return _back(request, order_id, exc.message, "error")
    units = sum(ln.quantity for ln in created.lines)
    return redirect(
        request,
        f"/returns/{created.id}",
        f"Return {created.id} created for {units} unit(s); it is {created.status}.",
    )
