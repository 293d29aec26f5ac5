"""Settings: warehouses (edit), channels, API keys (create/revoke), users (admin only)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from podium import access, users
from podium.access import DEFAULT_ROLE, Permission, Role
from podium.catalog import WarehousePatch, read_channels, read_warehouses, update_warehouse
from podium.errors import DomainError
from podium.events import outbox_lag
from podium.orders import last_order_at
from podium.web.core import Posted, Viewer, action, dashboard, page, redirect, render
from podium.web.forms import int_field, invalid
from podium.web.nav import NavItem

router = APIRouter(include_in_schema=False)
NAV = [
    NavItem("Warehouses", "/settings/warehouses", order=10, section="settings"),
    NavItem("Channels", "/settings/channels", order=20, section="settings"),
    NavItem("API keys", "/settings/keys", Permission.ADMIN, order=30, section="settings"),
    NavItem("Users", "/settings/users", Permission.ADMIN, order=40, section="settings"),
]
ROLES = [r.value for r in Role]


@router.get("/settings/warehouses", response_class=HTMLResponse)
def warehouses(request: Request, viewer: Viewer = page()) -> HTMLResponse:
    found = read_warehouses(dashboard(request).podium.db)
    return render(request, "settings/warehouses.html", viewer, warehouses=found)


@router.post("/settings/warehouses/{code}", response_model=None)
def edit_warehouse(
    code: str, request: Request, posted: Posted = action(Permission.ADMIN)
) -> Response:
    back = "/settings/warehouses"
    try:
        capacity = posted.get("daily_order_capacity")
        patch = WarehousePatch(
            name=posted.get("name") or None,
            priority=int_field(posted.get("priority"), "priority"),
            active=posted.get("active") == "on",
            daily_order_capacity=int_field(capacity, "daily_order_capacity") if capacity else None,
        )
        update_warehouse(dashboard(request).podium.db, code, patch)
    except DomainError as exc:
        return redirect(request, back, exc.message, "error")
    except ValueError as exc:
        return redirect(request, back, invalid(exc).message, "error")
    return redirect(request, back, f"Warehouse {code} saved.")


@router.get("/settings/channels", response_class=HTMLResponse)
def channels(request: Request, viewer: Viewer = page()) -> HTMLResponse:
    db = dashboard(request).podium.db
    found = read_channels(db)
    return render(
        request,
        "settings/channels.html",
        viewer,
        channels=found,
        last_order=last_order_at(db, [c.code for c in found]),
        lag=outbox_lag(db),
    )


@router.get("/settings/keys", response_class=HTMLResponse)
def api_keys(request: Request, viewer: Viewer = page(Permission.ADMIN)) -> HTMLResponse:
    found = access.list_keys(dashboard(request).podium.db)
    return render(
        request,
        "settings/keys.html",
        viewer,
        keys=found,
        roles=ROLES,
        default_role=DEFAULT_ROLE.value,
        secret=None,
    )


@router.post("/settings/keys", response_model=None)
def create_key(request: Request, posted: Posted = action(Permission.ADMIN)) -> Response:
    db = dashboard(request).podium.db
    try:
        made, secret = access.create_key(db, posted.get("name"), posted.get("role") or DEFAULT_ROLE)
    except DomainError as exc:
        return redirect(request, "/settings/keys", exc.message, "error")
    # The secret is shown once, on this response, and never again.
    return render(
        request,
        "settings/keys.html",
        posted.viewer,
        status=201,
        keys=access.list_keys(db),
        roles=ROLES,
        default_role=DEFAULT_ROLE.value,
        secret=secret,
        made=made,
    )


@router.post("/settings/keys/{key_id}/revoke", response_model=None)
def revoke_key(
    key_id: str, request: Request, posted: Posted = action(Permission.ADMIN)
) -> Response:
    board = dashboard(request)
    try:
        revoked = access.revoke_key(board.podium.db, key_id)
    except DomainError as exc:
        return redirect(request, "/settings/keys", exc.message, "error")
    board.podium.keys.forget()
    return redirect(request, "/settings/keys", f"Key {revoked.name} revoked.")


@router.get("/settings/users", response_class=HTMLResponse)
def user_list(request: Request, viewer: Viewer = page(Permission.ADMIN)) -> HTMLResponse:
    found = users.list_users(dashboard(request).podium.db)
    return render(
        request,
        "settings/users.html",
        viewer,
        users=found,
        roles=ROLES,
        default_role=DEFAULT_ROLE.value,
    )


@router.post("/settings/users", response_model=None)
def create_user(request: Request, posted: Posted = action(Permission.ADMIN)) -> Response:
    try:
        board = dashboard(request)
        made = users.create_user(
            board.podium.db,
            posted.get("email"),
            posted.get("role") or DEFAULT_ROLE,
            str(posted.form.get("password") or ""),
            hasher=board.hasher,
        )
    except DomainError as exc:
        return redirect(request, "/settings/users", exc.message, "error")
    return redirect(request, "/settings/users", f"User {made.email} created.")


@router.post("/settings/users/{user_id}/sessions/revoke", response_model=None)
def revoke_user_sessions(
    user_id: str, request: Request, posted: Posted = action(Permission.ADMIN)
) -> Response:
    """Sign a user out everywhere (their own sessions included, if it is the admin)."""
    try:
        ended = users.revoke_sessions(dashboard(request).podium.db, user_id)
    except DomainError as exc:
        return redirect(request, "/settings/users", exc.message, "error")
    return redirect(request, "/settings/users", f"{ended} session(s) signed out.")


@router.post("/settings/users/{user_id}/disable", response_model=None)
def disable_user(
    user_id: str, request: Request, posted: Posted = action(Permission.ADMIN)
) -> Response:
    if user_id == posted.viewer.user.id:
        return redirect(request, "/settings/users", "You cannot disable yourself.", "error")
    try:
        done = users.disable_user(dashboard(request).podium.db, user_id)
    except DomainError as exc:
        return redirect(request, "/settings/users", exc.message, "error")
    return redirect(request, "/settings/users", f"User {done.email} disabled.")
