"""Channels: every sales channel with its connector, health and sync lag; and for operators and
admins the same actions as ``podium channels sync|reconcile|poll``, through the same services."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from podium import channels as channel_service
from podium.access import Permission
from podium.catalog import read_channels
from podium.channels import spec_for, specs
from podium.errors import DomainError
from podium.web.core import Posted, Viewer, action, dashboard, page, redirect, render
from podium.web.nav import NavItem

router = APIRouter(include_in_schema=False)
NAV = [NavItem("Channels", "/channels", order=45)]


def _page(request: Request, viewer: Viewer, *, status: int = 200, **extra: Any) -> HTMLResponse:
    podium = dashboard(request).podium
    summaries = channel_service.overview(podium.db)
    worst = channel_service.worst_lag({s.channel: s.lag for s in summaries if s.lag.pending})
    return render(
        request,
        "channels.html",
        viewer,
        status=status,
        channels=summaries,
        connected={s.channel for s in summaries if podium.connectors.for_type(s.type)},
        kinds={s.type: s.label for s in specs()},
        polled={s.type for s in specs() if s.polled},
        worst=worst,
        lag_of=lambda seconds: timedelta(seconds=seconds),
        **{"reconciled": None, **extra},
    )


@router.get("/channels", response_class=HTMLResponse)
def channels(request: Request, viewer: Viewer = page()) -> HTMLResponse:
    return _page(request, viewer)


@router.get("/channels/{code}", response_class=HTMLResponse)
def channel(code: str, request: Request, viewer: Viewer = page()) -> HTMLResponse:
    """One channel looked at closely: every listing's figure against what Podium publishes."""
    podium = dashboard(request).podium
    try:
        found = channel_service.channel_health(podium.db, code)
    except DomainError as exc:
        return render(request, "error.html", viewer, status=exc.status, message=exc.message)
    spec = spec_for(found.type)
    return render(
        request,
        "channel.html",
        viewer,
        h=found,
        channel_name=next((c.name for c in read_channels(podium.db) if c.code == code), code),
        kind=spec.label if spec is not None else found.type,
        connected=podium.connectors.for_type(found.type) is not None,
        polled=spec is not None and spec.polled,
        lag=timedelta(seconds=found.lag_seconds or 0),
    )


def _back(posted: Posted, code: str) -> str:
    return f"/channels/{code}" if posted.get("back") == "channel" else "/channels"


@router.post("/channels/{code}/sync", response_model=None)
def sync_now(code: str, request: Request, posted: Posted = action(Permission.OPERATE)) -> Response:
    """Push every listed SKU's figure to the platform now (``podium channels sync``)."""
    podium = dashboard(request).podium
    try:
        pushed = podium.channel_sync.sync_channel(code)
    except DomainError as exc:
        return redirect(request, _back(posted, code), f"{code}: {exc.message}", "error")
    return redirect(request, _back(posted, code), f"Pushed {pushed} listing(s) to {code}.")


@router.post("/channels/{code}/reconcile", response_model=None)
def reconcile(code: str, request: Request, posted: Posted = action(Permission.OPERATE)) -> Response:
    """Read every listed SKU's figure back from the platform: a dry run shows the drift; with
    ``fix`` Podium's figure is pushed wherever they differ (``podium channels reconcile``)."""
    podium = dashboard(request).podium
    fix = posted.get("fix") == "1"
    try:
        checked, drift = podium.channel_sync.reconcile(code, fix=fix)
    except DomainError as exc:
        return redirect(request, _back(posted, code), f"{code}: {exc.message}", "error")
    if fix:
        return redirect(
            request,
            _back(posted, code),
            f"{checked} listing(s) checked on {code}; drift fixed on {len(drift)}.",
        )
    return _page(
        request,
        posted.viewer,
        reconciled={"channel": code, "checked": checked, "drift": drift},
    )


@router.post("/channels/{code}/poll", response_model=None)
def poll_now(code: str, request: Request, posted: Posted = action(Permission.OPERATE)) -> Response:
    """Fetch the orders changed on the platform since the last poll (Amazon)."""
    podium = dashboard(request).podium
    try:
        counts = channel_service.poll(podium.db, podium.connectors, podium.allocator, code)
    except DomainError as exc:
        return redirect(request, _back(posted, code), f"{code}: {exc.message}", "error")
    return redirect(
        request,
        _back(posted, code),
        f"{counts['orders']} order(s) from {code}: {counts['created']} new, "
        f"{counts['updated']} updated.",
    )
