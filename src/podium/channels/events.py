"""The events channels emit (registered in the catalogue on import)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from podium.events import Event
from podium.orders import OrderEvent

__all__ = ["ChannelRefundReceived", "ListingChanged"]


@dataclass(frozen=True, kw_only=True)
class ChannelRefundReceived(OrderEvent, type="channel.refund_received", webhook=False):
    """A sales channel refunded an order on its side (internal: the refund it leads to is
    ``refund.issued``): ``amount`` in ``currency`` and the
    platform's ``lines``; ``refund_lines`` are the refunded units under Podium SKUs (with
    whether the channel restocked them), ``amount_minor`` the amount in minor units."""

    channel: str
    external_id: str
    refund_id: str
    amount: str
    currency: str
    lines: list[dict[str, Any]]
    note: str | None
    order_id: str
    amount_minor: int
    refund_lines: list[dict[str, Any]]


@dataclass(frozen=True, kw_only=True)
class ListingChanged(Event, type="channel.listing_changed", aggregate="sku", webhook=False):
    """A SKU's listing on a channel was created or changed (or the channel's availability
    setting): the channel sync tells the platform the count again."""

    sku: str
    channel: str

    def aggregate_id(self) -> str:
        return self.sku
