"""Amazon SP-API payloads: the published examples and sandbox pairs, money never assumed."""

from __future__ import annotations

import json
from typing import Any

import pytest

from conftest import SHARED
from podium.channels.amazon import order_from_amazon

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
