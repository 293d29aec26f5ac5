"""Where Podium may call out to: the rule for outgoing addresses (pure but for DNS).

Webhooks (notify/) and the 3PL hand-off (fulfillment/) POST to URLs their users enter. Both
refuse private and loopback hosts unless allowed, when the URL is saved (``check_url``) and
again before every call (``private_target``), since a name can later resolve inward.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from urllib.parse import urlsplit

from podium.errors import ValidationFailed

__all__ = ["check_url", "is_private_address", "private_target"]

_PRIVATE_NAMES = re.compile(r"(^|\.)(localhost|localdomain|internal|local)$", re.IGNORECASE)


def is_private_address(address: str) -> bool:
    """Loopback, private, link-local, reserved… anything that is not the public internet."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast


def check_url(url: str, *, allow_private: bool, field_name: str = "url") -> str:
    """A webhook target: http(s), a host, and (unless allowed) not a private/loopback one.

    Host names are resolved again before every attempt, so a name that later points inward
    is refused then (see ``private_target``). ``field_name`` is the field errors name (the 3PL
    hand-off's ``handoff_url`` uses the same rule)."""
    parts = urlsplit(url)
    field = {"field": field_name}
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationFailed(
            f"{field_name} must be an absolute http:// or https:// URL.",
            code="invalid_url",
            details=field,
        )
    try:
        _ = parts.port
    except ValueError as exc:
        raise ValidationFailed(
            f"{field_name} has a bad port.", code="invalid_url", details=field
        ) from exc
    if parts.username or parts.password:
        raise ValidationFailed(
            f"{field_name} must not carry credentials; the signature authenticates Podium.",
            code="invalid_url",
            details=field,
        )
    host = parts.hostname
    if not allow_private and (is_private_address(host) or _PRIVATE_NAMES.search(host)):
        raise ValidationFailed(
            f"{host} is a private or loopback address; webhooks and hand-offs go to public hosts "
            "(set PODIUM_WEBHOOKS_ALLOW_PRIVATE=1 to allow it).",
            code="private_url",
            details=field,
        )
    return url


def private_target(url: str) -> str | None:
    """Why the URL may not be called (it resolves to a private address), or None. Webhook
    delivery and the 3PL hand-off apply it before each call."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        infos = socket.getaddrinfo(host, parts.port or 443, proto=socket.IPPROTO_TCP)
    except OSError as exc:
        return f"cannot resolve {host}: {exc}"
    for info in infos:
        address = str(info[4][0])
        if is_private_address(address):
            return f"refused: {host} resolves to the private address {address}"
    return None
