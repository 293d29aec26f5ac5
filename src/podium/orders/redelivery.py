"""Telling a re-delivery of an order from a different order under the same identity (pure).

A channel (or an API caller) may send the same order twice: the second time it gets the first
order back. If what it sends differs in lines or money from the order Podium holds, answering
with the old order would silently drop the change, so API callers get 409
``idempotency_conflict`` naming what differs. Other fields (customer, note, tags…) do not decide
whether it is the same order.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from podium.orders.model import OrderIntake, Priced, taxes_included_of

__all__ = ["money_differences"]


def money_differences(
    intake: OrderIntake,
    priced: Priced,
    order: Mapping[Any, Any],
    lines: Sequence[Mapping[Any, Any]],
) -> list[str]:
    """The fields where ``intake`` differs from the stored ``order`` and its ``lines``:
    ``currency``, ``lines`` (SKU, quantity, unit price; order does not matter),
    ``shipping_total``, ``tax_total``, ``discount_total``."""
    if intake.currency != order["currency"]:
        return ["currency"]
    differs = []
    sent = Counter(
        (ln.sku, ln.quantity, unit)
        for ln, unit in zip(intake.lines, priced.unit_prices, strict=True)
    )
    held = Counter((ln["sku"], ln["quantity"], ln["unit_price"]) for ln in lines)
    if sent != held:
        differs.append("lines")
    for field, value in (
        ("shipping_total", priced.shipping),
        ("tax_total", priced.tax),
        ("discount_total", priced.discount),
    ):
        if order[field] != value:
            differs.append(field)
    if priced.tax and taxes_included_of(order) != priced.taxes_included:
        differs.append("taxes_included")
    return differs
