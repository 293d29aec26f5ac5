"""Exceptions: every open hold, grouped by reason, with bulk release."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from podium import orders
from podium.access import Permission
from podium.errors import DomainError
from podium.orders import held_orders_by_reason, open_hold_counts, short_lines
from podium.web.core import Posted, Viewer, action, dashboard, page, redirect, render
from podium.web.nav import NavItem

router = APIRouter(include_in_schema=False)
NAV = [NavItem("Exceptions", "/exceptions", order=30)]

MAX_BULK = 500


@router.get("/exceptions", response_class=HTMLResponse)
def exceptions(request: Request, viewer: Viewer = page()) -> HTMLResponse:
    db = dashboard(request).podium.db
    counts = open_hold_counts(db)
    groups = held_orders_by_reason(db)
    short = short_lines(db, [h.order_id for h in groups.get("backorder", [])])
    return render(request, "exceptions.html", viewer, groups=groups, counts=counts, short=short)


@router.post("/exceptions/release", response_model=None)
def bulk_release(request: Request, posted: Posted = action(Permission.NOTE)) -> Response:
    """Release the ticked holds, or every hold of one reason; each order on its own."""
    podium = dashboard(request).podium
    db = podium.db
    pairs = [p.partition(":") for p in posted.all("hold")[:MAX_BULK]]
    targets = [(order_id, hold_id) for order_id, _, hold_id in pairs if order_id and hold_id]
    reason = posted.get("reason")
    if reason:
        holds = held_orders_by_reason(db, limit_per_reason=MAX_BULK).get(reason, [])
        targets = [(h.order_id, h.id) for h in holds]
    if not targets:
        return redirect(request, "/exceptions", "Tick the holds to release first.", "error")
    released, failed = 0, []
    for order_id, hold_id in targets:
        try:
            orders.release_order(
                db, order_id, posted.viewer.actor, allocator=podium.allocator, hold_id=hold_id
            )
            released += 1
        except DomainError as exc:
            failed.append(exc.message)
    message = f"Released {released} hold(s)."
    if failed:
        message += f" {len(failed)} could not be released: {failed[0]}"
    return redirect(request, "/exceptions", message, "error" if failed else "ok")
