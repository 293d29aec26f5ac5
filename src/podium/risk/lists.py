"""The lists risk looks an order up in: disposable e-mail domains and freight forwarders.

* Disposable e-mail domains: the ``disposable-email-domains`` package (PyPI), the list the
  community project of that name maintains (one domain a line, reviewed pull requests), loaded
  once on first use. A sub-domain of a listed domain counts as listed.
* Freight forwarders (package forwarding / reshipping services, the classic way to get goods
  bought with a stolen card out of the country): :data:`FORWARDERS`, the names these services
  tell their customers to put in the address (their own instructions: "Your name, <brand>
  suite 1234, ..."), matched as words in the address's company and street lines. It is a
  starting point, not a registry: operators add the forwarders their fraud team sees through
  ``PODIUM_RISK_FORWARDERS`` (comma-separated names, or postal codes of forwarders'
  warehouses written ``zip:97230``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["FORWARDERS", "disposable_domain", "forwarder_of"]

# Package forwarders with consumer sign-up (as named in their own address instructions).
FORWARDERS: tuple[str, ...] = (
    "shipito",
    "myus",
    "stackry",
    "planet express",
    "viabox",
    "borderlinx",
    "forward2me",
    "reship",
    "ship7",
    "bongo",
    "shop and ship",
    "shop & ship",
    "shipglobal",
    "usgobuy",
    "comgateway",
    "opasoo",
    "mailboxde",
    "qwintry",
    "shopfans",
    "kango express",
    "polar express forwarding",
    "eshopworld",
    "fishisfast",
    "junglebox",
    "ezship",
    "tenso",
    "buyandship",
    "skybox",
    "aeropost",
)

_WORD_EDGE = r"(?<![a-z0-9]){}(?![a-z0-9])"


@functools.cache
def _blocklist() -> frozenset[str]:
    from disposable_email_domains import blocklist

    return frozenset(blocklist)


def disposable_domain(email: str | None) -> str | None:
    """The e-mail's domain when it (or a parent domain) is a disposable mail service."""
    if not email or "@" not in email:
        return None
    domain = email.rsplit("@", 1)[1].strip().lower().rstrip(".")
    listed = _blocklist()
    parts = domain.split(".")
    for i in range(len(parts) - 1):
        if ".".join(parts[i:]) in listed:
            return domain
    return None


@functools.cache
def _patterns(extra: tuple[str, ...]) -> tuple[tuple[str, re.Pattern[str]], ...]:
    names = [n for n in (*FORWARDERS, *extra) if not n.startswith("zip:")]
    return tuple(
        (name, re.compile(_WORD_EDGE.format(re.escape(name.strip().lower()))))
        for name in names
        if name.strip()
    )


def forwarder_of(address: Mapping[str, Any], extra: Iterable[str] = ()) -> str | None:
    """The forwarder a shipping address names (company or street lines), or whose warehouse
    postal code it has (``zip:`` entries of ``extra``), else None."""
    extra = tuple(e.strip().lower() for e in extra if e.strip())
    postal = str(address.get("postal_code") or "").strip().upper()
    for entry in extra:
        if entry.startswith("zip:") and postal and postal == entry[4:].strip().upper():
            return f"warehouse postal code {postal}"
    text = " ".join(
        str(address.get(k) or "") for k in ("company", "line1", "line2", "name")
    ).lower()
    if not text.strip():
        return None
    for name, pattern in _patterns(extra):
        if pattern.search(text):
            return name
    return None
