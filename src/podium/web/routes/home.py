"""Home: today's orders and revenue, backlog, holds, late shipments, channel sync lag, the
outbox, orders per hour."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from podium.channels import sync_lags, worst_lag
from podium.events import event_counts, outbox_lag
from podium.fulfillment import late_shipments
from podium.orders import overview
from podium.web.chart import hourly_bars
from podium.web.core import Viewer, dashboard, page, render
from podium.web.nav import NavItem

router = APIRouter(include_in_schema=False)
NAV = [NavItem("Home", "/", order=0)]


@router.get("/", response_class=HTMLResponse)
def home(request: Request, viewer: Viewer = page()) -> HTMLResponse:
    db = dashboard(request).podium.db
    figures = overview(db)
    worst = worst_lag(sync_lags(db))
    return render(
        request,
        "home.html",
        viewer,
        figures=figures,
        chart=hourly_bars(figures.per_hour),
        events=event_counts(db),
        late=late_shipments(db),
        lag=outbox_lag(db),
        sync_channel=worst[0] if worst else None,
        sync_pending=worst[1].pending if worst else 0,
        sync_lag=timedelta(seconds=worst[1].lag_seconds) if worst else timedelta(0),
    )
