"""Login with Amazon for the SP-API: the seller's refresh token is exchanged for an access
token (``grant_type=refresh_token``, form-encoded, at the channel's ``token_endpoint``), kept
per channel until a minute before its ``expires_in``. Restricted Data Tokens are kept the same
way (and a refusal for a while, so a seller without the role is not asked every poll)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Any

from podium.channels.connector import PlatformError
from podium.channels.http import Caller
from podium.channels.settings import AmazonSettings

__all__ = ["EARLY", "TokenCache", "exchange_refresh_token"]

EARLY = 60.0  # seconds before expiry a token is no longer used


class TokenCache:
    """Tokens by key until ``EARLY`` seconds before they expire (``clock``: seconds)."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self.clock = clock
        self._tokens: dict[Hashable, tuple[str, float]] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> str | None:
        with self._lock:
            found = self._tokens.get(key)
            if found is None:
                return None
            token, until = found
            if self.clock() >= until:
                del self._tokens[key]
                return None
            return token

    def put(self, key: Hashable, token: str, lifetime: float) -> None:
        with self._lock:
            self._tokens[key] = (token, self.clock() + max(0.0, lifetime - EARLY))

    def drop(self, key: Hashable) -> None:
        with self._lock:
            self._tokens.pop(key, None)


def _lifetime(raw: Any) -> float:
    try:
        seconds = float(raw)
    except (TypeError, ValueError):
        return 3600.0
    return seconds if seconds > 0 else 3600.0


def exchange_refresh_token(caller: Caller, channel: str, s: AmazonSettings) -> tuple[str, float]:
    """A fresh access token and its lifetime in seconds, from Login with Amazon."""
    form = {
        "grant_type": "refresh_token",
        "refresh_token": s.refresh_token or "",
        "client_id": s.client_id or "",
        "client_secret": s.client_secret or "",
    }
    try:
        response = caller.send(
            "POST",
            s.token_endpoint,
            channel=channel,
            data=form,
            headers={"accept": "application/json"},
        )
        answer = response.json()
    except PlatformError as exc:
        raise PlatformError(
            "Login with Amazon refused this channel's client_id, client_secret or "
            f"refresh_token: {exc.message}",
            code="platform_auth_failed",
            details=exc.details,
        ) from exc
    except ValueError as exc:
        raise PlatformError("Login with Amazon answered something that is not JSON.") from exc
    token = answer.get("access_token") if isinstance(answer, dict) else None
    if not isinstance(token, str) or not token:
        raise PlatformError("Login with Amazon answered without an access_token.")
    return token, _lifetime(answer.get("expires_in"))
