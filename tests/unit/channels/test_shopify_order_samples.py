"""Shopify order payloads that the published fixtures do not cover (issue 14), read by the
parser: tax-inclusive prices, POS sales, lines without a SKU, and bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from podium.channels.intake import intake_for
from podium.channels.shopify_payloads import order_from_shopify
from podium.errors import ValidationFailed
from podium.orders import price

SAMPLES = Path(__file__).parents[2] / "payloads" / "shopify"


def sample(name: str) -> Any:
    return json.loads((SAMPLES / name).read_text())


def test_a_tax_inclusive_order_totals_what_the_customer_paid() -> None:
    order = order_from_shopify(sample("order_taxes_included.json"))
    assert order.taxes_included is True
    assert (order.tax, order.shipping, order.total) == (882, 490, 5290)
    assert order.notes == []  # lines + shipping = total_price: nothing to report
    intake = intake_for("shop", order, {})
    assert intake.taxes_included is True
    priced = price(intake)
    assert priced.total == order.total == 5290  # not 5290 + 882
    assert priced.tax == 882


def test_a_tax_exclusive_order_still_adds_its_tax() -> None:
    order = order_from_shopify(sample("order_pos.json"))
    assert order.taxes_included is False
    assert price(intake_for("shop", order, {})).total == order.total == 2160


def test_a_pos_sale_is_handed_over_at_its_store_location() -> None:
    order = order_from_shopify(sample("order_pos.json"))
    assert order.handed_over == "in_store"
    assert order.store_location == "655441491"
    assert order.address == {} and order.name is None and order.email is None
    mapped = intake_for("shop", order, {}, {"655441491": "ATL"})
    assert (mapped.handed_over, mapped.warehouse) == ("in_store", "ATL")
    unmapped = intake_for("shop", order, {}, {"1": "EAST"})
    assert (unmapped.handed_over, unmapped.warehouse) == ("in_store", None)


def test_a_web_order_is_not_handed_over() -> None:
    order = order_from_shopify(sample("order_taxes_included.json"))
    assert order.handed_over is None and order.store_location is None


def test_a_line_without_sku_keeps_its_line_and_variant_ids_exactly() -> None:
    order = order_from_shopify(sample("order_null_sku.json"))
    assert order.external_id == "9007199254740993"  # past 2^53: never through a float
    (line,) = order.lines
    assert line.sku == "variant:9007199254740997"
    assert line.remote_id == "9007199254740997"
    assert line.line_id == "9007199254740995"


def test_an_empty_sku_is_held_as_its_variant_too() -> None:
    raw = sample("order_null_sku.json")
    raw["line_items"][0]["sku"] = "   "
    assert order_from_shopify(raw).lines[0].sku == "variant:9007199254740997"


def test_a_listing_mapping_the_variant_names_the_podium_sku() -> None:
    order = order_from_shopify(sample("order_null_sku.json"))
    intake = intake_for("shop", order, {"variant:9007199254740997": "BOWL"})
    assert intake.lines[0].sku == "BOWL"


def test_odd_input_is_read_without_losing_the_order() -> None:
    order = order_from_shopify(sample("order_odd.json"))
    assert order.external_id == "18446744073709551615"
    assert order.currency == "KWD"
    (line,) = order.lines  # the string line is skipped, the string quantity read
    assert (line.sku, line.quantity, line.unit_price) == ("TEE-M", 2, 5750)
    assert line.line_id == "18446744073709551614" and line.remote_id is None
    assert order.shipping == 1250 and order.total == 12750  # three decimals, exact
    assert order.address == {} and order.notes == [] and order.review is None
    intake = intake_for("shop", order, {})
    assert intake.shipping_address.country == "US"  # no address: captured, the address hold decides
    assert price(intake).total == 12750


def test_an_amount_that_is_not_exact_in_the_currency_is_sent_for_review() -> None:
    raw = sample("order_odd.json")
    raw["currency"] = "JPY"
    raw["total_price"] = "1275"
    raw["line_items"][1]["price"] = "575.5"  # JPY has no minor unit
    order = order_from_shopify(raw)
    assert order.review is not None and "575.5" in order.review
    assert order.lines[0].unit_price == 0


def test_a_payload_without_an_id_is_refused_with_the_field() -> None:
    cases: list[Any] = [{"currency": "USD"}, {"id": None, "currency": "USD"}, [], "x"]
    for bad in cases:
        with pytest.raises(ValidationFailed) as exc:
            order_from_shopify(bad)
        assert exc.value.details == {"field": "id"}


def test_an_unknown_currency_is_refused_naming_the_field() -> None:
    raw = sample("order_odd.json")
    raw["currency"] = "XYZ"
    with pytest.raises(ValidationFailed) as exc:
        intake_for("shop", order_from_shopify(raw), {})
    assert exc.value.details == {"field": "currency"}


def test_refund_lines_that_are_not_objects_are_skipped() -> None:
    from podium.channels.shopify_payloads import refund_from_shopify

    refund = refund_from_shopify(
        {
            "id": 1,
            "order_id": 2,
            "refund_line_items": ["x", {"line_item_id": 3, "quantity": 1, "line_item": "y"}],
            "transactions": [
                {"kind": "refund", "status": "success", "amount": "1.000", "currency": "KWD"}
            ],
        }
    )
    assert refund.amount == 1000 and refund.currency == "KWD"
    assert [ln["line_item_id"] for ln in refund.lines] == ["3"]
