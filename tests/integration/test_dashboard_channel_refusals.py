"""The channel page lists the pushes a platform refused item by item, with the platform's own
code and message (a WooCommerce batch answered 200 with a per-item error)."""

from __future__ import annotations

from dashboard_support import cheap_passwords, sign_in
from fastapi import FastAPI

from channel_support import drain
from fakes.channels.woocommerce import FakeWooCommerce
from podium.bootstrap import Podium
from support import Api, seed_store


def test_the_channel_page_shows_each_refused_push_and_why(api: Api, podium: Podium) -> None:
    with FakeWooCommerce(products=("93",)) as fake:
        seed_store(api, {("TEE-M", "EAST"): 8, ("MUG", "EAST"): 3})
        settings = {
            "site_url": fake.url,
            "consumer_key": "ck_test",
            "consumer_secret": "cs_test",
            "webhook_secret": "wh",
        }
        api.ok(
            "post",
            "/channels",
            {"code": "woo", "name": "Woo", "type": "woocommerce", "settings": settings},
        )
        for sku, remote in (("TEE-M", "93"), ("MUG", "22:404")):
            r = api.client.put(
                f"/api/v1/channels/woo/listings/{sku}",
                json={"remote_id": remote},
                headers=api.headers(),
            )
            assert r.status_code == 200, r.text
        drain(podium)
        assert fake.stock == {"93": 8}
    assert isinstance(api.client.app, FastAPI)
    browser = sign_in(cheap_passwords(api.client.app), podium, "readonly")
    page = browser.get("/channels/woo").text
    assert 'id="failed-pushes"' in page
    assert "MUG" in page and "woocommerce_rest_product_variation_invalid_id: Invalid ID." in page
