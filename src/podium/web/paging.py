"""Page links of the dashboard's keyset-paged tables (pure): a (time, id) key as a short token."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime

from podium.errors import ValidationFailed

__all__ = ["decode_key", "encode_key"]

MAX_TOKEN = 200  # characters; a real token is about 80


def encode_key(at: datetime, row_id: str) -> str:
    raw = json.dumps([at.isoformat(), row_id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_key(token: str, field: str) -> tuple[datetime, str]:
    """The key in ``token``, or ValidationFailed naming ``field`` for one Podium did not make."""
    try:
        if len(token) > MAX_TOKEN:
            raise ValueError("too long")
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        at, row_id = json.loads(raw)
        if not isinstance(at, str) or not isinstance(row_id, str):
            raise ValueError("not a key")
        when = datetime.fromisoformat(at)
        if when.tzinfo is None:
            raise ValueError("no time zone")
        return when, row_id
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise ValidationFailed(
            "That page link is not one Podium made; start again from the first page.",
            code="invalid_cursor",
            details={"field": field},
        ) from None
