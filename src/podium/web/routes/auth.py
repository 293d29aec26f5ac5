"""Signing in and out."""

from __future__ import annotations

import secrets
import time
from datetime import timedelta

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from podium.access import Permission
from podium.throttle import LOGIN_PER_ACCOUNT, LOGIN_PER_ADDRESS
from podium.users import end_session, sign_in, start_session
from podium.web.core import (
    SESSION_COOKIE,
    Posted,
    action,
    client_address,
    current_viewer,
    dashboard,
    redirect,
    render,
)
from podium.web.nav import NavItem
from podium.web.session import SESSION_SECONDS, new_session, session_token

router = APIRouter(include_in_schema=False)
NAV: list[NavItem] = []

LOGIN_CSRF = "podium_login_csrf"


def _next(raw: str | None) -> str:
    """Only a path on this site (never //host or a full URL) is a place to go back to."""
    if raw and raw.startswith("/") and not raw.startswith(("//", "/\\")):
        return raw
    return "/"


def _form(
    request: Request, *, error: str | None = None, status: int = 200, email: str = ""
) -> HTMLResponse:
    token = secrets.token_urlsafe(32)
    response = render(
        request,
        "login.html",
        None,
        status=status,
        error=error,
        email=email,
        login_csrf=token,
        next=_next(request.query_params.get("next")),
    )
    response.set_cookie(
        LOGIN_CSRF,
        token,
        max_age=3600,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/login",
    )
    return response


@router.get("/login", response_model=None)
async def login_page(request: Request) -> Response:
    if await current_viewer(request) is not None:
        return RedirectResponse(_next(request.query_params.get("next")), status_code=303)
    return _form(request)


@router.post("/login", response_model=None)
async def login(request: Request) -> Response:
    board = dashboard(request)
    form = await request.form()
    email = str(form.get("email") or "").strip().lower()[:320]
    password = str(form.get("password") or "")
    cookie = request.cookies.get(LOGIN_CSRF) or ""
    submitted = str(form.get("csrf_token") or "")
    if not cookie or not secrets.compare_digest(cookie.encode(), submitted.encode()):
        return _form(request, error="The sign-in form expired; please try again.", status=403)
    address = client_address(request)
    checks = [(LOGIN_PER_ACCOUNT, f"{email}|{address}"), (LOGIN_PER_ADDRESS, address)]
    wait = await run_in_threadpool(board.throttle.wait, checks)
    if wait > 0:
        refused = _form(
            request,
            error=f"Too many failed attempts. Try again in {int(wait) + 1} seconds.",
            status=429,
            email=email,
        )
        refused.headers["Retry-After"] = str(int(wait) + 1)
        return refused
    user = await run_in_threadpool(
        lambda: sign_in(board.podium.db, email, password, hasher=board.hasher)
    )
    if user is None:
        await run_in_threadpool(board.throttle.hit, checks)
        return _form(request, error="Wrong e-mail or password.", status=401, email=email)
    await run_in_threadpool(board.throttle.clear, LOGIN_PER_ACCOUNT, f"{email}|{address}")
    session = new_session(user.id, time.time())
    await run_in_threadpool(
        lambda: start_session(
            board.podium.db,
            user.id,
            session.token,
            timedelta(seconds=SESSION_SECONDS),
            user_agent=request.headers.get("user-agent"),
            ip=address,
        )
    )
    response = RedirectResponse(_next(str(form.get("next") or "")), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        session_token(session, board.secret),
        max_age=SESSION_SECONDS,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )
    response.delete_cookie(LOGIN_CSRF, path="/login")
    return response


@router.post("/logout", response_model=None)
def logout(request: Request, posted: Posted = action(Permission.READ)) -> Response:
    end_session(dashboard(request).podium.db, posted.viewer.session.token)
    response = redirect(request, "/login", "You are signed out.")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
