"""What an order charged and what refunding part of it is worth (pure): integer minor units,
shares that always add up. Orders own it (cancelling refunds too); returns quote refunds with it.

When the order's prices include its tax (``taxes_included``: EU/UK/AU shops), a line's tax share
is part of its price already: what it is worth is its value after discount, and the tax share
is only told (how much of that is tax), never added.

An order's discount is shared over its lines in proportion to their value, and its tax over the
lines' value after discount, both by largest remainder, so the shares sum exactly to the order's
discount and tax. A line's value, discount share and tax share are then spread over its units
cumulatively: refunding units ``a+1 … a+q`` of ``Q`` gives ``c·(a+q)//Q − c·a//Q`` of each
component ``c``. However a line is returned (one unit at a time or all at once), the refunds of
all its units add up to exactly what the customer paid for it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

__all__ = [
    "LineShare",
    "OrderMoney",
    "PricedLine",
    "RefundQuote",
    "largest_remainder",
    "line_shares",
    "quote_refund",
]


def largest_remainder(total: int, weights: Sequence[int]) -> list[int]:
    """Split ``total`` (≥ 0) in proportion to ``weights`` (≥ 0); the parts sum to ``total``.

    Each part is the floor of its exact share; the units left over go to the largest
    remainders (ties to the earlier weight). All-zero weights share equally.
    """
    if not weights:
        return []
    if total < 0 or any(w < 0 for w in weights):
        raise ValueError("largest_remainder takes non-negative amounts")
    base = list(weights) if sum(weights) > 0 else [1] * len(weights)
    whole = sum(base)
    parts = [total * w // whole for w in base]
    left = total - sum(parts)
    order = sorted(range(len(base)), key=lambda i: (-(total * base[i] % whole), i))
    for i in order[:left]:
        parts[i] += 1
    return parts


@dataclass(frozen=True, slots=True)
class PricedLine:
    line_no: int
    sku: str
    quantity: int
    unit_price: int


@dataclass(frozen=True, slots=True)
class OrderMoney:
    """What an order charged, in minor units."""

    currency: str
    lines: tuple[PricedLine, ...]
    discount: int
    tax: int
    shipping: int
    taxes_included: bool = False

    @property
    def total(self) -> int:
        goods = sum(ln.quantity * ln.unit_price for ln in self.lines)
        return goods - self.discount + self.shipping + (0 if self.taxes_included else self.tax)


@dataclass(frozen=True, slots=True)
class LineShare:
    """One order line's gross value and its shares of the order's discount and tax."""

    line_no: int
    sku: str
    quantity: int
    gross: int
    discount: int
    tax: int
    tax_included: bool = False

    @property
    def value(self) -> int:
        return self.gross - self.discount + (0 if self.tax_included else self.tax)


def line_shares(order: OrderMoney) -> list[LineShare]:
    gross = [ln.quantity * ln.unit_price for ln in order.lines]
    discount = largest_remainder(min(order.discount, sum(gross)), gross)
    net = [g - d for g, d in zip(gross, discount, strict=True)]
    tax = largest_remainder(order.tax, net)
    return [
        LineShare(ln.line_no, ln.sku, ln.quantity, g, d, t, order.taxes_included)
        for ln, g, d, t in zip(order.lines, gross, discount, tax, strict=True)
    ]


@dataclass(frozen=True, slots=True)
class RefundedLine:
    line_no: int
    sku: str
    quantity: int
    gross: int
    discount: int
    tax: int  # of which tax, when the prices include it
    tax_included: bool = False

    @property
    def amount(self) -> int:
        return self.gross - self.discount + (0 if self.tax_included else self.tax)


@dataclass(frozen=True, slots=True)
class RefundQuote:
    lines: tuple[RefundedLine, ...]
    shipping: int

    @property
    def gross(self) -> int:
        return sum(ln.gross for ln in self.lines)

    @property
    def discount(self) -> int:
        return sum(ln.discount for ln in self.lines)

    @property
    def tax(self) -> int:
        return sum(ln.tax for ln in self.lines)

    @property
    def total(self) -> int:
        return sum(ln.amount for ln in self.lines) + self.shipping


def _slice(component: int, quantity: int, before: int, units: int) -> int:
    return component * (before + units) // quantity - component * before // quantity


def quote_refund(
    order: OrderMoney,
    units: Mapping[int, int],
    refunded_units: Mapping[int, int],
    *,
    shipping_refunded: int = 0,
    include_shipping: bool = False,
) -> RefundQuote:
    """What refunding ``units`` (per order line number) is worth, given the units of each line
    refunded before and the shipping refunded before. Raises ValueError when more units are
    asked than the line has left."""
    lines = []
    for share in line_shares(order):
        q = units.get(share.line_no, 0)
        if q <= 0:
            continue
        before = refunded_units.get(share.line_no, 0)
        if before + q > share.quantity:
            raise ValueError(
                f"line {share.line_no} has only {share.quantity - before} unit(s) left"
            )
        lines.append(
            RefundedLine(
                share.line_no,
                share.sku,
                q,
                _slice(share.gross, share.quantity, before, q),
                _slice(share.discount, share.quantity, before, q),
                _slice(share.tax, share.quantity, before, q),
                share.tax_included,
            )
        )
    shipping = max(0, order.shipping - shipping_refunded) if include_shipping else 0
    return RefundQuote(tuple(lines), shipping)
