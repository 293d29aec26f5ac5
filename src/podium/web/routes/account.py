"""The signed-in user's own account: their sessions (sign out one or everywhere) and their
password (changing it ends every other session)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from podium import users
from podium.access import Permission
from podium.errors import DomainError
from podium.users import change_password
from podium.web.core import (
    SESSION_COOKIE,
    Posted,
    Viewer,
    action,
    dashboard,
    page,
    redirect,
    render,
)
from podium.web.nav import NavItem

router = APIRouter(include_in_schema=False)
NAV: list[NavItem] = []  # reached from the e-mail address in the header


@router.get("/account", response_class=HTMLResponse)
def account(request: Request, viewer: Viewer = page()) -> HTMLResponse:
    db = dashboard(request).podium.db
    return render(
        request,
        "account.html",
        viewer,
        sessions=users.list_sessions(db, viewer.user.id),
        current=users.session_id(db, viewer.session.token),
    )


@router.post("/account/password", response_model=None)
def password(request: Request, posted: Posted = action(Permission.READ)) -> Response:
    board = dashboard(request)
    try:
        ended = change_password(
            board.podium.db,
            posted.viewer.user.id,
            str(posted.form.get("current_password") or ""),
            str(posted.form.get("new_password") or ""),
            keep_token_hash=users.token_hash(posted.viewer.session.token),
            hasher=board.hasher,
        )
    except DomainError as exc:
        return redirect(request, "/account", exc.message, "error")
    return redirect(request, "/account", f"Password changed; {ended} other session(s) signed out.")


@router.post("/account/sessions/revoke", response_model=None)
def sign_out_everywhere(request: Request, posted: Posted = action(Permission.READ)) -> Response:
    users.revoke_sessions(dashboard(request).podium.db, posted.viewer.user.id)
    response = redirect(request, "/login", "You are signed out everywhere.")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.post("/account/sessions/{session_id}/revoke", response_model=None)
def sign_out_one(
    session_id: str, request: Request, posted: Posted = action(Permission.READ)
) -> Response:
    ended = users.revoke_session(dashboard(request).podium.db, posted.viewer.user.id, session_id)
    message = "That session is signed out." if ended else "No such session."
    return redirect(request, "/account", message, "ok" if ended else "error")
