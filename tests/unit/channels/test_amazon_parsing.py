"""Amazon SP-API payloads: the published examples and sandbox pairs, money never assumed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import SHARED
from podium.channels.amazon import order_from_amazon
from podium.channels.amazon_payloads import amazon_carrier
from podium.errors import ValidationFailed

FIXTURES = SHARED / "fixtures" / "channels" / "amazon_sp_api"


def _published(name: str) -> Any:
    if not FIXTURES.is_dir():
        pytest.skip("shared/fixtures is not present")
    return json.loads((FIXTURES / name).read_text())


def test_the_jpy_gbp_item_is_captured_without_guessing_and_flagged() -> None:
    items = _published("getOrderItems_200_example.json")["payload"]["OrderItems"]
    order = order_from_amazon({"AmazonOrderId": "903-1671087-0812628"}, items)
    assert order.currency == "JPY"  # no OrderTotal: the first item's currency
    assert [ln.sku for ln in order.lines] == ["CBA_OTF_1", "CBA_OTF_5"]
    assert [ln.quantity for ln in order.lines] == [1, 2]
    assert order.review is not None
    assert "25.99" in order.review  # not an amount of JPY: left out, not rounded
    assert "GBP" in order.review  # gift wrap in another currency: left out, not converted
    assert order.address == {"country": "US"}  # restricted address: the marketplace default


def test_every_published_order_list_parses() -> None:
    listed = _published("getOrders_200_example.json")["payload"]["Orders"]
    sandbox = [
        pair["response"]["payload"]["Orders"]
        for pair in _published("getOrders_200_sandbox_static.json")
        if "Orders" in pair["response"].get("payload", {})
    ]
    for raw in listed + [o for page in sandbox for o in page]:
        order = order_from_amazon(raw, [])
        assert order.external_id == raw["AmazonOrderId"]
        assert order.updated_at is not None


def test_the_sandbox_order_with_items_prices_exactly() -> None:
    raw = _published("getOrders_200_sandbox_static.json")[0]["response"]["payload"]["Orders"][0]
    items = _published("getOrderItems_200_sandbox_static.json")[0]["response"]["payload"][
        "OrderItems"
    ]
    order = order_from_amazon(raw, items)
    assert order.currency == "USD"
    assert order.lines[0].unit_price == 1000 and order.tax == 101
    assert order.total == 1101
    assert order.notes == []  # the money reads exactly
    # the sandbox order carries no address (restricted data): held for it, not lost
    assert order.review_reason == "address" and order.review is not None


def test_item_price_is_the_line_total() -> None:
    raw = {
        "AmazonOrderId": "1",
        "OrderTotal": {"CurrencyCode": "KWD", "Amount": "3.000"},
        "OrderStatus": "Unshipped",
    }
    items = [
        {
            "SellerSKU": "MUG",
            "QuantityOrdered": 3,
            "ItemPrice": {"CurrencyCode": "KWD", "Amount": "3.000"},
            "IsGift": "false",
        }
    ]
    order = order_from_amazon(raw, items)
    assert order.lines[0].unit_price == 1000  # 1.000 KWD each, three decimals
    assert order.notes == []


def test_a_canceled_order_cancels() -> None:
    raw = {
        "AmazonOrderId": "2",
        "OrderStatus": "Canceled",
        "LastUpdateDate": "2026-01-01T00:00:00Z",
    }
    assert order_from_amazon(raw, []).cancelled


SAMPLES = Path(__file__).resolve().parents[2] / "channel_samples" / "amazon"


def _sample(name: str) -> Any:
    return json.loads((SAMPLES / name).read_text())


def _orders(name: str) -> list[dict[str, Any]]:
    orders: list[dict[str, Any]] = _sample(name)["payload"]["Orders"]
    return orders


def test_an_fba_sale_is_handed_over_by_amazon_and_needs_no_address() -> None:
    raw = _orders("getOrders_afn_shipped.json")[0]
    items = _sample("getOrderItems_afn.json")["payload"]["OrderItems"]
    order = order_from_amazon(raw, items)
    assert order.handed_over == "by_channel"
    assert not order.only_if_known  # a sale to record even though Amazon shipped it
    assert order.review is None  # nothing to ship, so no address to wait for
    assert order.lines[0].line_id == "53210987654321"
    assert order.total == 3198 and order.tax == 200


def test_a_restricted_data_token_brings_buyer_and_street_address() -> None:
    order = order_from_amazon(_orders("getOrders_mfn_with_rdt.json")[0], [])
    assert order.name == "Ann Example"
    assert order.email == "3xq7k2m9zzvq@marketplace.amazon.com"
    assert order.address["line1"] == "1 Main St" and order.address["postal_code"] == "78701"
    assert order.review is None and order.handed_over is None and not order.only_if_known


def test_without_an_rdt_the_order_is_captured_and_held_for_its_address() -> None:
    order = order_from_amazon(
        _orders("getOrders_mfn_without_rdt.json")[0], [], restricted_refused=True
    )
    assert order.address == {
        "city": "Austin",
        "region": "TX",
        "postal_code": "78701",
        "country": "US",
    }
    assert order.review_reason == "address"
    assert order.review is not None and "Restricted Data Token" in order.review


def test_shipped_cancelled_and_unfulfillable_orders_are_no_new_work() -> None:
    parsed = [order_from_amazon(raw, []) for raw in _orders("getOrders_news_only.json")]
    assert [o.only_if_known for o in parsed] == [True, True, True]
    assert [o.cancelled for o in parsed] == [False, True, False]
    assert all(o.review is None for o in parsed)  # no address hold on news


def test_bad_input_is_captured_with_its_problems_never_refused() -> None:
    long_id, odd_currency = _orders("getOrders_bad_input.json")
    items: list[dict[str, Any]] = [
        {"OrderItemId": "1", "SellerSKU": "MUG", "QuantityOrdered": "two", "IsGift": "false"},
        {
            "OrderItemId": "2",
            "SellerSKU": "TEE",
            "QuantityOrdered": "1",
            "ItemPrice": {"CurrencyCode": "GBP", "Amount": "9.50"},
        },
    ]
    order = order_from_amazon(long_id, items)
    assert order.external_id == long_id["AmazonOrderId"]
    assert order.total is None  # no OrderTotal: nothing to compare, nothing invented
    assert [(ln.sku, ln.quantity, ln.unit_price) for ln in order.lines] == [("TEE", 1, 950)]
    assert order.currency == "GBP" and order.address["country"] == "GB"
    assert order.placed_at is not None  # epoch seconds as a string
    unknown = order_from_amazon(odd_currency, [])
    assert unknown.currency == "USD"  # the marketplace's; the amount is left out, not guessed
    assert unknown.total is None or unknown.total == 0
    assert unknown.review_reason == "payment" and unknown.review is not None
    assert "XBT" in unknown.review


def test_an_order_without_an_id_is_refused_as_a_payload_not_a_crash() -> None:
    with pytest.raises(ValidationFailed):
        order_from_amazon({"OrderStatus": "Unshipped"}, [])


@pytest.mark.parametrize(
    ("label_name", "account", "code", "name"),
    [
        ("USPS", "easypost-main", "USPS", None),
        (None, "ups", "UPS", None),
        (None, "fedex-smartpost-east", "FedEx SmartPost", None),
        ("DHLExpress", None, "DHL", None),
        ("CanadaPost", None, "Canada Post", None),
        ("Podium Table Rate", "podium", "Other", "Podium Table Rate"),
        (None, "acme-couriers", "Other", "acme-couriers"),
        (None, None, "Other", "Unspecified"),
    ],
)
def test_podium_carriers_map_to_amazon_carrier_codes(
    label_name: str | None, account: str | None, code: str, name: str | None
) -> None:
    assert amazon_carrier(label_name, account) == (code, name)
