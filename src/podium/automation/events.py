"""The event automation rules emit: ``automation.notify``, for webhooks to hear.

Registered in the catalogue on import (``bootstrap.EVENT_MODULES``).
"""

from __future__ import annotations

from dataclasses import dataclass

from podium.orders import OrderEvent

__all__ = ["AutomationNotified"]


@dataclass(frozen=True, kw_only=True)
class AutomationNotified(OrderEvent, type="automation.notify"):
    """An automation rule's ``notify`` action fired on an order: ``event`` is the name the
    rule gives (``vip.order``), ``rule`` and ``version`` say which rule of which rule set."""

    event: str
    rule: str
    version: int
