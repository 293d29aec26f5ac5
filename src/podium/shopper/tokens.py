"""Tracking tokens (pure): an order's link that cannot be guessed and needs no stored row.

A token is ``<order id>.<mac>``, where the mac is the first 32 characters (192 bits) of the
base64url HMAC-SHA256 of the order id under a key derived from the server's secret (the
dashboard's session secret: ``PODIUM_SECRET_KEY``, or the one kept in the database). Nothing is
written when a link is made, and changing the secret invalidates every link sent before.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

__all__ = ["MAC_LENGTH", "derive_key", "make_token", "read_token"]

MAC_LENGTH = 32
_PURPOSE = b"podium:track-token:v1"
_ORDER_ID = re.compile(r"[A-Za-z0-9_]{1,64}")


def derive_key(secret: str) -> bytes:
    """The tracking key, kept apart from the session key it is derived from."""
    return hmac.new(secret.encode(), _PURPOSE, hashlib.sha256).digest()


def _mac(key: bytes, order_id: str) -> str:
    digest = hmac.new(key, order_id.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")[:MAC_LENGTH]


def make_token(key: bytes, order_id: str) -> str:
    if not _ORDER_ID.fullmatch(order_id):
        raise ValueError(f"not an order id: {order_id!r}")
    return f"{order_id}.{_mac(key, order_id)}"


def read_token(key: bytes, token: str) -> str | None:
    """The order id a token was made for, or None for anything we did not make."""
    if not token.isascii() or len(token) > 200:
        return None
    order_id, _, mac = token.rpartition(".")
    if not _ORDER_ID.fullmatch(order_id) or len(mac) != MAC_LENGTH:
        return None
    return order_id if hmac.compare_digest(mac, _mac(key, order_id)) else None
