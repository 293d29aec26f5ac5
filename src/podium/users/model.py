"""Users and the password policy (pure)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from podium.access import Role
from podium.errors import ValidationFailed

__all__ = [
    "MAX_PASSWORD",
    "MIN_PASSWORD",
    "User",
    "check_email",
    "check_password",
    "check_role",
]

MIN_PASSWORD = 10
MAX_PASSWORD = 256
_EMAIL = re.compile(r"^[^@\s]{1,64}@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")


@dataclass(frozen=True, slots=True)
class User:
    id: str
    email: str
    role: str
    active: bool
    created_at: datetime
    last_login_at: datetime | None


def check_email(email: str) -> str:
    """The e-mail, trimmed and lower-cased, or ValidationFailed."""
    value = email.strip().lower()
    if len(value) > 320 or not _EMAIL.match(value):
        raise ValidationFailed(
            "That is not an e-mail address.", code="invalid_email", details={"field": "email"}
        )
    return value


def check_role(role: str) -> str:
    if role not in {r.value for r in Role}:
        raise ValidationFailed(
            f"role must be one of {', '.join(r.value for r in Role)}.",
            code="invalid_role",
            details={"field": "role"},
        )
    return role


def check_password(password: str, email: str = "") -> str:
    """At least 10 characters, not all one character, not the e-mail itself."""
    problem = None
    if len(password) < MIN_PASSWORD:
        problem = f"A password needs at least {MIN_PASSWORD} characters."
    elif len(password) > MAX_PASSWORD:
        problem = f"A password may have at most {MAX_PASSWORD} characters."
    elif len(set(password)) < 4:
        problem = "A password needs at least 4 different characters."
    elif email and password.strip().lower() in {email.lower(), email.split("@")[0].lower()}:
        problem = "A password must not be the e-mail address."
    if problem:
        raise ValidationFailed(problem, code="weak_password", details={"field": "password"})
    return password
