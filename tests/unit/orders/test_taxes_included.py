"""Tax-inclusive prices (EU/UK/AU shops, issue 14): the total does not add the tax again, and
a refund of a line is worth what was paid for it, its tax inside."""

from __future__ import annotations

from typing import Any

from podium.orders.model import OrderIntake, order_total, price, taxes_included_of
from podium.orders.money import OrderMoney, PricedLine, line_shares, quote_refund


def intake(**overrides: Any) -> OrderIntake:
    data: dict[str, Any] = {
        "channel": "shop",
        "currency": "GBP",
        "shipping_address": {"country": "GB"},
        "lines": [{"sku": "TEE-M", "quantity": 2, "unit_price": "24.00"}],
        "shipping_total": "4.90",
        "tax_total": "8.82",
    }
    data.update(overrides)
    return OrderIntake.model_validate(data)


def test_tax_inclusive_total_is_lines_plus_shipping_minus_discount() -> None:
    priced = price(intake(taxes_included=True, discount_total="2.00"))
    assert (priced.subtotal, priced.tax, priced.total) == (4800, 882, 5090)
    assert priced.taxes_included is True


def test_tax_exclusive_total_still_adds_the_tax() -> None:
    assert price(intake()).total == 4800 + 490 + 882


def test_the_fingerprint_of_an_order_without_included_taxes_is_unchanged() -> None:
    # Orders sent before taxes_included existed are recognised on a retry.
    assert intake().fingerprint() == intake(taxes_included=False).fingerprint()
    assert intake().fingerprint() != intake(taxes_included=True).fingerprint()
    assert "taxes_included" not in intake().model_dump(exclude_defaults=True)


def test_a_stored_order_says_whether_its_prices_include_tax() -> None:
    row = {"subtotal": 4800, "shipping_total": 490, "discount_total": 0, "tax_total": 882}
    assert taxes_included_of({**row, "total": 5290}) is True
    assert taxes_included_of({**row, "total": 6172}) is False
    assert taxes_included_of({**row, "tax_total": 0, "total": 5290}) is False


def test_order_total_helper_matches_both_kinds() -> None:
    assert order_total(100, 10, 20, 5, taxes_included=True) == 105
    assert order_total(100, 10, 20, 5, taxes_included=False) == 125


def _money(included: bool) -> OrderMoney:
    return OrderMoney(
        "GBP",
        (PricedLine(1, "TEE-M", 2, 2400), PricedLine(2, "MUG", 1, 1200)),
        discount=0,
        tax=1000,
        shipping=490,
        taxes_included=included,
    )


def test_refunding_a_line_of_a_tax_inclusive_order_refunds_its_price() -> None:
    quote = quote_refund(_money(True), {1: 1}, {})
    assert quote.total == 2400  # the unit's price, which already holds its tax
    assert quote.tax == 400  # of which tax (told, not added)
    everything = quote_refund(_money(True), {1: 2, 2: 1}, {}, include_shipping=True)
    assert everything.total == _money(True).total == 4800 + 1200 + 490


def test_refunding_a_line_of_a_tax_exclusive_order_adds_its_tax_share() -> None:
    quote = quote_refund(_money(False), {1: 1}, {})
    assert quote.total == 2400 + 400


def test_line_values_of_a_tax_inclusive_order_add_up_to_its_goods() -> None:
    shares = line_shares(_money(True))
    assert sum(s.value for s in shares) == 6000
    assert sum(s.tax for s in shares) == 1000
