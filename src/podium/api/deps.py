"""Request dependencies: the Podium container and the caller's API key."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from podium.access import ApiKey, Permission, allows
from podium.bootstrap import Podium
from podium.errors import DomainError

__all__ = ["Caller", "get_podium", "require"]

_bearer = HTTPBearer(auto_error=False)


class Unauthorized(DomainError):
    status = 401
    code = "unauthorized"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"


@dataclass(frozen=True, slots=True)
class Caller:
    key: ApiKey

    @property
    def actor(self) -> str:
        return f"key:{self.key.name}"


# Both dependencies are ``async`` on purpose: FastAPI runs a plain ``def`` dependency in a
# worker thread, and two thread hops per request cost more CPU than the work they do.
async def get_podium(request: Request) -> Podium:
    podium: Podium = request.app.state.podium
    return podium


def require(permission: Permission) -> Callable[..., Awaitable[Caller]]:
    async def dependency(
        credentials: HTTPAuthorizationCredentials | None = Depends(_bearer),
        podium: Podium = Depends(get_podium),
    ) -> Caller:
        if credentials is None:
            raise Unauthorized("Send an API key as `Authorization: Bearer <key>`.")
        key = podium.keys.cached(credentials.credentials)
        if key is None:  # not verified lately: ask the database, off the event loop
            key = await run_in_threadpool(podium.keys.authenticate, credentials.credentials)
        if key is None:
            raise Unauthorized(
                "That API key is not valid (or was revoked).", code="invalid_api_key"
            )
        if not allows(key.role, permission):
            raise Forbidden(
                f"The {key.role} role may not do this (needs {permission.value}).",
                details={"role": key.role, "needs": permission.value},
            )
        return Caller(key)

    return dependency
