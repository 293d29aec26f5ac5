"""Channels fill the risk facts of an intake: billing address, the shopper's IP, and the
platform's own verdict (issue 15), from the platforms' documented payloads."""

from __future__ import annotations

import json
from typing import Any

import pytest

from conftest import SHARED
from podium.channels.intake_body import intake_for
from podium.channels.shopify import order_from_shopify
from podium.channels.woocommerce_payloads import order_from_woo

FIXTURES = SHARED / "fixtures" / "channels"


def fixture(path: str) -> Any:
    if not FIXTURES.is_dir():
        pytest.skip("shared/fixtures is not present")
    return json.loads((FIXTURES / path).read_text())


def test_shopify_billing_address_and_browser_ip() -> None:
    data = fixture("shopify/order_get_by_id_2024-04_docs_example.json")
    data["order"]["browser_ip"] = "198.51.100.20"
    order = order_from_shopify(data)
    assert order.billing_address["country"] == "US"
    assert order.billing_address["postal_code"] == "40202"
    assert order.client_ip == "198.51.100.20"
    intake = intake_for("shop", order, {})
    assert intake.billing_address is not None and intake.billing_address.city == "Louisville"
    assert intake.client_ip == "198.51.100.20"


def test_shopify_ip_from_client_details() -> None:
    data = fixture("shopify/order_get_by_id_2024-04_docs_example.json")
    data["order"].pop("browser_ip")
    data["order"]["client_details"]["browser_ip"] = "2001:DB8::1"
    assert intake_for("shop", order_from_shopify(data), {}).client_ip == "2001:db8::1"


def test_a_malformed_ip_is_dropped_not_the_order() -> None:
    data = fixture("shopify/order_get_by_id_2024-04_docs_example.json")
    data["order"]["browser_ip"] = "not-an-ip"
    order = order_from_shopify(data)
    intake = intake_for("shop", order, {})
    assert intake.client_ip is None
    assert any("client_ip" in n for n in order.notes)


def test_shopify_order_risks_give_the_channel_verdict() -> None:
    data = fixture("shopify/order_get_by_id_2024-04_docs_example.json")
    data["order"]["risks"] = [
        {"recommendation": "accept", "message": "fine"},
        {"recommendation": "cancel", "message": "card was declined several times"},
    ]
    intake = intake_for("shop", order_from_shopify(data), {})
    assert intake.channel_risk == "high"
    assert intake.channel_risk_detail is not None
    assert "declined" in intake.channel_risk_detail
    data["order"]["risks"] = []
    data["order"]["risk"] = {"recommendation": "INVESTIGATE"}
    assert intake_for("shop", order_from_shopify(data), {}).channel_risk == "medium"


def test_woocommerce_billing_and_customer_ip() -> None:
    data = fixture("woocommerce/order_retrieve_response_v3.json")
    data["customer_ip_address"] = "203.0.113.9"
    order = order_from_woo(data)
    intake = intake_for("woo", order, {})
    assert intake.billing_address is not None
    assert (intake.billing_address.line1, intake.billing_address.postal_code) == (
        "969 Market",
        "94103",
    )
    assert intake.client_ip == "203.0.113.9"
    data["customer_ip_address"] = ""
    assert intake_for("woo", order_from_woo(data), {}).client_ip is None
