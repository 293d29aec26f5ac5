"""The events automation emits. Registered in the catalogue on import
(``bootstrap.EVENT_MODULES``).

- ``automation.notify``: a rule's ``notify`` action with an ``event`` name, for webhooks;
- ``automation.stock_notify``: the same from a ``stock.low`` rule (about a SKU, no order);
- ``automation.email``: a rule's ``notify`` with an ``email_template``, for the e-mailer
  (not webhook-visible: the e-mail it leads to is on the order's timeline);
- ``shipment.late``: the late-shipment check found a shipment past its promised delivery date
  and not delivered (once per shipment); the ``shipment.late`` trigger hears it.
"""

from __future__ import annotations

from dataclasses import dataclass

from podium.events import Event
from podium.orders import OrderEvent

__all__ = ["AutomationEmail", "AutomationNotified", "ShipmentLate", "StockNotified"]


@dataclass(frozen=True, kw_only=True)
class AutomationNotified(OrderEvent, type="automation.notify"):
    """An automation rule's ``notify`` action fired on an order: ``event`` is the name the
    rule gives (``vip.order``), ``rule`` and ``version`` say which rule of which rule set."""

    event: str
    rule: str
    version: int


@dataclass(frozen=True, kw_only=True)
class StockNotified(Event, type="automation.stock_notify", aggregate="sku"):
    """A ``stock.low`` rule's ``notify``: ``sku`` fell to ``available`` units at
    ``warehouse`` (at or below ``threshold``). With ``to``, the e-mailer also sends the
    low-stock alert e-mail (template ``stock_low``) to that address."""

    sku: str
    warehouse: str
    available: int
    threshold: int
    event: str
    rule: str
    version: int
    to: str | None = None

    def aggregate_id(self) -> str:
        return self.sku


@dataclass(frozen=True, kw_only=True)
class AutomationEmail(OrderEvent, type="automation.email", webhook=False):
    """A rule asks for the e-mail ``template`` about this order to go ``to`` the customer
    (``customer``) or an address; sent once (the e-mailer records it by this event's id)."""

    template: str
    to: str
    rule: str
    version: int


@dataclass(frozen=True, kw_only=True)
class ShipmentLate(OrderEvent, type="shipment.late"):
    """Shipment ``shipment_id`` from ``warehouse`` was promised by ``promised_by`` and is not
    delivered (``status``); ``days_late`` days past the promise when found."""

    shipment_id: str
    warehouse: str
    status: str
    carrier: str | None
    promised_by: str
    days_late: int
