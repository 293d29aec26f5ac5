"""Page links of the dashboard's keyset-paged tables: a (time, id) key in the one cursor format
every list uses (``podium.paging``), refused with the dashboard's own wording."""

from __future__ import annotations

import contextlib
from datetime import datetime

from podium.errors import ValidationFailed
from podium.paging import MAX_CURSOR_CHARS, decode_cursor, encode_cursor

__all__ = ["MAX_TOKEN", "decode_key", "encode_key"]

MAX_TOKEN = MAX_CURSOR_CHARS


def encode_key(at: datetime, row_id: str) -> str:
    return encode_cursor((at, row_id))


def decode_key(token: str, field: str) -> tuple[datetime, str]:
    """The key in ``token``, or ValidationFailed naming ``field`` for one Podium did not make."""
    key: tuple[object, ...] = ()
    with contextlib.suppress(ValidationFailed):
        key = decode_cursor(token, (datetime, str)).key
    match key:
        case (datetime() as at, str() as row_id):
            return at, row_id
    raise ValidationFailed(
        "That page link is not one Podium made; start again from the first page.",
        code="invalid_cursor",
        details={"field": field},
    )
