"""A Shopify order's whole round trip against the fake Admin API over real HTTP (2026-04 schema
enforced): captured from its webhook with Shopify's line ids, shipped and reported by line id
(even a line Shopify sent without a SKU), refunded in Podium and so refunded on Shopify once,
with Shopify's own ``refunds/create`` echo recognised instead of recorded a second time."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from channel_support import add_shopify_channel, drain, post_webhook, shopify_order
from fakes.channels.shopify import FakeShopify
from podium.bootstrap import Podium
from support import Api, seed_store

LINE = 1_000_000_000_000_000_000  # shopify_order's first line item id


@pytest.fixture
def shop(api: Api, podium: Podium) -> Iterator[FakeShopify]:
    with FakeShopify(token="tok-rt") as fake:
        seed_store(api, {("TEE-M", "EAST"): 10, ("MUG", "EAST"): 10}, warehouses=("EAST",))
        add_shopify_channel(api, "rt", fake)
        for sku, item in (("TEE-M", "501"), ("MUG", "502")):
            r = api.client.put(
                f"/api/v1/channels/rt/listings/{sku}",
                json={"remote_id": item, "remote_location_id": "1001"},
                headers=api.headers("operator"),
            )
            assert r.status_code == 200, r.text
        drain(podium)
        yield fake


def _ship_all(api: Api, order_id: str) -> None:
    for s in api.ok("get", f"/orders/{order_id}")["shipments"]:
        api.ok("post", f"/shipments/{s['id']}/ship", {"tracking_number": "1Z9"}, role="warehouse")


def test_a_podium_refund_is_made_on_shopify_once_and_its_echo_is_not_recorded_twice(
    api: Api, podium: Podium, shop: FakeShopify
) -> None:
    shop.add_order("31", [("TEE-M", 2)], paid="25.00")
    created = post_webhook(
        api, "rt", "orders/create", shopify_order(31, [("TEE-M", 2, "10.00")])
    ).json()
    order_id = created["order_id"]
    _ship_all(api, order_id)
    drain(podium)
    ret = api.ok(
        "post",
        f"/orders/{order_id}/returns",
        {"lines": [{"sku": "TEE-M", "quantity": 1, "reason": "size_fit"}]},
    )
    api.ok("post", f"/returns/{ret['id']}/approve")
    api.ok(
        "post",
        f"/returns/{ret['id']}/receive",
        {"lines": [{"sku": "TEE-M", "quantity": 1, "disposition": "restock"}]},
    )
    refund = api.ok("post", f"/returns/{ret['id']}/refund", {})
    drain(podium)
    drain(podium)  # a redelivered event must not refund twice
    assert len(shop.refunds) == 1
    made = shop.refunds[0]
    assert made["refundLineItems"] == [
        {
            "lineItemId": f"gid://shopify/LineItem/{LINE}",
            "quantity": 1,
            "restockType": "RETURN",
            "locationId": "gid://shopify/Location/1001",
        }
    ]
    assert sum(float(t["amount"]) for t in made["transactions"]) == float(refund["amount"])
    # Shopify then tells Podium about the refund it made: the same refund, not a second one.
    echo = {
        "id": 1,  # the fake's first refund: gid://shopify/Refund/1
        "order_id": 31,
        "created_at": "2026-11-21T10:00:00-05:00",
        "note": made.get("note"),
        "refund_line_items": [{"line_item_id": LINE, "quantity": 1, "line_item": {"sku": "TEE-M"}}],
        "transactions": [
            {"kind": "refund", "status": "success", "amount": refund["amount"], "currency": "USD"}
        ],
    }
    r = post_webhook(api, "rt", "refunds/create", echo)
    assert r.status_code in (200, 201, 202), r.text
    drain(podium)
    payments = api.ok("get", f"/orders/{order_id}/payments")
    assert payments["refunded"] == refund["amount"]
    timeline = api.ok("get", f"/orders/{order_id}/timeline")["items"]
    assert [e["type"] for e in timeline].count("channel.refund_received") <= 1
    assert len(shop.refunds) == 1


def test_a_line_shopify_sent_without_a_sku_is_fulfilled_on_shopify_by_its_line_id(
    api: Api, podium: Podium, shop: FakeShopify
) -> None:
    shop.add_order("32", [(None, 1)], paid="15.00")
    payload = shopify_order(32, [("MUG", 1, "10.00")])
    payload["line_items"][0]["sku"] = None
    created = post_webhook(api, "rt", "orders/create", payload).json()
    order_id = created["order_id"]
    assert api.ok("get", f"/orders/{order_id}")["status"] == "on_hold"
    variant = payload["line_items"][0]["variant_id"]
    r = api.client.put(
        "/api/v1/channels/rt/listings/MUG",
        json={"remote_id": "502", "remote_location_id": "1001", "remote_sku": f"variant:{variant}"},
        headers=api.headers("operator"),
    )
    assert r.status_code == 200, r.text
    api.ok("post", f"/orders/{order_id}/release", {}, role="operator")
    _ship_all(api, order_id)
    drain(podium)
    assert len(shop.fulfillments) == 1
    items = shop.fulfillments[0]["lineItemsByFulfillmentOrder"][0]["fulfillmentOrderLineItems"]
    assert items == [{"id": "gid://shopify/FulfillmentOrderLineItem/320", "quantity": 1}]
