"""Mounting the dashboard on the API's FastAPI app: areas, static files, error pages."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException

from podium.bootstrap import Podium
from podium.web.core import (
    Dashboard,
    Forbidden,
    LoginRequired,
    current_viewer,
    dashboard,
    harden,
    render,
)
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
    reports,
    return_actions,
    returns,
    returns_portal,
    risk_review,
    settings,
    settings_automation,
    settings_rules,
    track,
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
    returns_portal,  # before returns: /returns/start is not a return's id
    returns,
    return_actions,
    inventory,
    exceptions,
    risk_review,
    warehouse,
    warehouse_docs,
    channels,
    reports,
    settings,
    settings_rules,
    settings_automation,
    track,
)
STATIC = Path(__file__).parent / "static"


async def _login_required(request: Request, exc: Exception) -> Response:
    if not isinstance(exc, LoginRequired):  # registered for LoginRequired only
        raise exc
    if request.headers.get("hx-request"):  # a poll after the session ended: reload whole page
        return Response(status_code=401, headers={"HX-Redirect": "/login"})
    if exc.next_path == "/":
        return RedirectResponse("/login", status_code=303)
    return RedirectResponse(f"/login?next={quote(exc.next_path, safe='/')}", status_code=303)


async def _forbidden(request: Request, exc: Exception) -> HTMLResponse:
    if not isinstance(exc, Forbidden):  # registered for Forbidden only
        raise exc
    viewer = await current_viewer(request)
    return render(request, "error.html", viewer, status=403, message=exc.message)


def _api_path(path: str) -> bool:
    return path == "/api" or path.startswith("/api/")


def _not_found_page(app: FastAPI) -> None:
    """A 404 outside the API is a person following a link: show a page, not JSON.

    The API's own handler (installed before the dashboard) keeps every other case.
    """
    api_handler = app.exception_handlers[HTTPException]

    async def handler(request: Request, exc: Exception) -> Response:
        if not isinstance(exc, HTTPException):  # registered for HTTPException only
            raise exc
        if exc.status_code != 404 or _api_path(request.url.path):
            response = api_handler(request, exc)
            return await response if inspect.isawaitable(response) else response
        viewer = await current_viewer(request)
        return render(
            request,
            "error.html",
            viewer,
            status=404,
            message=f"There is no page at {request.url.path}.",
        )

    app.add_exception_handler(HTTPException, handler)


DATABASE_ERRORS = (OperationalError, InterfaceError, PoolTimeout)
RETRY_AFTER_SECONDS = 5


def _database_page(app: FastAPI) -> None:
    """The database is down or locked: a person sees a page saying so (503, Retry-After),
    not a stack trace; the API keeps its JSON answer. The page needs nothing from the
    database: no signed-in user, no flash message."""
    for kind in DATABASE_ERRORS:
        api_handler = app.exception_handlers[kind]

        async def handler(
            request: Request, exc: Exception, api_handler: Any = api_handler
        ) -> Response:
            if _api_path(request.url.path):
                answer = api_handler(request, exc)
                json_answer: Response = await answer if inspect.isawaitable(answer) else answer
                return json_answer
            page: Response = dashboard(request).templates.TemplateResponse(
                request,
                "unavailable.html",
                {
                    "viewer": None,
                    "nav": [],
                    "settings_nav": [],
                    "flash": None,
                    "path": request.url.path,
                    "status_code": 503,
                    "retry_after": RETRY_AFTER_SECONDS,
                },
                status_code=503,
                headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
            )
            harden(page)
            return page

        app.add_exception_handler(kind, handler)


def _favicon() -> FileResponse:
    return FileResponse(
        STATIC / "favicon.ico",
        media_type="image/x-icon",
        headers={"Cache-Control": "public, max-age=86400"},
    )


def install_dashboard(app: FastAPI, podium: Podium) -> Dashboard:
    board = Dashboard(podium)
    app.state.dashboard = board
    for area in AREAS:
        app.include_router(area.router)
        for item in area.NAV:
            board.nav.add(item)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_api_route("/favicon.ico", _favicon, include_in_schema=False)
    app.add_exception_handler(LoginRequired, _login_required)
    app.add_exception_handler(Forbidden, _forbidden)
    _not_found_page(app)
    _database_page(app)
    return board
