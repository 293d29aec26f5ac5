"""Mounting the dashboard on the API's FastAPI app: areas, static files, error pages."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from podium.bootstrap import Podium
from podium.web.core import Dashboard, Forbidden, LoginRequired, current_viewer, render
from podium.web.routes import (
    account,
    auth,
    channels,
    documents,
    exceptions,
    home,
    inventory,
    order_actions,
    orders,
    return_actions,
    returns,
    settings,
    settings_rules,
    warehouse,
    warehouse_docs,
)

__all__ = ["AREAS", "install_dashboard"]

# Each area is a module with ``router`` and ``NAV``; a new capability adds its module here.
AREAS = (
    auth,
    account,
    home,
    orders,
    order_actions,
    documents,
    returns,
    return_actions,
    inventory,
    exceptions,
    warehouse,
    warehouse_docs,
    channels,
    settings,
    settings_rules,
)
STATIC = Path(__file__).parent / "static"


async def _login_required(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, LoginRequired)
    if request.headers.get("hx-request"):  # a poll after the session ended: reload whole page
        return Response(status_code=401, headers={"HX-Redirect": "/login"})
    if exc.next_path == "/":
        return RedirectResponse("/login", status_code=303)
    return RedirectResponse(f"/login?next={quote(exc.next_path, safe='/')}", status_code=303)


async def _forbidden(request: Request, exc: Exception) -> HTMLResponse:
    assert isinstance(exc, Forbidden)
    viewer = await current_viewer(request)
    return render(request, "error.html", viewer, status=403, message=exc.message)


def install_dashboard(app: FastAPI, podium: Podium) -> Dashboard:
    board = Dashboard(podium)
    app.state.dashboard = board
    for area in AREAS:
        app.include_router(area.router)
        for item in area.NAV:
            board.nav.add(item)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_exception_handler(LoginRequired, _login_required)
    app.add_exception_handler(Forbidden, _forbidden)
    return board
