"""Order intake validation, pricing in minor units, and the request fingerprint."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from podium.errors import ValidationFailed
from podium.inventory.model import MAX_QUANTITY
from podium.money import MAX_MINOR, format_amount
from podium.orders.model import MAX_LINES, OrderIntake, Priced, money, price


def line(sku: str = "SKU-1", quantity: Any = 1, unit_price: Any = "10.00") -> dict[str, Any]:
    return {"sku": sku, "quantity": quantity, "unit_price": unit_price}


def body(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "channel": "web",
        "currency": "USD",
        "shipping_address": {"country": "US", "postal_code": "98101"},
        "lines": [line()],
    }
    data.update(overrides)
    return data


def intake(**overrides: Any) -> OrderIntake:
    return OrderIntake.model_validate(body(**overrides))


def error_types(data: dict[str, Any]) -> list[tuple[tuple[int | str, ...], str]]:
    with pytest.raises(ValidationError) as caught:
        OrderIntake.model_validate(data)
    return [(e["loc"], e["type"]) for e in caught.value.errors()]


# --- price() -------------------------------------------------------------------------------


def test_usd_order_is_priced_in_cents() -> None:
    order = intake(
        lines=[line("A", 2, "19.99"), line("B", 1, "0.5")],
        shipping_total="4.95",
        tax_total="1.10",
        discount_total="2",
    )

    assert price(order) == Priced(
        unit_prices=(1999, 50),
        subtotal=4048,
        shipping=495,
        tax=110,
        discount=200,
        total=4453,
    )


def test_jpy_order_is_priced_in_whole_yen() -> None:
    order = intake(currency="JPY", lines=[line(quantity=3, unit_price="1200")], tax_total="360")

    priced = price(order)

    assert priced.unit_prices == (1200,)
    assert priced.total == 3960
    assert money(priced.total, "JPY") == "3960"


def test_kwd_order_is_priced_in_fils() -> None:
    order = intake(currency="kwd", lines=[line(quantity=2, unit_price="1.234")])

    priced = price(order)

    assert order.currency == "KWD"
    assert priced.unit_prices == (1234,)
    assert priced.total == 2468
    assert money(priced.total, "KWD") == "2.468"


def test_trailing_zeros_beyond_the_minor_unit_are_accepted() -> None:
    assert price(intake(currency="JPY", lines=[line(unit_price="5.000")])).total == 5


def test_defaults_price_shipping_tax_and_discount_at_zero() -> None:
    priced = price(intake(lines=[line(quantity=3, unit_price="2.50")]))

    assert (priced.shipping, priced.tax, priced.discount) == (0, 0, 0)
    assert priced.total == priced.subtotal == 750


@pytest.mark.parametrize(
    ("currency", "amount"), [("USD", "1.999"), ("JPY", "100.5"), ("KWD", "0.0001")]
)
def test_unit_price_with_too_many_decimals_is_refused(currency: str, amount: str) -> None:
    order = intake(currency=currency, lines=[line(unit_price=amount)])

    with pytest.raises(ValidationFailed) as caught:
        price(order)

    assert caught.value.status == 422
    assert caught.value.code == "invalid_money"
    assert caught.value.details == {"field": "lines.0.unit_price"}
    assert caught.value.message.startswith("lines.0.unit_price: ")


def test_the_offending_line_is_named_by_its_index() -> None:
    order = intake(lines=[line("A"), line("B"), line("C", unit_price="3.001")])

    with pytest.raises(ValidationFailed) as caught:
        price(order)

    assert caught.value.details == {"field": "lines.2.unit_price"}


@pytest.mark.parametrize("field", ["shipping_total", "tax_total", "discount_total"])
def test_totals_with_too_many_decimals_name_their_field(field: str) -> None:
    order = intake(**{field: "0.001"})

    with pytest.raises(ValidationFailed) as caught:
        price(order)

    assert caught.value.code == "invalid_money"
    assert caught.value.details == {"field": field}


def test_negative_unit_price_is_refused_when_priced() -> None:
    order = intake(lines=[line(unit_price="-1.00")])

    with pytest.raises(ValidationFailed) as caught:
        price(order)

    assert caught.value.code == "invalid_money"
    assert caught.value.details == {"field": "lines.0.unit_price"}


def test_discount_bigger_than_the_order_value_is_refused() -> None:
    order = intake(
        lines=[line(quantity=1, unit_price="10.00")],
        shipping_total="1.00",
        tax_total="0.50",
        discount_total="11.51",
    )

    with pytest.raises(ValidationFailed) as caught:
        price(order)

    assert caught.value.code == "invalid_money"
    assert caught.value.details == {"field": "discount_total"}


def test_discount_equal_to_the_order_value_makes_a_free_order() -> None:
    order = intake(lines=[line(unit_price="10.00")], tax_total="0.50", discount_total="10.50")

    assert price(order).total == 0


def test_order_total_above_the_money_limit_is_refused() -> None:
    biggest = format_amount(MAX_MINOR, "USD")
    order = intake(lines=[line(quantity=2, unit_price=biggest)])

    with pytest.raises(ValidationFailed) as caught:
        price(order)

    assert caught.value.code == "invalid_money"
    assert caught.value.details == {"field": "lines"}


def test_order_total_exactly_at_the_money_limit_is_accepted() -> None:
    order = intake(lines=[line(unit_price=format_amount(MAX_MINOR, "USD"))])

    assert price(order).total == MAX_MINOR


# --- OrderIntake validation ----------------------------------------------------------------


def test_a_minimal_intake_is_valid_and_fills_defaults() -> None:
    order = intake()

    assert order.on_shortage == "reject"
    assert order.tags == []
    assert order.customer.email is None
    assert (order.shipping_total, order.tax_total, order.discount_total) == ("0", "0", "0")


@pytest.mark.parametrize(
    ("quantity", "kind"),
    [
        (0, "greater_than_equal"),
        (-1, "greater_than_equal"),
        (MAX_QUANTITY + 1, "less_than_equal"),
        (10**30, "less_than_equal"),
        (1.0, "int_type"),
        (1.5, "int_type"),
        (True, "int_type"),
        (False, "int_type"),
        ("1", "int_type"),
        (None, "int_type"),
    ],
)
def test_line_quantity_must_be_a_whole_number_in_range(quantity: Any, kind: str) -> None:
    assert error_types(body(lines=[line(quantity=quantity)])) == [(("lines", 0, "quantity"), kind)]


def test_line_quantity_at_the_limit_is_accepted() -> None:
    assert intake(lines=[line(quantity=MAX_QUANTITY)]).lines[0].quantity == MAX_QUANTITY


@pytest.mark.parametrize("currency", ["XXX", "US", "", "dollars", 840, None])
def test_unknown_currency_is_an_invalid_currency_error(currency: Any) -> None:
    assert error_types(body(currency=currency)) == [(("currency",), "invalid_currency")]


def test_currency_is_normalised_to_upper_case() -> None:
    assert intake(currency=" eur ").currency == "EUR"


@pytest.mark.parametrize(
    "email", ["nobody", "a@b", "two@@example.com", "sp ace@example.com", "x@-bad.com", "@x.com"]
)
def test_bad_customer_email_is_an_invalid_email_error(email: str) -> None:
    assert error_types(body(customer={"email": email})) == [
        (("customer", "email"), "invalid_email")
    ]


def test_customer_email_is_trimmed_and_lower_cased() -> None:
    assert intake(customer={"email": " Ann@Example.COM "}).customer.email == "ann@example.com"


@pytest.mark.parametrize("amount", [19.99, 20, None, ["1.00"]])
def test_unit_price_as_a_number_is_an_invalid_money_error(amount: Any) -> None:
    assert error_types(body(lines=[line(unit_price=amount)])) == [
        (("lines", 0, "unit_price"), "invalid_money")
    ]


@pytest.mark.parametrize("field", ["shipping_total", "tax_total", "discount_total"])
def test_totals_as_numbers_are_invalid_money_errors(field: str) -> None:
    assert error_types(body(**{field: 5})) == [((field,), "invalid_money")]


@pytest.mark.parametrize("amount", ["", "1,00", "1.", ".5", "1e3", "$1", "1.0000001", "abc"])
def test_malformed_money_strings_are_invalid_money_errors(amount: str) -> None:
    assert error_types(body(lines=[line(unit_price=amount)])) == [
        (("lines", 0, "unit_price"), "invalid_money")
    ]


def test_money_strings_are_trimmed() -> None:
    assert intake(lines=[line(unit_price=" 3.50 ")]).lines[0].unit_price == "3.50"


def test_unknown_top_level_field_is_forbidden() -> None:
    assert error_types(body(coupon="FREE")) == [(("coupon",), "extra_forbidden")]


def test_unknown_fields_in_lines_and_customer_are_forbidden() -> None:
    data = body(lines=[{**line(), "colour": "red"}], customer={"vip": True})

    assert sorted(error_types(data)) == [
        (("customer", "vip"), "extra_forbidden"),
        (("lines", 0, "colour"), "extra_forbidden"),
    ]


def test_unknown_address_field_is_forbidden() -> None:
    data = body(shipping_address={"country": "US", "planet": "Earth"})

    assert error_types(data) == [(("shipping_address", "planet"), "extra_forbidden")]


def test_an_order_needs_at_least_one_line() -> None:
    assert error_types(body(lines=[])) == [(("lines",), "too_short")]


def test_an_order_may_have_up_to_the_line_limit() -> None:
    lines = [line(f"SKU-{i}") for i in range(MAX_LINES)]

    assert len(intake(lines=lines).lines) == MAX_LINES


def test_an_order_over_the_line_limit_is_refused() -> None:
    lines = [line(f"SKU-{i}") for i in range(MAX_LINES + 1)]

    assert error_types(body(lines=lines)) == [(("lines",), "too_long")]


@pytest.mark.parametrize("sku", ["", "-lead", "has space", "x" * 65])
def test_bad_sku_is_refused(sku: str) -> None:
    assert error_types(body(lines=[line(sku=sku)])) == [(("lines", 0, "sku"), "invalid_sku")]


@pytest.mark.parametrize("missing", ["channel", "currency", "shipping_address", "lines"])
def test_required_fields_are_required(missing: str) -> None:
    data = body()
    del data[missing]

    assert error_types(data) == [((missing,), "missing")]


def test_placed_at_must_carry_a_time_zone() -> None:
    assert error_types(body(placed_at="2024-05-01T12:00:00")) == [
        (("placed_at",), "timezone_aware")
    ]


def test_on_shortage_is_reject_or_backorder() -> None:
    assert intake(on_shortage="backorder").on_shortage == "backorder"
    assert error_types(body(on_shortage="wait")) == [(("on_shortage",), "literal_error")]


# --- fingerprint ---------------------------------------------------------------------------


def test_fingerprint_is_a_sha256_hex_digest() -> None:
    digest = intake().fingerprint()

    assert len(digest) == 64
    assert int(digest, 16) >= 0


def test_fingerprint_is_stable_for_the_same_request() -> None:
    assert intake().fingerprint() == intake().fingerprint()


def test_fingerprint_ignores_key_order_and_normalised_spelling() -> None:
    reordered = dict(reversed(list(body().items())))
    respelled = body(currency="usd", channel=" web ")

    fingerprint = intake().fingerprint()

    assert OrderIntake.model_validate(reordered).fingerprint() == fingerprint
    assert OrderIntake.model_validate(respelled).fingerprint() == fingerprint


@pytest.mark.parametrize(
    "change",
    [
        {"channel": "pos"},
        {"currency": "EUR"},
        {"lines": [line(quantity=2)]},
        {"lines": [line(unit_price="10.01")]},
        {"lines": [line(sku="SKU-2")]},
        {"lines": [line(), line()]},
        {"shipping_address": {"country": "US", "postal_code": "98102"}},
        {"shipping_total": "1.00"},
        {"discount_total": "1.00"},
        {"on_shortage": "backorder"},
        {"tags": ["gift"]},
        {"external_id": "A-1"},
        {"customer": {"email": "a@example.com"}},
        {"note": "leave at the door"},
    ],
)
def test_fingerprint_differs_when_the_request_changes(change: dict[str, Any]) -> None:
    assert intake(**change).fingerprint() != intake().fingerprint()


# --- property ------------------------------------------------------------------------------

CURRENCIES = ["USD", "JPY", "KWD", "CLF"]


@st.composite
def priced_orders(draw: st.DrawFn) -> tuple[str, list[tuple[int, int]], int, int, int]:
    currency = draw(st.sampled_from(CURRENCIES))
    lines = draw(
        st.lists(
            st.tuples(
                st.integers(min_value=0, max_value=10**8),
                st.integers(min_value=1, max_value=MAX_QUANTITY),
            ),
            min_size=1,
            max_size=5,
        )
    )
    shipping = draw(st.integers(min_value=0, max_value=10**9))
    tax = draw(st.integers(min_value=0, max_value=10**9))
    gross = sum(u * q for u, q in lines) + shipping + tax
    discount = draw(st.integers(min_value=0, max_value=min(gross, MAX_MINOR)))
    return currency, lines, shipping, tax, discount


@settings(max_examples=75, deadline=None)
@given(priced_orders())
def test_total_is_lines_plus_shipping_plus_tax_minus_discount(
    order: tuple[str, list[tuple[int, int]], int, int, int],
) -> None:
    currency, lines, shipping, tax, discount = order
    data = body(
        currency=currency,
        lines=[line(f"S{i}", q, format_amount(u, currency)) for i, (u, q) in enumerate(lines)],
        shipping_total=format_amount(shipping, currency),
        tax_total=format_amount(tax, currency),
        discount_total=format_amount(discount, currency),
    )

    priced = price(OrderIntake.model_validate(data))

    subtotal = sum(u * q for u, q in lines)
    assert priced.unit_prices == tuple(u for u, _ in lines)
    assert priced.subtotal == subtotal
    assert (priced.shipping, priced.tax, priced.discount) == (shipping, tax, discount)
    assert priced.total == subtotal + shipping + tax - discount
    assert 0 <= priced.total <= MAX_MINOR
