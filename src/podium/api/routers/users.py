"""Dashboard users over the API (admin only): list, create, disable."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from podium.access.model import DEFAULT_ROLE, Permission
from podium.api.deps import Caller, get_podium, require
from podium.bootstrap import Podium
from podium.users import service
from podium.users.model import User
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
    return {"items": [_view(u) for u in service.list_users(podium.db)]}


@router.post("/users", status_code=201, response_model=UserView)
def create_user(data: UserIn, _: Caller = ADMIN, podium: Podium = Depends(get_podium)) -> UserView:
    return _view(service.create_user(podium.db, data.email, data.role, data.password))


@router.post("/users/{user_id}/disable", response_model=UserView)
def disable_user(user_id: str, _: Caller = ADMIN, podium: Podium = Depends(get_podium)) -> UserView:
    return _view(service.disable_user(podium.db, user_id))
