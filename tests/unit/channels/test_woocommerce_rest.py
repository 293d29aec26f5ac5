"""WooCommerce's REST API as it really behaves: per-item batch errors, the 100-item batch limit,
query-string auth over HTTPS only, secrets kept out of errors and logs; and the webhook facts
(order.deleted, delivery ids unique only per second, tax-inclusive orders)."""

from __future__ import annotations

import hashlib
import logging
from typing import Any

import httpx
import pytest

from fakes.channels.woocommerce import FakeWooCommerce, woo_webhook
from podium.channels.connector import PlatformError
from podium.channels.http import Caller
from podium.channels.model import ChannelCancellation, LevelPush
from podium.channels.registry import validate_settings
from podium.channels.settings import WooCommerceSettings
from podium.channels.woocommerce import WooCommerceConnector
from podium.channels.woocommerce_payloads import cancellation_from_woo, order_from_woo
from podium.errors import ValidationFailed

SITE = "https://shop.example"


def _settings(**changes: Any) -> WooCommerceSettings:
    base = {
        "site_url": SITE,
        "consumer_key": "ck_live_0123456789",
        "consumer_secret": "cs_live_9876543210",
        "webhook_secret": "wh-secret",
    }
    return WooCommerceSettings.model_validate(base | changes)


def _shop(products: tuple[str, ...] = ("93", "22:317")) -> FakeWooCommerce:
    return FakeWooCommerce("ck_live_0123456789", "cs_live_9876543210", products)


def _connector(fake: FakeWooCommerce) -> WooCommerceConnector:
    client = httpx.Client(transport=fake.transport())
    return WooCommerceConnector(Caller(client, sleep=lambda _: None))


def _push(sku: str, remote: str, quantity: int) -> LevelPush:
    return LevelPush(sku, remote, None, quantity, None)


def _swap(pair: tuple[bytes, dict[str, str]]) -> tuple[dict[str, str], bytes]:
    return pair[1], pair[0]


def _headers(topic: str, payload: Any, delivery: str) -> tuple[bytes, dict[str, str]]:
    body, headers = woo_webhook(topic, payload, "wh-secret", delivery)
    return body, {k.lower(): v for k, v in headers.items()}


# --- 13: per-item batch errors ----------------------------------------------------------------


def test_a_batch_item_woocommerce_refuses_is_failed_with_its_code_and_not_pushed() -> None:
    fake = _shop()
    result = _connector(fake).push(
        "woo",
        _settings(),
        [_push("TEE-M", "93", 5), _push("GONE", "404", 1), _push("MUG", "22:317", 2)],
    )
    assert result.failed == {"GONE": "woocommerce_rest_product_invalid_id: Invalid ID."}
    assert result.accepted == ["TEE-M", "MUG"]
    assert fake.stock == {"93": 5, "22:317": 2}


def test_a_refused_variation_names_the_variation_code() -> None:
    fake = _shop()
    result = _connector(fake).push(
        "woo", _settings(), [_push("MUG", "22:317", 4), _push("MUG-XL", "22:999", 1)]
    )
    assert result.failed == {"MUG-XL": "woocommerce_rest_product_variation_invalid_id: Invalid ID."}
    assert fake.stock == {"22:317": 4}


def test_an_unreadable_listing_id_fails_that_sku_without_a_call() -> None:
    fake = _shop()
    result = _connector(fake).push("woo", _settings(), [_push("ODD", "abc", 1)])
    assert "ODD" in result.failed and result.accepted == []
    assert fake.requests == 0


def test_more_than_100_items_go_in_calls_of_at_most_100() -> None:
    ids = tuple(str(n) for n in range(1000, 1250))
    fake = _shop(ids)
    result = _connector(fake).push("woo", _settings(), [_push(f"S{n}", n, 1) for n in ids])
    assert result.failed == {} and len(fake.stock) == 250
    assert fake.requests == 3  # 100 + 100 + 50; a 101-item batch is a 413


def test_the_fake_refuses_a_batch_over_the_limit_like_woocommerce() -> None:
    fake = _shop(tuple(str(n) for n in range(101)))
    reply = fake.route(
        "POST",
        "/wp-json/wc/v3/products/batch",
        {},
        {"authorization": fake.auth},
        b'{"update": [' + b",".join(b'{"id": %d}' % n for n in range(101)) + b"]}",
    )
    assert reply.status == 413
    assert reply.body["code"] == "woocommerce_rest_request_entity_too_large"


