"""The one interface every connector implements, and the registry of connectors by type."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from podium.channels.model import (
    ChannelCancellation,
    ChannelOrder,
    ChannelRefund,
    Delivery,
    LevelPush,
    PushResult,
)
from podium.channels.pacing import DEFAULT_BUDGET, PushBudget
from podium.errors import DomainError

__all__ = [
    "BadSignature",
    "Budgeted",
    "Connector",
    "Connectors",
    "Fulfilment",
    "PlatformError",
    "RefundLinePush",
    "RefundPush",
    "Unsupported",
]


class BadSignature(DomainError):
    status = 401
    code = "invalid_signature"


class PlatformError(DomainError):
    """The platform refused or failed a call (after retries)."""

    status = 502
    code = "platform_error"


class Unsupported(DomainError):
    status = 409
    code = "not_supported"


@dataclass(frozen=True, slots=True)
class Fulfilment:
    external_id: str
    lines: list[tuple[str, int, str | None]]  # (platform SKU, quantity, listing remote id)
    tracking_number: str | None
    carrier: str | None
    tracking_url: str | None
    # The platform's own line ids this shipment carries, with quantities (from the lines kept
    # when the order was captured); empty for orders captured before they were kept.
    line_items: list[tuple[str, int]] = field(default_factory=list)
    shipment_id: str | None = None  # Podium's shipment (a package reference the platform keeps)
    # Which parcel of the order this is (1, 2, … in the order the shipments were made).
    package: int | None = None
    # Who carries it when Podium bought the label (the label's carrier name: "USPS", "FedEx");
    # ``carrier`` is the shipment's carrier account code or what was typed when shipping.
    carrier_name: str | None = None


@dataclass(frozen=True, slots=True)
class RefundLinePush:
    line_id: str | None  # the platform's line id (None: an order captured before ids were kept)
    sku: str  # the platform's SKU
    quantity: int
    restock: bool  # the units came back to stock (a restock disposition)


@dataclass(frozen=True, slots=True)
class RefundPush:
    """A refund made in Podium, to be made on the platform that took the money."""

    external_id: str  # the platform's order id
    refund_id: str  # Podium's refund id: the idempotency key on the platform
    currency: str
    amount: int  # minor units, everything refunded (lines + shipping)
    shipping: int  # of which shipping, minor units
    lines: list[RefundLinePush]
    note: str | None


Parsed = ChannelOrder | ChannelRefund | ChannelCancellation | None


class Connector(Protocol):
    """verify → parse for webhooks; fetch for polling; push/read_levels for stock;
    mark_shipped for fulfilment. ``channel`` names the channel (rate limits are per channel)."""

    type: str

    def verify(self, settings: Any, headers: Mapping[str, str], body: bytes) -> Delivery: ...

    def parse(self, topic: str, body: bytes) -> Parsed: ...

    def fetch(
        self, channel: str, settings: Any, cursor: str | None
    ) -> tuple[list[ChannelOrder], str | None]: ...

    def push(self, channel: str, settings: Any, pushes: Sequence[LevelPush]) -> PushResult: ...

    def read_levels(
        self, channel: str, settings: Any, listings: Sequence[LevelPush]
    ) -> dict[str, int | None]: ...

    def mark_shipped(self, channel: str, settings: Any, fulfilment: Fulfilment) -> None: ...

    def discover(self, channel: str, settings: Any) -> list[tuple[str, str]]:
        """(platform SKU, remote id) of everything the platform sells, to learn listings."""
        ...


@runtime_checkable
class Budgeted(Protocol):
    """A connector that knows its platform's rate budget for stock pushes (the paced pusher
    keeps to it; connectors without one get ``pacing.DEFAULT_BUDGET``)."""

    def push_budget(self, channel: str) -> PushBudget: ...


class ThrottleLog(Protocol):
    def take_throttled(self, channel: str) -> int: ...


class Connectors:
    """Connectors by channel type (built once, in bootstrap), and the HTTP caller's record of
    which channels the platforms throttled."""

    def __init__(
        self, connectors: Sequence[Connector], throttles: ThrottleLog | None = None
    ) -> None:
        self._by_type = {c.type: c for c in connectors}
        self._throttles = throttles

    def take_throttled(self, channel: str) -> int:
        """Times the platform throttled ``channel`` since this was last asked."""
        return self._throttles.take_throttled(channel) if self._throttles else 0

    def for_type(self, channel_type: str) -> Connector | None:
        return self._by_type.get(channel_type)

    def push_budget(self, channel_type: str, channel: str) -> PushBudget:
        """What ``channel``'s platform allows stock pushes, as its connector knows it now."""
        connector = self._by_type.get(channel_type)
        if isinstance(connector, Budgeted):
            return connector.push_budget(channel)
        return DEFAULT_BUDGET

    @property
    def types(self) -> list[str]:
        return sorted(self._by_type)
