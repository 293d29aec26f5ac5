"""The dashboard's shared machinery: who is signed in, page and action guards, rendering."""

from __future__ import annotations

import functools
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

from argon2 import PasswordHasher
from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from starlette.datastructures import FormData

from podium.access import Permission, allows
from podium.bootstrap import Podium
from podium.throttle import Throttle
from podium.users import DEFAULT_HASHER, User, check_session, session_secret
from podium.web.formats import hold_reason, money, waiting_for_stock
from podium.web.nav import NavRegistry
from podium.web.session import Session, csrf_matches, read_session, sign, unsign

__all__ = [
    "SESSION_COOKIE",
    "Dashboard",
    "Forbidden",
    "LoginRequired",
    "Posted",
    "Viewer",
    "action",
    "client_address",
    "current_viewer",
    "dashboard",
    "page",
    "redirect",
    "render",
]

SESSION_COOKIE = "podium_session"
FLASH_COOKIE = "podium_flash"
TEMPLATES = Path(__file__).parent / "templates"
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
)


def client_address(request: Request) -> str:
    """The caller's address; behind a proxy in PODIUM_TRUSTED_PROXIES, the one it forwarded
    (the proxy-headers middleware has put it in place already)."""
    return request.client.host if request.client else "-"


def when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else ""


def ago(value: timedelta) -> str:
    seconds = int(value.total_seconds())
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 7200:
        return f"{seconds // 60} min"
    return f"{seconds // 3600} h"


def label(value: str | None) -> str:
    return (value or "").replace("_", " ")


def safe_url(url: str | None) -> str | None:
    """Only http(s) links are rendered as links (a javascript: URL must never be one)."""
    return url if url and url.lower().startswith(("https://", "http://")) else None


@functools.cache
def _templates() -> Jinja2Templates:
    """One template environment per process: templates compile once, not per app."""
    templates = Jinja2Templates(directory=str(TEMPLATES))
    templates.env.filters.update(
        money=money,
        when=when,
        label=label,
        safe_url=safe_url,
        ago=ago,
        hold_reason=hold_reason,
        waiting_for_stock=waiting_for_stock,
    )
    templates.env.globals.update(quote=quote)
    return templates


@dataclass
class Dashboard:
    podium: Podium
    nav: NavRegistry = field(default_factory=NavRegistry)
    templates: Jinja2Templates = field(default_factory=lambda: _templates())
    hasher: PasswordHasher = DEFAULT_HASHER
    _secret: str | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)
    # Sign-in throttling kept in the database, so every process counts the same failures.
    throttle: Throttle = field(init=False)

    def __post_init__(self) -> None:
        self.throttle = Throttle(self.podium.db)

    @property
    def secret(self) -> str:
        if self._secret is None:
            with self._lock:
                if self._secret is None:
                    self._secret = session_secret(self.podium.db, self.podium.settings.secret_key)
        return self._secret


def dashboard(request: Request) -> Dashboard:
    found: Dashboard = request.app.state.dashboard
    return found


@dataclass(frozen=True, slots=True)
class Viewer:
    user: User
    session: Session

    @property
    def actor(self) -> str:
        return f"user:{self.user.email}"

    @property
    def csrf(self) -> str:
        return self.session.csrf

    def can(self, permission: str) -> bool:
        return allows(self.user.role, Permission(permission))


class LoginRequired(Exception):
    def __init__(self, next_path: str) -> None:
        self.next_path = next_path


class Forbidden(Exception):
    def __init__(self, message: str) -> None:
        self.message = message


async def current_viewer(request: Request) -> Viewer | None:
    board = dashboard(request)
    if board._secret is None:
        await run_in_threadpool(lambda: board.secret)
    session = read_session(request.cookies.get(SESSION_COOKIE), board.secret, time.time())
    if session is None:
        return None
    user = await run_in_threadpool(check_session, board.podium.db, session.user_id, session.token)
    if user is None:  # signed out, revoked, expired, or the user was disabled
        return None
    return Viewer(user, session)


def page(permission: Permission = Permission.READ) -> Any:
    """Dependency for a GET page: a signed-in user whose role may see it."""

    async def guard(request: Request) -> Viewer:
        viewer = await current_viewer(request)
        if viewer is None:
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            raise LoginRequired(target)
        if not allows(viewer.user.role, permission):
            raise Forbidden(f"The {viewer.user.role} role may not open this page.")
        return viewer

    return Depends(guard)


@dataclass(frozen=True, slots=True)
class Posted:
    viewer: Viewer
    form: FormData

    def get(self, name: str, default: str = "") -> str:
        value = self.form.get(name)
        return value.strip() if isinstance(value, str) else default

    def all(self, name: str) -> list[str]:
        return [v for v in self.form.getlist(name) if isinstance(v, str)]


def action(permission: Permission) -> Any:
    """Dependency for a POST: a session, its CSRF token echoed back, and a role that may act.

    Anything else is refused with 403 before the form is looked at further.
    """

    async def guard(request: Request) -> Posted:
        viewer = await current_viewer(request)
        form = await request.form()
        token = request.headers.get("x-csrf-token") or form.get("csrf_token")
        if viewer is None or not csrf_matches(
            viewer.session, token if isinstance(token, str) else None
        ):
            raise Forbidden("This form has expired or did not come from Podium; reload the page.")
        if not allows(viewer.user.role, permission):
            raise Forbidden(f"The {viewer.user.role} role may not do this.")
        return Posted(viewer, form)

    return Depends(guard)


def _flash(request: Request, board: Dashboard) -> dict[str, str] | None:
    raw = request.cookies.get(FLASH_COOKIE)
    found = unsign(raw, board.secret) if raw else None
    if not found or not isinstance(found.get("m"), str):
        return None
    return {"message": str(found["m"]), "kind": str(found.get("k") or "ok")}


def harden(response: Any) -> Any:
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Cache-Control"] = "no-store"
    return response


def render(
    request: Request,
    template: str,
    viewer: Viewer | None,
    *,
    status: int = 200,
    **context: Any,
) -> HTMLResponse:
    board = dashboard(request)
    flash = _flash(request, board)
    role = viewer.user.role if viewer else "readonly"
    response = board.templates.TemplateResponse(
        request,
        template,
        {
            "viewer": viewer,
            "nav": board.nav.visible(role) if viewer else [],
            "settings_nav": board.nav.visible(role, "settings") if viewer else [],
            "flash": flash,
            "path": request.url.path,
            "status_code": status,
            "Markup": Markup,
            **context,
        },
        status_code=status,
    )
    if flash:
        response.delete_cookie(FLASH_COOKIE, path="/")
    return harden(response)  # type: ignore[no-any-return]


def redirect(
    request: Request, url: str, message: str | None = None, kind: str = "ok"
) -> RedirectResponse:
    response = RedirectResponse(url, status_code=303)
    if message:
        response.set_cookie(
            FLASH_COOKIE,
            sign({"m": message[:500], "k": kind}, dashboard(request).secret),
            max_age=60,
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
            path="/",
        )
    return response
