"""How the dashboard writes money and codes for people (pure; registered as template filters)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from podium.money import InvalidMoney, format_amount, parse_amount

__all__ = [
    "HOLD_REASONS",
    "ShortLine",
    "group_thousands",
    "hold_reason",
    "money",
    "waiting_for_stock",
]


def group_thousands(amount: str) -> str:
    """ "-1234567.50" -> "-1,234,567.50": the integer part in groups of three."""
    sign = "-" if amount.startswith("-") else ""
    whole, dot, fraction = amount.lstrip("-").partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        whole, tail = whole[:-3], whole[-3:]
        groups.insert(0, tail)
    return sign + ",".join([whole, *groups]) + dot + fraction


def money(value: int | str | None, currency: str) -> str:
    """One way to show an amount everywhere: "1,234.50 EUR".

    Read models carry money either as minor units (queue, home figures) or as the wire's
    decimal string (order, payments, refunds); both come out the same. A negative amount
    gets a real minus sign.
    """
    if value is None or value == "":
        return ""
    try:
        minor = (
            value if isinstance(value, int) else parse_amount(value, currency, allow_negative=True)
        )
        text = group_thousands(format_amount(minor, currency))
    except InvalidMoney:
        return f"{value} {currency}"  # never fail a page over a figure; show it as it is
    return f"{text.replace('-', '−')} {currency}"


# Hold reasons in the words an operator uses; a code not listed reads as itself, spaced.
HOLD_REASONS = {
    "backorder": "Waiting for stock",
    "unknown_sku": "Unknown SKU",
    "location": "Unmapped store location",
    "fraud_review": "Fraud review",
    "risk": "Risk review",
    "address": "Address to check",
    "payment": "Payment to check",
    "manual": "Held by hand",
    "routing": "Routing queue",
    "awaiting_return": "Waiting for the return",
}


def hold_reason(code: str | None) -> str:
    if not code:
        return ""
    return HOLD_REASONS.get(code, code.replace("_", " ").capitalize())


class ShortLine(Protocol):
    sku: str
    quantity: int
    quantity_allocated: int
    quantity_backordered: int


def waiting_for_stock(lines: Iterable[ShortLine]) -> str:
    """ "SKU-1 × 7 (3 of 10 allocated), SKU-2 × 1 (0 of 1 allocated)": what a backorder awaits."""
    return ", ".join(
        f"{ln.sku} × {ln.quantity_backordered} ({ln.quantity_allocated} of "
        f"{ln.quantity_allocated + ln.quantity_backordered} allocated)"
        for ln in lines
        if ln.quantity_backordered > 0
    )
