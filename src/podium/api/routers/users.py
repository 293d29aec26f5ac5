"""Dashboard users over the API (admin only): list, create, disable, set a password, and their
sessions (list, sign out everywhere)."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from podium import users
from podium.access import DEFAULT_ROLE, Permission
from podium.api.deps import Caller, get_podium, require
from podium.bootstrap import Podium
from podium.users import User
from podium.validation import Input

router = APIRouter(tags=["users"])

ADMIN = Depends(require(Permission.ADMIN))


class UserIn(Input):
    email: str = Field(min_length=3, max_length=320)
    role: str = Field(
        default=DEFAULT_ROLE.value,
        description="admin, operator, warehouse, support or readonly (the default: least "
        "privilege).",
    )
    password: str = Field(min_length=1, max_length=256)


class UserView(BaseModel):
    id: str
    email: str
    role: str
    active: bool
    created_at: datetime
    last_login_at: datetime | None


def _view(u: User) -> UserView:
    return UserView(
        id=u.id,
        email=u.email,
        role=u.role,
        active=u.active,
        created_at=u.created_at,
        last_login_at=u.last_login_at,
    )


@router.get("/users", response_model=dict[str, list[UserView]])
def list_users(
    _: Caller = ADMIN, podium: Podium = Depends(get_podium)
) -> dict[str, list[UserView]]:
    return {"items": [_view(u) for u in users.list_users(podium.db)]}


@router.post("/users", status_code=201, response_model=UserView)
def create_user(data: UserIn, _: Caller = ADMIN, podium: Podium = Depends(get_podium)) -> UserView:
    return _view(users.create_user(podium.db, data.email, data.role, data.password))


@router.post("/users/{user_id}/disable", response_model=UserView)
def disable_user(user_id: str, _: Caller = ADMIN, podium: Podium = Depends(get_podium)) -> UserView:
    """Disable a user (id or e-mail); every session of theirs ends."""
    return _view(users.disable_user(podium.db, user_id))


class PasswordIn(Input):
    password: str = Field(min_length=1, max_length=256)


class SessionView(BaseModel):
    id: str
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    user_agent: str | None
    ip: str | None


class RevokedView(BaseModel):
    revoked: int


@router.post("/users/{user_id}/password", response_model=RevokedView)
def set_password(
    user_id: str, data: PasswordIn, _: Caller = ADMIN, podium: Podium = Depends(get_podium)
) -> RevokedView:
    """Set a user's password (id or e-mail); all their sessions end (``revoked`` counts them)."""
    return RevokedView(revoked=users.set_password(podium.db, user_id, data.password))


@router.get("/users/{user_id}/sessions", response_model=dict[str, list[SessionView]])
def list_sessions(
    user_id: str, _: Caller = ADMIN, podium: Podium = Depends(get_podium)
) -> dict[str, list[SessionView]]:
    """A user's live dashboard sessions, most recently seen first (never their tokens)."""
    return {
        "items": [
            SessionView(
                id=s.id,
                created_at=s.created_at,
                last_seen_at=s.last_seen_at,
                expires_at=s.expires_at,
                user_agent=s.user_agent,
                ip=s.ip,
            )
            for s in users.list_sessions(podium.db, user_id)
        ]
    }


@router.post("/users/{user_id}/sessions/revoke", response_model=RevokedView)
def revoke_sessions(
    user_id: str, _: Caller = ADMIN, podium: Podium = Depends(get_podium)
) -> RevokedView:
    """Sign a user out everywhere: every session of theirs ends at once."""
    return RevokedView(revoked=users.revoke_sessions(podium.db, user_id))
