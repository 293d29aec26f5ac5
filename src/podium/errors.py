"""Domain errors: each carries a machine-readable code, an HTTP-ish status and details.

The API turns them into ``{"error": {"code", "message", "details"}}``; the CLI prints the message.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "Conflict",
    "DomainError",
    "InsufficientStock",
    "InvalidTransition",
    "NotFound",
    "TooManyRequests",
    "ValidationFailed",
]


class DomainError(Exception):
    """A failure the caller caused or must know about; never a bug."""

    status: int = 400
    code: str = "bad_request"

    def __init__(
        self, message: str, *, code: str | None = None, details: dict[str, Any] | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.details: dict[str, Any] = details or {}


class ValidationFailed(DomainError):
    """Input that is well-formed JSON but wrong for the domain (422)."""

    status = 422
    code = "validation_error"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class TooManyRequests(DomainError):
    """A rate limit was reached (429); ``retry_after`` seconds until the next try may pass."""

    status = 429
    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: int, details: dict[str, Any] | None = None):
        super().__init__(message, details={"retry_after": retry_after, **(details or {})})
        self.retry_after = retry_after


class InsufficientStock(Conflict):
    code = "insufficient_stock"


class InvalidTransition(Conflict):
    code = "invalid_transition"

    def __init__(self, entity: str, current: str, target: str) -> None:
        article = "An" if entity[:1].lower() in "aeiou" else "A"
        super().__init__(
            f"{article} {entity} that is {current} cannot become {target}.",
            details={"entity": entity, "from": current, "to": target},
        )
