"""Shopify payloads: published fixtures and our own, parsed exactly; signatures checked."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from channel_support import SECRET, shopify_order
from conftest import SHARED
from fakes.channels.base import sign_b64
from podium.channels.connector import BadSignature
from podium.channels.http import Caller
from podium.channels.model import exact_minor
from podium.channels.settings import ShopifySettings
from podium.channels.shopify import ShopifyConnector, order_from_shopify, refund_from_shopify
from podium.inventory.availability import Availability, published_quantity

FIXTURES = SHARED / "fixtures" / "channels" / "shopify"


def _settings(**kw: Any) -> ShopifySettings:
    base = {
        "shop_url": "http://127.0.0.1:1",
        "access_token": "t",
        "webhook_secret": SECRET,
        "location_id": "1",
    }
    return ShopifySettings.model_validate({**base, **kw})


def _published(name: str) -> Any:
    if not FIXTURES.is_dir():
        pytest.skip("shared/fixtures is not present")
    return json.loads((FIXTURES / name).read_text())


@pytest.mark.parametrize(
    "name", ["python_api_order.json", "order_get_by_id_2024-04_docs_example.json"]
)
def test_every_published_shopify_order_parses_exactly(name: str) -> None:
    order = order_from_shopify(_published(name))
    assert order.external_id == "450789469"
    assert order.currency == "USD"
    assert all(ln.quantity >= 1 and ln.unit_price == 19900 for ln in order.lines)
    assert order.address["country"] == "US" and order.address["postal_code"] == "40202"
    assert isinstance(order.address["latitude"], float)  # string in one file, number in other
    assert order.tax == 1194


def test_the_docs_order_keeps_its_discount_and_total() -> None:
    order = order_from_shopify(_published("order_get_by_id_2024-04_docs_example.json"))
    assert order.discount == 1000
    assert order.total == 59894
    assert order.review is None


@pytest.mark.parametrize(
    "name",
    [
        "python_api_refund.json",
        "refund_create_response_2024-04_docs_example.json",
        "refund_get_2024-04_docs_example.json",
    ],
)
def test_every_published_shopify_refund_parses(name: str) -> None:
    refund = refund_from_shopify(_published(name))
    assert refund.external_id == "450789469"
    assert refund.amount >= 0
    assert refund.lines


def test_ids_beyond_two_to_the_53_stay_exact_strings() -> None:
    order = order_from_shopify(shopify_order(2**60 + 1, [("TEE-M", 1, "10.00")]))
    assert order.external_id == str(2**60 + 1)
    assert order.lines[0].remote_id == str(40_000_000_000_000_000)


@pytest.mark.parametrize(
    ("currency", "price", "minor"),
    [("JPY", "1500", 1500), ("USD", "19.99", 1999), ("KWD", "1.234", 1234)],
)
def test_money_uses_each_currencys_minor_unit(currency: str, price: str, minor: int) -> None:
    payload = shopify_order(1, [("TEE-M", 2, price)], currency=currency, shipping="0")
    order = order_from_shopify(payload)
    assert order.lines[0].unit_price == minor
    assert order.review is None


def test_an_amount_the_currency_cannot_hold_is_flagged_not_rounded() -> None:
    order = order_from_shopify(shopify_order(1, [("TEE-M", 1, "25.99")], currency="JPY"))
    assert order.lines[0].unit_price == 0
    assert order.review and "25.99" in order.review


def test_a_line_without_a_sku_gets_a_stable_stand_in() -> None:
    payload = shopify_order(1, [("x", 1, "1.00")])
    payload["line_items"][0]["sku"] = None
    assert order_from_shopify(payload).lines[0].sku == f"variant:{40_000_000_000_000_000}"


def test_signature_checks_the_raw_body_and_accepts_the_previous_secret() -> None:
    connector = ShopifyConnector(Caller())
    body = b'{"id": 1}'
    headers = {
        "x-shopify-topic": "orders/create",
        "x-shopify-webhook-id": "d-1",
        "x-shopify-hmac-sha256": sign_b64("old-secret", body),
    }
    with pytest.raises(BadSignature):
        connector.verify(_settings(), headers, body)
    rotated = _settings(previous_webhook_secret="old-secret")
    assert connector.verify(rotated, headers, body).delivery_id == "d-1"
    with pytest.raises(BadSignature):
        connector.verify(rotated, headers, body + b" ")


@given(
    available=st.integers(0, 10_000),
    buffer=st.integers(0, 100),
    percent=st.integers(0, 100),
    cap=st.none() | st.integers(0, 500),
)
def test_published_is_never_negative_never_above_cap_or_available(
    available: int, buffer: int, percent: int, cap: int | None
) -> None:
    rules = Availability(buffer=buffer, buffer_percent=percent, cap=cap)
    told = published_quantity(available, rules)
    assert 0 <= told <= available
    assert cap is None or told <= cap
    if available <= buffer:
        assert told == 0


@given(st.integers(-(10**12), 10**12), st.sampled_from(["JPY", "USD", "KWD"]))
def test_exact_minor_round_trips_every_amount(minor: int, currency: str) -> None:
    from podium.money import format_amount

    assert exact_minor(format_amount(minor, currency), currency) == minor
