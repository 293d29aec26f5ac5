"""A Shopify order's own tags are kept on the order Podium captures (issue 15), except tags
that would pose as Podium's own."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from channel_support import add_shopify_channel, post_webhook
from fakes.channels.shopify import FakeShopify
from podium.channels.shopify_payloads import shopify_tags
from support import Api, seed_store

SAMPLES = Path(__file__).parents[2] / "payloads" / "shopify"


@pytest.fixture
def shop() -> Iterator[FakeShopify]:
    with FakeShopify() as fake:
        yield fake


def test_shopify_tags_read_as_a_clean_list() -> None:
    assert shopify_tags(" vip, wholesale ,,vip, x\x00y") == ["vip", "wholesale"]
    assert shopify_tags(None) == []
    assert len(shopify_tags(",".join(f"t{i}" for i in range(100)))) == 40
    assert shopify_tags("a" * 80) == ["a" * 64]


def test_a_captured_order_keeps_the_shops_tags(api: Api, shop: FakeShopify) -> None:
    seed_store(api, {("TEE-M", "EAST"): 5, ("TEE-M", "WEST"): 5})
    add_shopify_channel(api, "shop", shop, settings={"locations": {"655441491": "WEST"}})
    payload: dict[str, Any] = json.loads((SAMPLES / "order_taxes_included.json").read_text())
    payload["tags"] = "vip, wholesale, payment:manual, handed_over:in_store"
    r = post_webhook(api, "shop", "orders/create", payload)
    assert r.status_code == 200, r.text
    order = api.ok("get", f"/orders/{r.json()['order_id']}")
    assert "vip" in order["tags"] and "wholesale" in order["tags"]
    assert "channel:shop" in order["tags"]
    assert "payment:manual" not in order["tags"]
    assert order["handed_over"] is None
