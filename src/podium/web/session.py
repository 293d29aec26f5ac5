"""Signed session cookies and CSRF tokens (pure).

A session cookie is ``base64(json) . base64(hmac-sha256)``: the signature turns away forged
cookies without a database read. The cookie also carries a random token whose SHA-256 names
the server-side session record (users/sessions.py): deleting that record ends the session, so
signing out (or a password change, a disabled user, "sign out everywhere") is final even for a
copy of the cookie. The CSRF token lives inside the signed session, and every POST must echo it
(a form field or the ``X-CSRF-Token`` header), so a page on another site cannot post on a
signed-in user's behalf.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from typing import Any

__all__ = [
    "SESSION_SECONDS",
    "Session",
    "csrf_matches",
    "new_session",
    "read_session",
    "session_token",
    "sign",
    "unsign",
]

SESSION_SECONDS = 12 * 3600


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(secret: str, body: str) -> str:
    return _b64(hmac.new(secret.encode(), body.encode(), hashlib.sha256).digest())


def sign(payload: dict[str, Any], secret: str) -> str:
    body = _b64(json.dumps(payload, separators=(",", ":"), sort_keys=True).encode())
    return f"{body}.{_mac(secret, body)}"


def unsign(token: str, secret: str) -> dict[str, Any] | None:
    """The payload if the signature is right, else None."""
    if not token.isascii():  # what ``sign`` makes is always ASCII; anything else is forged
        return None
    body, _, mac = token.partition(".")
    if not body or not mac or not hmac.compare_digest(mac.encode(), _mac(secret, body).encode()):
        return None
    try:
        payload = json.loads(_unb64(body))
    except ValueError:
        return None
    return payload if isinstance(payload, dict) else None


@dataclass(frozen=True, slots=True)
class Session:
    user_id: str
    csrf: str
    issued_at: int
    token: str  # the server-side record is found by its SHA-256 (never stored raw)


def new_session(user_id: str, now: float) -> Session:
    return Session(user_id, secrets.token_urlsafe(32), int(now), secrets.token_urlsafe(32))


def read_session(
    token: str | None, secret: str, now: float, max_age: int = SESSION_SECONDS
) -> Session | None:
    """The session in a cookie if it is signed by us and not expired."""
    if not token:
        return None
    payload = unsign(token, secret)
    if payload is None:
        return None
    user, csrf, issued = payload.get("u"), payload.get("c"), payload.get("t")
    token = payload.get("s")
    if not isinstance(user, str) or not isinstance(csrf, str) or not isinstance(issued, int):
        return None
    if not isinstance(token, str) or not token:  # a cookie from before server-side sessions
        return None
    if not issued <= now < issued + max_age:
        return None
    return Session(user, csrf, issued, token)


def session_token(session: Session, secret: str) -> str:
    payload = {"u": session.user_id, "c": session.csrf, "t": session.issued_at, "s": session.token}
    return sign(payload, secret)


def csrf_matches(session: Session | None, submitted: str | None) -> bool:
    if session is None or not submitted:
        return False
    return hmac.compare_digest(session.csrf.encode(), submitted.encode())
