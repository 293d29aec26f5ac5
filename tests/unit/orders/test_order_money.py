"""Refund arithmetic: exact shares that always add up, however the units come back."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from podium.orders.money import (
    OrderMoney,
    PricedLine,
    largest_remainder,
    line_shares,
    quote_refund,
)


def test_largest_remainder_gives_the_leftover_cents_to_the_largest_remainders() -> None:
    assert largest_remainder(500, [3998, 1000]) == [400, 100]
    assert largest_remainder(10, [1, 1, 1]) == [4, 3, 3]
    assert largest_remainder(7, [0, 0]) == [4, 3]
    assert largest_remainder(0, [5, 5]) == [0, 0]


def test_largest_remainder_refuses_negative_amounts() -> None:
    with pytest.raises(ValueError):
        largest_remainder(-1, [1])


@given(st.integers(0, 10**12), st.lists(st.integers(0, 10**9), min_size=1, max_size=20))
def test_largest_remainder_parts_sum_exactly_and_stay_within_one_of_the_exact_share(
    total: Any, weights: Any
) -> None:
    parts = largest_remainder(total, weights)
    assert sum(parts) == total
    whole = sum(weights) or len(weights)
    for part, w in zip(parts, weights if sum(weights) else [1] * len(weights), strict=True):
        assert abs(part * whole - total * w) < whole


def test_one_of_two_tees_is_worth_its_price_less_discount_plus_tax() -> None:
    order = OrderMoney(
        "USD", (PricedLine(1, "TEE", 2, 1999), PricedLine(2, "MUG", 1, 1000)), 500, 400, 599
    )
    quote = quote_refund(order, {1: 1}, {})
    assert (quote.gross, quote.discount, quote.tax, quote.total) == (1999, 200, 160, 1959)
    with_shipping = quote_refund(order, {2: 1}, {}, include_shipping=True)
    assert with_shipping.total == 1000 - 100 + 80 + 599
    assert quote_refund(order, {}, {}, shipping_refunded=599, include_shipping=True).total == 0


def test_asking_for_more_units_than_are_left_is_refused() -> None:
    order = OrderMoney("USD", (PricedLine(1, "TEE", 2, 1999),), 0, 0, 0)
    with pytest.raises(ValueError):
        quote_refund(order, {1: 1}, {1: 2})


orders = st.builds(
    lambda lines, discount_pct, tax, shipping: OrderMoney(
        "USD",
        tuple(PricedLine(i + 1, f"S{i}", q, p) for i, (q, p) in enumerate(lines)),
        sum(q * p for q, p in lines) * discount_pct // 100,
        tax,
        shipping,
    ),
    st.lists(st.tuples(st.integers(1, 7), st.integers(0, 100_000)), min_size=1, max_size=6),
    st.integers(0, 100),
    st.integers(0, 50_000),
    st.integers(0, 5_000),
)


@given(orders, st.data())
def test_refunding_every_unit_in_any_order_of_batches_refunds_exactly_the_total(
    order: Any, data: Any
) -> None:
    left = {ln.line_no: ln.quantity for ln in order.lines}
    refunded: dict[int, int] = {}
    paid_back = 0
    shipping_back = 0
    while any(left.values()):
        line = data.draw(st.sampled_from([n for n, q in left.items() if q]))
        q = data.draw(st.integers(1, left[line]))
        ship = data.draw(st.booleans())
        quote = quote_refund(
            order,
            {line: q},
            refunded,
            shipping_refunded=shipping_back,
            include_shipping=ship,
        )
        assert quote.total >= 0
        paid_back += quote.total
        shipping_back += quote.shipping
        refunded[line] = refunded.get(line, 0) + q
        left[line] -= q
    paid_back += quote_refund(
        order, {}, refunded, shipping_refunded=shipping_back, include_shipping=True
    ).total
    assert paid_back == order.total


@given(orders)
def test_line_shares_sum_to_the_order_discount_and_tax(order: Any) -> None:
    shares = line_shares(order)
    assert sum(s.discount for s in shares) == order.discount
    assert sum(s.tax for s in shares) == order.tax
    assert sum(s.value for s in shares) + order.shipping == order.total
