"""Turning a form's validation failure into a sentence for the user (pure)."""

from __future__ import annotations

from typing import Protocol

from pydantic import ValidationError

from podium.errors import ValidationFailed

__all__ = ["Form", "int_field", "invalid", "rows", "whole"]


class Form(Protocol):
    """What a posted form offers (``core.Posted``): one value, or every value of a name."""

    def get(self, name: str, default: str = "") -> str: ...

    def all(self, name: str) -> list[str]: ...


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


def whole(raw: str, field: str, *, blank: int | None = None) -> int:
    """A whole number of 0 or more; ``blank`` (when given) stands for an empty field."""
    if not raw.strip() and blank is not None:
        return blank
    value = int_field(raw, field)
    if value < 0:
        raise ValidationFailed(
            f"{field.replace('_', ' ')} cannot be negative.",
            code="invalid_number",
            details={"field": field},
        )
    return value


def rows(form: Form, *names: str) -> list[tuple[str, ...]]:
    """A table's rows posted as one list per column (``name`` repeated once per row)."""
    columns = [form.all(n) for n in names]
    if len({len(c) for c in columns}) > 1:
        raise ValidationFailed(
            "The form's rows are incomplete; reload the page.",
            details={"field": names[0]},
        )
    return list(zip(*columns, strict=True))
