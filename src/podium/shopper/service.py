"""Finding an order for a shopper (by tracking token, or by number and e-mail) and the links
sent to them. Nothing here changes an order: the shopper's pages only read."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import Any

from podium import catalog, orders, users
from podium.db.database import Database
from podium.errors import NotFound
from podium.shopper.locale import pick_locale
from podium.shopper.model import StatusPage, status_page
from podium.shopper.tokens import derive_key, make_token, read_token

__all__ = ["Shopper", "Style", "channel_look", "channel_style"]

_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


@dataclass(frozen=True, slots=True)
class Style:
    """A channel's look on the returns portal: its header colour (``#rrggbb``) and logo (an
    https URL), from its ``notifications`` settings (``colour``, ``logo_url``)."""

    channel: str
    colour: str | None = None
    logo_url: str | None = None

    @property
    def ink(self) -> str:
        """Black or white, whichever reads better on the colour (WCAG relative luminance)."""
        if self.colour is None:
            return "#fff"

        def linear(hex2: str) -> float:
            c = int(hex2, 16) / 255
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

        r, g, b = (linear(self.colour[i : i + 2]) for i in (1, 3, 5))
        luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
        return "#000" if (luminance + 0.05) / 0.05 > 1.05 / (luminance + 0.05) else "#fff"


def channel_style(db: Database, code: str) -> Style:
    try:
        settings = catalog.read_channel_settings(db, code)
    except NotFound:
        return Style(code)
    found = settings.get("notifications")
    conf: dict[str, Any] = found if isinstance(found, dict) else {}
    colour = conf.get("colour")
    logo = conf.get("logo_url")
    return Style(
        code,
        colour if isinstance(colour, str) and _COLOUR.fullmatch(colour) else None,
        logo if isinstance(logo, str) and logo.startswith("https://") and len(logo) < 500 else None,
    )


def channel_look(db: Database, code: str) -> tuple[str, str]:
    """A channel's brand name (its notifications ``brand``, else its name) and locale."""
    try:
        channel = catalog.get_channel(db, code)
        settings = catalog.read_channel_settings(db, code)
    except NotFound:
        return code, pick_locale(None)
    notifications = settings.get("notifications")
    brand: Any = notifications.get("brand") if isinstance(notifications, dict) else None
    return (brand if isinstance(brand, str) and brand else channel.name), pick_locale(
        settings.get("locale")
    )


class Shopper:
    """The shopper's way in: tracking tokens under the server's secret, and the look-up by
    order number and e-mail. ``public_url`` is where shoppers reach this server."""

    def __init__(self, db: Database, configured_secret: str | None, public_url: str) -> None:
        self.db = db
        self.public_url = public_url.rstrip("/")
        self._configured = configured_secret
        self._key: bytes | None = None
        self._lock = threading.Lock()

    @property
    def key(self) -> bytes:
        if self._key is None:
            with self._lock:
                if self._key is None:
                    self._key = derive_key(users.session_secret(self.db, self._configured))
        return self._key

    def token(self, order_id: str) -> str:
        return make_token(self.key, order_id)

    def tracking_url(self, order_id: str) -> str:
        return f"{self.public_url}/track/{self.token(order_id)}"

    def return_token(self, return_id: str) -> str:
        """The link to a return's status page (returns portal) carries this token."""
        return make_token(self.key, return_id)

    def return_url(self, return_id: str) -> str:
        return f"{self.public_url}/returns/status/{self.return_token(return_id)}"

    def read_return_token(self, token: str) -> str | None:
        """The return id a return token names (never an order's token)."""
        found = read_token(self.key, token)
        return found if found is not None and found.startswith("rma_") else None

    def lookup(self, number: str, email: str) -> str | None:
        """The tracking token of order ``number`` if ``email`` is its customer's, else None
        (the same None whether the order is unknown or the e-mail wrong)."""
        with self.db.read() as conn:
            found = orders.order_for_customer(conn, number.strip().upper(), email)
        return None if found is None else self.token(found)

    def status(self, token: str) -> tuple[StatusPage, str] | None:
        """The status page of the order a token names, and its channel's locale."""
        order_id = read_token(self.key, token)
        if order_id is None:
            return None
        try:
            order = orders.get_order(self.db, order_id)
            timeline = orders.order_timeline(self.db, order_id)
        except NotFound:  # made for an order since deleted
            return None
        brand, locale = channel_look(self.db, order.channel)
        return status_page(order, timeline, brand), locale