# --- 16: query-string auth, HTTPS only, secrets never shown -----------------------------------


def test_query_auth_sends_the_key_as_query_parameters_and_no_authorization() -> None:
    fake = _shop()
    _connector(fake).push("woo", _settings(auth="query"), [_push("TEE-M", "93", 3)])
    assert fake.stock == {"93": 3}
    assert fake.seen_queries[-1]["consumer_key"] == ["ck_live_0123456789"]


def test_basic_auth_stays_the_default() -> None:
    fake = _shop()
    assert _settings().auth == "basic"
    _connector(fake).push("woo", _settings(), [_push("TEE-M", "93", 3)])
    assert "consumer_key" not in fake.seen_queries[-1]


def test_query_auth_is_refused_for_an_http_site_naming_the_field() -> None:
    with pytest.raises(ValidationFailed) as refused:
        validate_settings(
            "woocommerce",
            {
                "site_url": "http://shop.example",
                "consumer_key": "ck",
                "consumer_secret": "cs",
                "webhook_secret": "wh",
                "auth": "query",
            },
        )
    assert refused.value.status == 422 and refused.value.code == "invalid_settings"
    assert refused.value.details["field"] == "settings.auth"


def test_woocommerce_refuses_basic_and_query_auth_over_plain_http() -> None:
    fake = _shop()
    connector = _connector(fake)
    with pytest.raises(PlatformError) as refused:
        connector.push("woo", _settings(site_url="http://shop.example"), [_push("T", "93", 1)])
    assert "401" in refused.value.message
    assert fake.stock == {}


@pytest.mark.parametrize("auth", ["basic", "query"])
def test_a_wrong_secret_is_a_401_whose_error_never_shows_a_secret(
    auth: str, caplog: pytest.LogCaptureFixture
) -> None:
    fake = _shop()
    settings = _settings(auth=auth, consumer_secret="cs_wrong_secret_42")
    with caplog.at_level(logging.DEBUG), pytest.raises(PlatformError) as refused:
        _connector(fake).push("woo", settings, [_push("TEE-M", "93", 1)])
    shown = f"{refused.value.message} {refused.value.details} {refused.value} {caplog.text}"
    assert "401" in refused.value.message and "Consumer secret is invalid" in shown
    assert "cs_wrong_secret_42" not in shown and "ck_live_0123456789" not in shown


def test_request_logs_never_show_query_credentials(caplog: pytest.LogCaptureFixture) -> None:
    fake = _shop()
    with caplog.at_level(logging.INFO, logger="httpx"):
        _connector(fake).push("woo", _settings(auth="query"), [_push("TEE-M", "93", 2)])
    assert "HTTP Request" in caplog.text  # httpx logged the call…
    assert "cs_live_9876543210" not in caplog.text  # …without the key
    assert "ck_live_0123456789" not in caplog.text


# --- 14 and 15: webhooks ------------------------------------------------------------------------


def test_order_deleted_is_a_cancellation_of_the_trashed_order() -> None:
    connector = WooCommerceConnector(Caller())
    for body in (b'{"id": 727}', b'{"id": "727"}'):
        assert connector.parse("order.deleted", body) == ChannelCancellation("727", "trash")
    with pytest.raises(ValidationFailed):
        cancellation_from_woo({"id": None})
    with pytest.raises(ValidationFailed):
        cancellation_from_woo([727])


def test_a_trash_status_on_an_updated_order_cancels() -> None:
    order = order_from_woo(
        {"id": 5, "currency": "USD", "status": "trash", "total": "0.00", "line_items": []}
    )
    assert order.cancelled and order.status == "trash"


def test_deliveries_sharing_an_id_in_one_second_differ_by_their_body() -> None:
    connector = WooCommerceConnector(Caller())
    settings = _settings()
    first = connector.verify(settings, *_swap(_headers("order.updated", {"id": 1}, "d1")))
    other = connector.verify(settings, *_swap(_headers("order.updated", {"id": 2}, "d1")))
    again = connector.verify(settings, *_swap(_headers("order.updated", {"id": 1}, "d1")))
    assert first.delivery_id != other.delivery_id
    assert first.delivery_id == again.delivery_id
    assert first.delivery_id == "12:d1:" + hashlib.sha256(b'{"id": 1}').hexdigest()


