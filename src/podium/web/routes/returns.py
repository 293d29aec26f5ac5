"""Returns: the list (filters, search, keyset pages) and one return's page.

The return page's actions post to ``return_actions``; its label downloads are in
``documents``.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from podium import orders, returns
from podium.catalog import read_channels, read_warehouses
from podium.errors import DomainError, NotFound
from podium.returns import (
    ARRIVED,
    RECEIVABLE,
    REFUNDABLE,
    WAITING,
    Disposition,
    ReturnsQuery,
    ReturnStatus,
    search_returns,
)
from podium.web.core import Viewer, dashboard, page, render
from podium.web.nav import NavItem
from podium.web.portal_photo import photo_path

router = APIRouter(include_in_schema=False)
NAV = [NavItem("Returns", "/returns", order=25)]

R = ReturnStatus


@router.get("/returns", response_class=HTMLResponse)
def returns_list(request: Request, viewer: Viewer = page()) -> HTMLResponse:
    db = dashboard(request).podium.db
    error = None
    try:
        query = ReturnsQuery.parse(dict(request.query_params))
        rows, next_cursor = search_returns(db, query)
    except DomainError as exc:
        error, query, rows, next_cursor = exc, ReturnsQuery(), [], None
    channels = read_channels(db)
    return render(
        request,
        "returns.html",
        viewer,
        status=error.status if error else 200,
        error=error,
        query=query,
        rows=rows,
        next_cursor=next_cursor,
        statuses=[s.value for s in ReturnStatus],
        channels=channels,
        channel_names={c.code: c.name for c in channels},
    )


@router.get("/returns/{return_id}", response_class=HTMLResponse)
def return_page(return_id: str, request: Request, viewer: Viewer = page()) -> HTMLResponse:
    db = dashboard(request).podium.db
    try:
        rma = returns.get_return(db, return_id)
        order = orders.get_order(db, rma.order_id)
        timeline = orders.order_timeline(db, rma.order_id)
    except NotFound as exc:
        return render(request, "error.html", viewer, status=404, message=exc.message)
    try:
        label = returns.get_return_label(db, return_id)
    except NotFound:
        label = None
    status = ReturnStatus(rma.status)
    unrefunded = sum(ln.quantity for ln in rma.lines) - sum(
        ln.quantity for f in rma.refunds for ln in f.lines
    )
    return render(
        request,
        "return.html",
        viewer,
        rma=rma,
        order=order,
        channel_name={c.code: c.name for c in read_channels(db)}.get(order.channel, order.channel),
        label=label,
        photo=photo_path(dashboard(request).podium.settings, return_id).is_file(),
        timeline=[e for e in reversed(timeline) if e.data.get("return_id") == return_id],
        warehouses=read_warehouses(db),
        dispositions=[d.value for d in Disposition],
        expected={ln.line_no: ln.quantity - ln.quantity_received for ln in rma.lines},
        can={
            "approve": status is R.REQUESTED,
            "reject": status in {R.REQUESTED, R.APPROVED},
            "label": status is R.APPROVED and label is None,
            "void_label": label is not None and label.picked_up_at is None,
            "ship": status is R.APPROVED,
            "receive": status in RECEIVABLE,
            "refund": status in REFUNDABLE and (status is not R.CLOSED or unrefunded > 0),
            "close": status in {R.APPROVED, R.INSPECTED},
            "exchange": rma.exchange_order_id is None
            and status in (ARRIVED | WAITING) - {R.CLOSED},  # a closed return is settled
            "advance_only": status in WAITING,
        },
    )
