"""The events returns emits: returns, their labels, exchanges and refunds (registered in the
catalogue on import). Their aggregate is the order the return is against."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from podium.events import SPREAD, omit_none
from podium.orders import OrderEvent
from podium.returns.model import ReturnStatus

__all__ = [
    "STATUS_EVENTS",
    "ExchangeCreated",
    "RefundIssued",
    "ReturnApproved",
    "ReturnClosed",
    "ReturnCreated",
    "ReturnInTransit",
    "ReturnInspected",
    "ReturnLabelCreated",
    "ReturnLabelVoided",
    "ReturnParcelDelivered",
    "ReturnReceived",
    "ReturnRejected",
    "ReturnRequested",
    "ReturnStatusChanged",
]


@dataclass(frozen=True, kw_only=True)
class ReturnCreated(OrderEvent, type="return.created"):
    """A return was requested (by staff or the customer): its ``lines`` (SKU, units) and the
    status it starts in."""

    return_id: str
    order_id: str
    status: str
    lines: list[dict[str, Any]]


@dataclass(frozen=True, kw_only=True)
class ReturnStatusChanged(OrderEvent):
    """The base of ``return.<status>``: the return, its order, its new status and the facts
    of the change (a tracking number, a note…)."""

    return_id: str
    order_id: str
    status: str
    extra: dict[str, Any] = field(default_factory=dict, metadata=SPREAD)


@dataclass(frozen=True, kw_only=True)
class ReturnRequested(ReturnStatusChanged, type="return.requested", webhook=False):
    """A return moved to ``requested``: no transition leads there (a new return raises
    ``return.created``), so no webhook offers it."""


@dataclass(frozen=True, kw_only=True)
class ReturnApproved(ReturnStatusChanged, type="return.approved"):
    """A return was approved: the customer may send the parcel."""


@dataclass(frozen=True, kw_only=True)
class ReturnInTransit(ReturnStatusChanged, type="return.in_transit"):
    """A return's parcel is on its way back (carrier and tracking number)."""


@dataclass(frozen=True, kw_only=True)
class ReturnReceived(ReturnStatusChanged, type="return.received"):
    """Returned units were received and inspected: ``dispositions`` counts units by
    disposition, ``restocked`` lists the stock put back (``status`` is ``inspected`` once
    every unit is back)."""

    dispositions: dict[str, int] | None = field(default=None, metadata=omit_none())
    restocked: list[dict[str, Any]] | None = field(default=None, metadata=omit_none())


@dataclass(frozen=True, kw_only=True)
class ReturnInspected(ReturnStatusChanged, type="return.inspected"):
    """Every unit of a return is back and inspected."""


@dataclass(frozen=True, kw_only=True)
class ReturnClosed(ReturnStatusChanged, type="return.closed"):
    """A return is settled (refunded or exchanged) and closed."""


@dataclass(frozen=True, kw_only=True)
class ReturnRejected(ReturnStatusChanged, type="return.rejected"):
    """A return was rejected (its unused label is voided)."""


STATUS_EVENTS: dict[ReturnStatus, type[ReturnStatusChanged]] = {
    ReturnStatus.REQUESTED: ReturnRequested,
    ReturnStatus.APPROVED: ReturnApproved,
    ReturnStatus.IN_TRANSIT: ReturnInTransit,
    ReturnStatus.RECEIVED: ReturnReceived,
    ReturnStatus.INSPECTED: ReturnInspected,
    ReturnStatus.CLOSED: ReturnClosed,
    ReturnStatus.REJECTED: ReturnRejected,
}


@dataclass(frozen=True, kw_only=True)
class ReturnLabelCreated(OrderEvent, type="return.label_created"):
    """A prepaid return label was bought: carrier, service, tracking number, ``rate`` in
    ``currency`` and the warehouse the parcel goes back to."""

    return_id: str
    carrier: str
    service: str
    tracking_number: str
    rate: str
    currency: str
    warehouse: str


@dataclass(frozen=True, kw_only=True)
class ReturnLabelVoided(OrderEvent, type="return.label_voided"):
    """A return's unused label was voided (the postage refunded)."""

    return_id: str
    tracking_number: str


@dataclass(frozen=True, kw_only=True)
class ReturnParcelDelivered(OrderEvent, type="return.parcel_delivered"):
    """The carrier delivered a return's parcel to the warehouse; it waits to be received."""

    return_id: str
    tracking_number: str
    detail: str | None
    warehouse: str


@dataclass(frozen=True, kw_only=True)
class ExchangeCreated(OrderEvent, type="exchange.created"):
    """A replacement order was placed for a return (``advance``: it was held until the
    return arrives)."""

    return_id: str
    order_id: str
    replacement_id: str
    advance: bool


@dataclass(frozen=True, kw_only=True)
class RefundIssued(OrderEvent, type="refund.issued"):
    """Money was refunded to the customer (``method``: original payment or store credit;
    ``source``: ``podium`` or ``channel`` when the sales channel refunded it)."""

    order_id: str
    refund_id: str
    return_id: str | None
    amount: str
    currency: str
    method: str
    email: str | None
    source: str
