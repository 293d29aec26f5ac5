"""Every error leaves as ``{"error": {"code", "message", "details"}}``; never a traceback."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException

from podium.api.allow import allowed_methods
from podium.db.storage import storage_full
from podium.errors import DomainError, TooManyRequests

__all__ = [
    "DATABASE_ERRORS",
    "DATABASE_RETRY_AFTER",
    "database_unavailable",
    "error_response",
    "install_error_handlers",
    "storage_full_response",
]

log = logging.getLogger("podium.api")

_SPECIFIC = {
    "invalid_money",
    "invalid_currency",
    "invalid_email",
    "invalid_ip",
    "invalid_sku",
    "invalid_code",
    "invalid_reason",
    "invalid_characters",
    "reserved_tag",
}
_HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "too_many_requests",
}


def error_response(
    status: int,
    code: str,
    message: str,
    details: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    return JSONResponse(
        {"error": {"code": code, "message": message, "details": details or {}}},
        status_code=status,
        headers=headers,
    )


def _field(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("body", "query", "path", "header"):
        parts = parts[1:]
    return ".".join(parts) or "body"


def _is_json(content_type: str) -> bool:
    kind = content_type.split(";")[0].strip().lower()
    return kind == "application/json" or (
        kind.startswith("application/") and kind.endswith("+json")
    )


async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = exc.errors()
    if any(e.get("type") == "json_invalid" for e in errors):
        return error_response(400, "malformed_json", "The request body is not valid JSON.")
    # FastAPI hands a route the raw bytes when the body is not labelled JSON, and the model
    # then fails with "Input should be a valid dictionary": say what is really wrong.
    content_type = request.headers.get("content-type", "")
    if (
        request.url.path.startswith("/api/")
        and not _is_json(content_type)
        and any(
            tuple(e.get("loc", ()))[:1] == ("body",) and e.get("type") != "missing" for e in errors
        )
    ):
        return error_response(
            415,
            "unsupported_media_type",
            "This operation takes a JSON body: send it with `Content-Type: application/json`.",
            {"field": "body", "content_type": content_type or None},
        )
    items = [
        {
            "field": _field(tuple(e.get("loc", ()))),
            "code": e.get("type", "invalid"),
            "message": e.get("msg", "is invalid"),
        }
        for e in errors
    ]
    types = {i["code"] for i in items}
    code = (
        types.pop() if len(types) == 1 and next(iter(types)) in _SPECIFIC else ("validation_error")
    )
    first = items[0] if items else {"field": "body", "message": "is invalid"}
    return error_response(
        422,
        code,
        f"{first['field']}: {first['message']}",
        {"field": first["field"], "errors": items},
    )


async def _domain(_: Request, exc: DomainError) -> JSONResponse:
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, TooManyRequests) else None
    return error_response(exc.status, exc.code, exc.message, exc.details, headers)


async def _http(request: Request, exc: HTTPException) -> JSONResponse:
    code = _HTTP_CODES.get(exc.status_code, "error")
    message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
    headers = dict(exc.headers) if exc.headers else None
    if exc.status_code == 405 and (allowed := allowed_methods(request)):
        headers = {**(headers or {}), "Allow": ", ".join(allowed)}
        message = f"{request.method} is not allowed here; this path accepts {', '.join(allowed)}."
    return error_response(exc.status_code, code, message, headers=headers)


async def _integrity(_: Request, exc: IntegrityError) -> JSONResponse:
    log.info("integrity conflict: %s", exc.orig)
    return error_response(
        409, "conflict", "The request conflicts with the current state; it was not applied."
    )


# The database is down, unreachable, or held by another transaction past the busy timeout:
# the request's transaction never committed, so the caller may safely send it again.
DATABASE_ERRORS: tuple[type[Exception], ...] = (OperationalError, InterfaceError, PoolTimeout)
DATABASE_RETRY_AFTER = 5


def database_unavailable() -> JSONResponse:
    return error_response(
        503,
        "database_unavailable",
        "The database is unavailable or busy; nothing was written. "
        f"Retry in {DATABASE_RETRY_AFTER} seconds.",
        {"retry_after": DATABASE_RETRY_AFTER},
        {"Retry-After": str(DATABASE_RETRY_AFTER)},
    )


STORAGE_RETRY_AFTER = 60


def storage_full_response() -> JSONResponse:
    return error_response(
        507,
        "storage_full",
        "The database's disk is full; nothing was written. Free space (or raise the "
        f"database's size limit) and retry; reads still work. Retry in {STORAGE_RETRY_AFTER} "
        "seconds.",
        {"retry_after": STORAGE_RETRY_AFTER},
        {"Retry-After": str(STORAGE_RETRY_AFTER)},
    )


async def _database(request: Request, exc: Exception) -> JSONResponse:
    if storage_full(exc):
        log.error("database disk full on %s %s: %s", request.method, request.url.path, exc)
        return storage_full_response()
    log.warning("database unavailable on %s %s: %s", request.method, request.url.path, exc)
    return database_unavailable()


async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error", exc_info=exc)
    return error_response(
        500,
        "internal_error",
        "Something went wrong on our side; nothing was half-written. Please retry.",
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation)  # type: ignore[arg-type]
    app.add_exception_handler(DomainError, _domain)  # type: ignore[arg-type]
    app.add_exception_handler(HTTPException, _http)  # type: ignore[arg-type]
    app.add_exception_handler(IntegrityError, _integrity)  # type: ignore[arg-type]
    for kind in DATABASE_ERRORS:
        app.add_exception_handler(kind, _database)
    app.add_exception_handler(Exception, _unexpected)
