"""Risk review: orders held for a high risk score, with their signals, approved or rejected.

Approve releases the ``risk`` hold (``orders.approve_risk``); reject cancels the order and
refunds what was captured (``returns.reject_for_risk``). Each decision is on the timeline.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from podium import orders, returns
from podium.access import Permission
from podium.errors import DomainError
from podium.web.core import Posted, Viewer, action, dashboard, page, redirect, render
from podium.web.nav import NavItem

router = APIRouter(include_in_schema=False)
NAV = [NavItem("Risk review", "/risk-review", order=32)]

PATH = "/risk-review"


@router.get(PATH, response_class=HTMLResponse)
def review(request: Request, viewer: Viewer = page()) -> HTMLResponse:
    held = orders.risk_review_queue(dashboard(request).podium.db, limit=200)
    return render(request, "risk_review.html", viewer, held=held)


@router.post(PATH + "/{order_id}/approve", response_model=None)
def approve(
    order_id: str, request: Request, posted: Posted = action(Permission.OPERATE)
) -> Response:
    podium = dashboard(request).podium
    note = posted.get("note") or None
    try:
        done = orders.approve_risk(podium.db, order_id, posted.viewer.actor, note)
    except DomainError as exc:
        return redirect(request, PATH, exc.message, "error")
    return redirect(request, PATH, f"Order {done.number} approved: the risk hold is released.")


@router.post(PATH + "/{order_id}/reject", response_model=None)
def reject(
    order_id: str, request: Request, posted: Posted = action(Permission.OPERATE)
) -> Response:
    podium = dashboard(request).podium
    note = posted.get("note") or None
    try:
        done = returns.reject_for_risk(
            podium.db, order_id, posted.viewer.actor, podium.gateways, note
        )
    except DomainError as exc:
        return redirect(request, PATH, exc.message, "error")
    return redirect(request, PATH, f"Order {done.number} rejected: cancelled and refunded.")
