"""The OpenAPI document, with the errors each operation can answer.

FastAPI documents a 422 in its own shape, which is not the one Podium sends, and nothing
else. Clients and contract checkers (schemathesis) need every status an operation may
answer, so they are added here once, from what each operation has: a security requirement
(401, 403), anything naming a resource (404), a JSON body (400, 413, 415, 422), any
parameters (422), a write (409), no key at all (429 on writes an attacker could repeat).
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

__all__ = [
    "ERROR_SCHEMA",
    "GATEWAY_ERRORS",
    "SIGNED_WEBHOOK",
    "install_openapi",
    "with_error_responses",
]

ERROR_SCHEMA: dict[str, Any] = {
    "title": "Error",
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "details"],
            "properties": {
                "code": {"type": "string", "description": "Machine-readable, snake_case."},
                "message": {"type": "string", "description": "A sentence for people."},
                "details": {
                    "type": "object",
                    "description": "`field` names the input at fault, where there is one.",
                },
            },
        }
    },
}

_REF = {"$ref": "#/components/schemas/Error"}
_WRITES = {"post", "put", "patch", "delete"}

# Operations that move money through a payment gateway (Stripe) may also answer these.
GATEWAY_ERRORS: dict[int | str, dict[str, Any]] = {
    402: {
        "description": "`card_declined`: the card issuer declined; nothing was recorded.",
        "content": {"application/json": {"schema": _REF}},
    },
    502: {
        "description": "`gateway_auth_failed`: the gateway refused the account's key.",
        "content": {"application/json": {"schema": _REF}},
    },
    503: {
        "description": "`gateway_unreachable`, `gateway_rate_limited`, `gateway_error`: try "
        "again later (the same operation reuses its idempotency key); nothing was recorded.",
        "content": {"application/json": {"schema": _REF}},
    },
}
# A platform's signed delivery (no API key): a bad signature is 401.
SIGNED_WEBHOOK: dict[int | str, dict[str, Any]] = {
    401: {
        "description": "`invalid_signature`: the signature does not match the body (or is "
        "older than the tolerance); nothing was written.",
        "content": {"application/json": {"schema": _REF}},
    },
}
_DESCRIPTIONS = {
    "400": "Malformed JSON, or a request that cannot be read.",
    "401": "No API key, or one that is not valid (or was revoked).",
    "403": "The key's role may not do this.",
    "404": "A resource named in the path or the body does not exist.",
    "409": "Conflicts with the current state (a transition, a duplicate, stock); not applied.",
    "413": "The body is larger than the server takes.",
    "415": "The body is not sent as JSON (`Content-Type: application/json`).",
    "422": "Input that does not validate; `details.field` names the field.",
    "429": "Too many requests; wait for `Retry-After` seconds.",
    "503": "`database_unavailable`: the database is down or busy; nothing was written. Send "
    "the request again after `Retry-After` seconds.",
}


def _statuses(method: str, operation: dict[str, Any]) -> list[str]:
    params = operation.get("parameters", [])
    body = operation.get("requestBody")
    secured = bool(operation.get("security"))
    wanted: list[str] = ["503"]  # any operation may meet the database away
    if secured:
        wanted += ["401", "403"]
    if params or body is not None:  # a path id, or a code in the body (a warehouse, a SKU)
        wanted.append("404")
    if body is not None:
        wanted += ["400", "413", "422"]
        if "application/json" in body.get("content", {}):
            wanted.append("415")
    if params:
        wanted.append("422")
    if method in _WRITES:
        wanted.append("409")
        if not secured:
            wanted.append("429")
    return sorted(set(wanted))


def with_error_responses(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` with the error responses added to every operation (in place)."""
    schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for item in schema.get("paths", {}).values():
        for method, operation in item.items():
            if method not in _WRITES | {"get", "head", "options"}:
                continue
            responses = operation.setdefault("responses", {})
            for status in _statuses(method, operation):
                known = responses.get(status)
                content = (known or {}).get("content", {}).get("application/json", {})
                # FastAPI's own 422 describes its default body, never sent here: replace it.
                if known is None or content.get("schema", {}).get("$ref", "").endswith(
                    "/HTTPValidationError"
                ):
                    responses[status] = {
                        "description": _DESCRIPTIONS[status],
                        "content": {"application/json": {"schema": _REF}},
                    }
            operation["responses"] = dict(sorted(responses.items()))
    schemas = schema["components"]["schemas"]
    for unused in ("HTTPValidationError", "ValidationError"):
        if f'"#/components/schemas/{unused}"' not in json.dumps(schema):
            schemas.pop(unused, None)
    return schema


def install_openapi(app: FastAPI) -> None:
    """Build the document on first use (never at import), with the error responses."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = with_error_responses(
                get_openapi(
                    title=app.title,
                    version=app.version,
                    summary=app.summary,
                    description=app.description,
                    routes=app.routes,
                )
            )
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
