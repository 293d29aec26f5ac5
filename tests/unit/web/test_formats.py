"""Money reads the same on every dashboard row, whichever shape the read model carries."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

from podium.money import MAX_MINOR, format_amount
from podium.web.formats import group_thousands, hold_reason, money, waiting_for_stock


def test_money_groups_thousands_and_names_the_currency_for_minor_units_and_strings() -> None:
    assert money(123450, "EUR") == "1,234.50 EUR"
    assert money("1234.50", "EUR") == "1,234.50 EUR"
    assert money("1234.5", "EUR") == "1,234.50 EUR"
    assert money(185000, "USD") == "1,850.00 USD"
    assert money("0", "USD") == "0.00 USD"
    assert money(1234567, "JPY") == "1,234,567 JPY"
    assert money(-250, "USD") == "−2.50 USD"


def test_money_never_fails_a_page_over_an_odd_figure() -> None:
    assert money(None, "USD") == ""
    assert money("n/a", "USD") == "n/a USD"


@given(st.integers(min_value=-MAX_MINOR, max_value=MAX_MINOR))
def test_grouping_only_adds_commas_every_three_digits(minor: int) -> None:
    plain = format_amount(minor, "USD")
    grouped = group_thousands(plain)
    assert grouped.replace(",", "") == plain
    whole = grouped.lstrip("-").split(".")[0]
    assert all(len(part) == 3 for part in whole.split(",")[1:])
    assert 1 <= len(whole.split(",")[0]) <= 3


@dataclass
class _Line:
    sku: str
    quantity: int
    quantity_allocated: int
    quantity_backordered: int


def test_waiting_for_stock_names_each_short_sku_with_what_is_allocated() -> None:
    lines = [_Line("SKU-1", 10, 3, 7), _Line("SKU-2", 1, 1, 0), _Line("SKU-3", 2, 0, 2)]
    assert waiting_for_stock(lines) == "SKU-1 × 7 (3 of 10 allocated), SKU-3 × 2 (0 of 2 allocated)"
    assert waiting_for_stock([_Line("SKU-2", 1, 1, 0)]) == ""


def test_hold_reasons_read_as_words_and_unknown_codes_still_read() -> None:
    assert hold_reason("backorder") == "Waiting for stock"
    assert hold_reason("fraud_review") == "Fraud review"
    assert hold_reason("some_new_reason") == "Some new reason"
    assert hold_reason(None) == ""
