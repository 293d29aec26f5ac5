"""WooCommerce payloads: the published REST examples and our own webhook bodies."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest

from conftest import SHARED
from fakes.channels.woocommerce import woo_webhook
from podium.channels.connector import BadSignature
from podium.channels.http import Caller
from podium.channels.settings import WooCommerceSettings
from podium.channels.woocommerce import WooCommerceConnector, order_from_woo, refund_from_woo

FIXTURES = SHARED / "fixtures" / "channels" / "woocommerce"


def _published(name: str) -> Any:
    if not FIXTURES.is_dir():
        pytest.skip("shared/fixtures is not present")
    return json.loads((FIXTURES / name).read_text())


def _settings() -> WooCommerceSettings:
    return WooCommerceSettings(
        site_url="http://127.0.0.1:1",
        consumer_key="ck",
        consumer_secret="cs",
        webhook_secret="wh-secret",
    )


def test_the_published_order_parses_with_exact_money_and_utc_dates() -> None:
    order = order_from_woo(_published("order_retrieve_response_v3.json"))
    assert order.external_id == "727"
    assert order.lines[0].unit_price == 300  # subtotal "6.00" over 2, not the float price
    assert order.lines[0].sku == "wc:93"  # the fixture's SKU is empty
    assert order.shipping == 1000 and order.tax == 135 and order.total == 2935
    assert order.updated_at is not None and order.updated_at.isoformat().startswith(
        "2017-03-22T19:28:08"
    )  # date_modified_gmt, not the site-local date_modified
    assert order.address["postal_code"] == "94103"
    assert not order.cancelled


def test_every_order_in_the_published_list_parses() -> None:
    orders = [order_from_woo(o) for o in _published("orders_list_response_v3.json")]
    assert [o.currency for o in orders] == ["USD", "USD"]
    assert all(o.lines for o in orders)


@pytest.mark.parametrize(
    "name", ["order_refund_retrieve_response_v3.json", "order_refunds_list_response_v3.json"]
)
def test_every_published_refund_parses(name: str) -> None:
    data = _published(name)
    for item in data if isinstance(data, list) else [data]:
        refund = refund_from_woo(item)
        assert refund.external_id == "723"
        assert refund.amount > 0
        assert all(line["quantity"] >= 0 for line in refund.lines)  # refund lines are negative


def test_the_first_ping_is_recognised_without_json() -> None:
    connector = WooCommerceConnector(Caller())
    delivery = connector.verify(_settings(), {}, b"webhook_id=12")
    assert delivery.topic == "ping"


def test_a_bad_woo_signature_is_refused() -> None:
    connector = WooCommerceConnector(Caller())
    body, headers = woo_webhook("order.created", {"id": 1}, "other-secret")
    with pytest.raises(BadSignature):
        connector.verify(_settings(), {k.lower(): v for k, v in headers.items()}, body)
    body, headers = woo_webhook("order.created", {"id": 1}, "wh-secret", "d1")
    ok = connector.verify(_settings(), {k.lower(): v for k, v in headers.items()}, body)
    digest = hashlib.sha256(body).hexdigest()
    assert ok.topic == "order.created" and ok.delivery_id == f"12:d1:{digest}"


def test_a_cancelled_status_cancels() -> None:
    data = _published("order_retrieve_response_v3.json") | {"status": "cancelled"}
    assert order_from_woo(data).cancelled