def test_a_huge_delivery_id_still_fits_the_deliveries_table() -> None:
    connector = WooCommerceConnector(Caller())
    delivery = connector.verify(_settings(), *_swap(_headers("order.updated", {}, "x" * 500)))
    assert len(delivery.delivery_id) <= 200


# --- tax-inclusive shops -------------------------------------------------------------------------

# The documented order shape (woocommerce-rest-api-docs, orders), from a shop whose prices
# include 20 % VAT: line subtotal/total stay before tax, with their tax beside them.
TAX_INCLUSIVE = {
    "id": 812,
    "number": "812",
    "status": "processing",
    "currency": "EUR",
    "prices_include_tax": True,
    "date_created_gmt": "2026-11-20T10:00:00",
    "date_modified_gmt": "2026-11-20T10:00:00",
    "discount_total": "0.00",
    "discount_tax": "0.00",
    "shipping_total": "4.17",
    "shipping_tax": "0.83",
    "cart_tax": "4.00",
    "total": "29.00",
    "total_tax": "4.83",
    "billing": {"email": "eva@example.com", "country": "DE"},
    "shipping": {"first_name": "Eva", "city": "Berlin", "postcode": "10115", "country": "DE"},
    "line_items": [
        {
            "id": 901,
            "name": "Tee",
            "product_id": 93,
            "variation_id": 0,
            "quantity": 2,
            "subtotal": "20.00",
            "subtotal_tax": "4.00",
            "total": "20.00",
            "total_tax": "4.00",
            "sku": "TEE-M",
            "price": 10,
        }
    ],
}


def test_a_tax_inclusive_order_reads_with_tax_inclusive_prices_and_the_orders_total() -> None:
    order = order_from_woo(TAX_INCLUSIVE)
    assert order.taxes_included
    assert order.lines[0].unit_price == 1200  # 10.00 + 2.00 VAT: what the shopper paid
    assert order.shipping == 500 and order.tax == 483 and order.total == 2900
    assert not any("≠" in n for n in order.notes)  # lines + shipping = total, tax inside


def test_a_tax_exclusive_order_is_unchanged() -> None:
    order = order_from_woo(TAX_INCLUSIVE | {"prices_include_tax": False, "total": "29.00"})
    assert not order.taxes_included
    assert order.lines[0].unit_price == 1000 and order.shipping == 417 and order.tax == 483


def test_reading_levels_shows_nothing_for_a_product_gone_from_the_shop() -> None:
    fake = _shop()
    fake.stock["93"] = -2  # backordered in WooCommerce
    shown = _connector(fake).read_levels(
        "woo",
        _settings(),
        [_push("TEE-M", "93", 0), _push("GONE", "404", 0), _push("ODD", "93/../x", 0)],
    )
    assert shown == {"TEE-M": -2, "GONE": None, "ODD": None}


def test_the_fake_refuses_what_woocommerces_routes_refuse() -> None:
    fake = _shop()
    auth = {"authorization": fake.auth}
    batch = fake.route(
        "POST", "/wp-json/wc/v3/products/batch", {}, auth, b'{"update": [{"id": "93"}]}'
    )
    assert batch.status == 400 and batch.body["code"] == "rest_invalid_param"
    status = fake.route("PUT", "/wp-json/wc/v3/orders/5", {}, auth, b'{"status": "shipped"}')
    assert status.status == 400
    note = fake.route("POST", "/wp-json/wc/v3/orders/5/notes", {}, auth, b"{}")
    assert note.status == 400


def test_an_html_page_answered_200_is_a_platform_error_not_a_crash() -> None:
    def html(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, text="<html>Checking your browser…</html>")

    connector = WooCommerceConnector(Caller(httpx.Client(transport=httpx.MockTransport(html))))
    with pytest.raises(PlatformError) as refused:
        connector.push("woo", _settings(auth="query"), [_push("TEE-M", "93", 1)])
    assert "not JSON" in refused.value.message
    assert "cs_live_9876543210" not in refused.value.message
