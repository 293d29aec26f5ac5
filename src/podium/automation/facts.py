"""An order's facts as automation conditions see them (pure): field name → value.

Money is a Decimal in the order's currency (the view's decimal strings), lists stay lists,
and a fact the order lacks is absent (None), which makes every test on it false. ``risk`` and
``billing_address`` are read when the order view carries them (risk scoring adds them).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from podium.orders import OrderView

__all__ = ["order_facts"]

_ADDRESS = ("country", "region", "postal_code", "city")


def _address(prefix: str, address: Any) -> dict[str, Any]:
    found = address if isinstance(address, dict) else {}
    return {f"{prefix}.{p}": found.get(p) for p in _ADDRESS}


def order_facts(view: OrderView, orders_count: int | None) -> dict[str, Any]:
    """``view``'s facts; ``orders_count``: the customer's orders so far, this one included."""
    risk = getattr(view, "risk", None)
    if risk is not None and not isinstance(risk, dict):
        risk = risk.model_dump() if hasattr(risk, "model_dump") else None
    return {
        "total": Decimal(view.total),
        "subtotal": Decimal(view.subtotal),
        "currency": view.currency,
        "channel": view.channel,
        "status": view.status,
        "payment_status": view.payment_status,
        "service_level": view.service_level,
        "tags": list(view.tags),
        "customer.email": view.customer.get("email"),
        "customer.orders_count": orders_count,
        **_address("shipping_address", view.shipping_address),
        **_address("billing_address", getattr(view, "billing_address", None)),
        "lines.sku": [ln.sku for ln in view.lines],
        "lines.quantity": [ln.quantity for ln in view.lines],
        "risk.score": (risk or {}).get("score"),
        "risk.level": (risk or {}).get("level"),
    }
