"""Turning a form's validation failure into a sentence for the user (pure)."""

from __future__ import annotations

from pydantic import ValidationError

from podium.errors import ValidationFailed

__all__ = ["int_field", "invalid"]


def invalid(exc: ValueError, field: str | None = None) -> ValidationFailed:
    if isinstance(exc, ValidationError) and exc.errors():
        first = exc.errors()[0]
        name = field or ".".join(str(p) for p in first["loc"]) or "form"
        return ValidationFailed(
            f"{name.replace('_', ' ')}: {first['msg']}", details={"field": name}
        )
    return ValidationFailed(str(exc), details={"field": field or "form"})


def int_field(raw: str, field: str) -> int:
    try:
        return int(raw.strip())
    except ValueError:
        raise ValidationFailed(
            f"{field.replace('_', ' ')} must be a whole number.",
            code="invalid_number",
            details={"field": field},
        ) from None
