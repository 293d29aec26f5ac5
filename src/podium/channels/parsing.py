"""Helpers the connectors share to read platform payloads as they really are (pure)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from podium.channels.model import exact_minor
from podium.errors import ValidationFailed

__all__ = ["MoneyReader", "as_json", "clean_sku", "hmac_b64_matches", "parse_time", "text"]


def as_json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValidationFailed(
            "The body is not JSON.", code="invalid_payload", details={"field": "body"}
        ) from exc


def hmac_b64_matches(secrets: Iterable[str | None], body: bytes, signature: str | None) -> bool:
    """base64(HMAC-SHA256(secret, body)) against the header, in constant time, any secret."""
    if not signature:
        return False
    given = signature.strip().encode()
    ok = False
    for secret in secrets:
        if not secret:
            continue
        expected = base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest())
        ok |= hmac.compare_digest(expected, given)
    return ok


def parse_time(value: Any) -> datetime | None:
    """ISO 8601 (with or without zone: none means UTC) or epoch seconds, even as a string."""
    if value is None or value == "":
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return datetime.fromtimestamp(float(value), UTC)
    raw = str(value).strip()
    try:
        return datetime.fromtimestamp(float(raw), UTC)
    except ValueError:
        pass
    try:
        parsed = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def text(value: Any, limit: int = 200) -> str | None:
    if value is None:
        return None
    s = str(value).strip()
    return s[:limit] or None


def clean_sku(raw: Any, fallback: str) -> str:
    """The platform's SKU if it is one Podium can hold, else a stable stand-in."""
    sku = str(raw).strip() if raw is not None else ""
    ok = (
        0 < len(sku) <= 64
        and sku[0].isalnum()
        and all(c.isalnum() or c in "._:+-" for c in sku)
        and sku.isascii()
    )
    return sku if ok else fallback


class MoneyReader:
    """Reads amounts in one currency exactly; what cannot be read is noted, not guessed."""

    def __init__(self, currency: str) -> None:
        self.currency = currency
        self.problems: list[str] = []

    def read(self, amount: Any, what: str, currency: str | None = None) -> int:
        cur = (currency or self.currency).upper()
        if amount is None or amount == "":
            return 0
        if cur != self.currency:
            self.problems.append(f"{what} is {amount} {cur}, not in the order's {self.currency}")
            return 0
        minor = exact_minor(amount, cur)
        if minor is None or minor < 0:
            self.problems.append(f"{what} {amount!r} is not an exact amount of {cur}")
            return 0
        return minor
