"""Money: decimal strings on the wire, integer minor units inside."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from podium.money import (
    CURRENCY_EXPONENTS,
    MAX_MINOR,
    InvalidMoney,
    format_amount,
    minor_unit,
    normalise_currency,
    parse_amount,
)

currencies = st.sampled_from(sorted(CURRENCY_EXPONENTS))
amounts = st.integers(min_value=-MAX_MINOR, max_value=MAX_MINOR)


def test_currency_table_covers_iso_4217_with_known_exponents() -> None:
    assert len(CURRENCY_EXPONENTS) > 160
    assert all(len(code) == 3 and code.isupper() for code in CURRENCY_EXPONENTS)
    assert set(CURRENCY_EXPONENTS.values()) == {0, 2, 3, 4}
    zero = [
        "BIF",
        "CLP",
        "DJF",
        "GNF",
        "ISK",
        "JPY",
        "KMF",
        "KRW",
        "PYG",
        "RWF",
        "UGX",
        "UYI",
        "VND",
        "VUV",
        "XAF",
        "XOF",
        "XPF",
    ]
    assert {code for code, exp in CURRENCY_EXPONENTS.items() if exp == 0} == set(zero)
    three = ["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"]
    assert {code for code, exp in CURRENCY_EXPONENTS.items() if exp == 3} == set(three)
    assert {code for code, exp in CURRENCY_EXPONENTS.items() if exp == 4} == {"CLF", "UYW"}
    assert CURRENCY_EXPONENTS["USD"] == CURRENCY_EXPONENTS["EUR"] == 2


def test_normalise_currency_strips_and_upper_cases() -> None:
    assert normalise_currency(" usd ") == "USD"
    assert normalise_currency("Jpy") == "JPY"


@pytest.mark.parametrize("code", ["", "US", "XYZ", "usdd", "XAU", None, 840, b"USD"])
def test_normalise_currency_rejects_unknown_codes(code: object) -> None:
    with pytest.raises(InvalidMoney) as info:
        normalise_currency(code)
    assert info.value.code == "invalid_currency"
    assert info.value.message


def test_minor_unit_gives_the_exponent() -> None:
    assert minor_unit("JPY") == 0
    assert minor_unit("usd") == 2
    assert minor_unit("KWD") == 3
    assert minor_unit("CLF") == 4


def test_invalid_money_is_a_value_error_with_code_and_message() -> None:
    error = InvalidMoney("invalid_money", "bad")
    assert isinstance(error, ValueError)
    assert (error.code, error.message, str(error)) == ("invalid_money", "bad", "bad")


@pytest.mark.parametrize(
    ("text", "currency", "minor"),
    [
        ("19.99", "USD", 1999),
        ("19.9", "USD", 1990),
        ("20", "USD", 2000),
        ("0.50", "USD", 50),
        ("0", "USD", 0),
        ("  19.99\n", "USD", 1999),
        ("19.990", "USD", 1999),
        ("007.10", "EUR", 710),
        ("1500", "JPY", 1500),
        ("1500.00", "JPY", 1500),
        ("1.5", "KWD", 1500),
        ("1.500", "KWD", 1500),
        ("0.001", "BHD", 1),
        ("1.2345", "CLF", 12345),
        ("19.99", " usd ", 1999),
    ],
)
def test_parse_amount_accepts_decimal_strings(text: str, currency: str, minor: int) -> None:
    assert parse_amount(text, currency) == minor


def test_parse_amount_accepts_negatives_only_when_allowed() -> None:
    assert parse_amount("-1.00", "USD", allow_negative=True) == -100
    assert parse_amount("-0.05", "USD", allow_negative=True) == -5
    with pytest.raises(InvalidMoney) as info:
        parse_amount("-1.00", "USD")
    assert info.value.code == "invalid_money"


@pytest.mark.parametrize("value", [19.99, 20, True, None, b"19.99", ["19.99"]])
def test_parse_amount_rejects_non_strings(value: object) -> None:
    with pytest.raises(InvalidMoney) as info:
        parse_amount(value, "USD")
    assert info.value.code == "invalid_money"
    assert '"19.99"' in info.value.message


@pytest.mark.parametrize(
    ("text", "currency"),
    [
        ("", "USD"),
        ("   ", "USD"),
        ("1e3", "USD"),
        ("1E3", "USD"),
        ("NaN", "USD"),
        ("Infinity", "USD"),
        ("-Infinity", "USD"),
        ("1.2.3", "USD"),
        ("19.999", "USD"),
        ("19.991", "USD"),
        ("1500.5", "JPY"),
        ("1.0001", "KWD"),
        ("+1.00", "USD"),
        ("1,000.00", "USD"),
        ("1.000,00", "EUR"),
        ("1 000", "USD"),
        (".5", "USD"),
        ("5.", "USD"),
        ("-", "USD"),
        ("--1", "USD"),
        ("0x10", "USD"),
        ("1_000", "USD"),
        ("١٢", "USD"),
        ("$5", "USD"),
        ("10000000000000.01", "USD"),
        ("1" + "0" * 5000, "USD"),
    ],
)
def test_parse_amount_rejects_malformed_or_out_of_range(text: str, currency: str) -> None:
    with pytest.raises(InvalidMoney) as info:
        parse_amount(text, currency, allow_negative=True)
    assert info.value.code == "invalid_money"


def test_parse_amount_accepts_the_limit_but_not_beyond() -> None:
    assert parse_amount("10000000000000.00", "USD") == MAX_MINOR
    assert parse_amount("-10000000000000", "USD", allow_negative=True) == -MAX_MINOR
    assert parse_amount("1000000000000000", "JPY") == MAX_MINOR
    with pytest.raises(InvalidMoney):
        parse_amount("1000000000000001", "JPY")


def test_parse_amount_rejects_unknown_currency_with_currency_code() -> None:
    with pytest.raises(InvalidMoney) as info:
        parse_amount("1.00", "ABC")
    assert info.value.code == "invalid_currency"


@pytest.mark.parametrize(
    ("minor", "currency", "text"),
    [
        (1999, "USD", "19.99"),
        (5, "USD", "0.05"),
        (-5, "USD", "-0.05"),
        (0, "USD", "0.00"),
        (-100, "EUR", "-1.00"),
        (1500, "JPY", "1500"),
        (-7, "JPY", "-7"),
        (1500, "KWD", "1.500"),
        (1, "KWD", "0.001"),
        (12345, "CLF", "1.2345"),
        (MAX_MINOR, "USD", "10000000000000.00"),
    ],
)
def test_format_amount_renders_minor_units(minor: int, currency: str, text: str) -> None:
    assert format_amount(minor, currency) == text


def test_format_amount_rejects_unknown_currency_and_non_integers() -> None:
    with pytest.raises(InvalidMoney) as info:
        format_amount(100, "ABC")
    assert info.value.code == "invalid_currency"
    with pytest.raises(InvalidMoney) as info:
        format_amount(True, "USD")
    assert info.value.code == "invalid_money"


@given(amounts, currencies)
def test_format_then_parse_round_trips(minor: int, currency: str) -> None:
    assert parse_amount(format_amount(minor, currency), currency, allow_negative=True) == minor


@given(st.integers(), currencies)
def test_format_never_uses_exponent_notation(minor: int, currency: str) -> None:
    text = format_amount(minor, currency)
    assert set(text) <= set("-0123456789.")
    assert text.count(".") == (1 if CURRENCY_EXPONENTS[currency] else 0)
