"""The shop the crash test runs on, seeded over REST: a manual ``web`` channel for API orders,
a Shopify and a WooCommerce channel listing every SKU on the fake shops, a webhook
subscription to order and shipment events; and the platforms' order payloads."""

from __future__ import annotations

from typing import Any

import httpx

from chaos_procs import Outside
from support import seed_http

SECRET = "chaos-webhook-secret"
STOCK = 100_000
SHOP_LOCATION = "1"


def shop_remote(i: int) -> str:
    return str(1000 + i)


def woo_remote(i: int) -> str:
    return str(200 + i)


def seed(client: httpx.Client, world: Outside, skus: list[str]) -> None:
    """Everything the load needs, over the REST API (``client``'s base URL ends in /api/v1)."""
    seed_http(client, {(sku, "EAST"): STOCK for sku in skus}, warehouses=("EAST",))

    def ok(r: httpx.Response) -> Any:
        assert r.status_code < 300, f"{r.request.method} {r.request.url}: {r.text}"
        return r.json()

    shop = {
        "shop_url": world.shopify.url,
        "access_token": world.shopify.token,
        "webhook_secret": SECRET,
        "location_id": SHOP_LOCATION,
    }
    woo = {
        "site_url": world.woo.url,
        "consumer_key": world.woo.key,
        "consumer_secret": world.woo.secret,
        "webhook_secret": SECRET,
    }
    for code, kind, settings in (("shop", "shopify", shop), ("woo", "woocommerce", woo)):
        body = {"code": code, "name": code, "type": kind, "settings": settings}
        ok(client.post("/channels", json=body))
    for i, sku in enumerate(skus):
        world.woo.products.add(woo_remote(i))
        ok(client.put(f"/channels/shop/listings/{sku}", json={"remote_id": shop_remote(i)}))
        ok(client.put(f"/channels/woo/listings/{sku}", json={"remote_id": woo_remote(i)}))
    hook = {"url": world.receiver.url, "event_types": ["order.*", "shipment.*"]}
    ok(client.post("/webhooks", json=hook))


def shopify_order(n: int, sku: str) -> dict[str, Any]:
    return {
        "id": 7_000_000_000_000 + n,
        "name": f"#C{n}",
        "email": f"shop{n}@example.com",
        "currency": "USD",
        "updated_at": "2026-11-20T10:00:00Z",
        "financial_status": "paid",
        "total_price": "10.00",
        "shipping_address": {"country_code": "US", "zip": "10001", "city": "New York"},
        "line_items": [
            {"id": n, "variant_id": n, "sku": sku, "name": sku, "quantity": 1, "price": "10.00"}
        ],
    }


def woo_order(n: int, sku: str) -> dict[str, Any]:
    return {
        "id": 800_000 + n,
        "number": str(800_000 + n),
        "status": "processing",
        "currency": "USD",
        "date_created_gmt": "2026-11-20T10:00:00",
        "date_modified_gmt": "2026-11-20T10:00:00",
        "discount_total": "0.00",
        "shipping_total": "0.00",
        "total_tax": "0.00",
        "total": "5.00",
        "billing": {"email": f"woo{n}@example.com", "country": "US"},
        "shipping": {
            "first_name": "Ann",
            "address_1": "1 Main",
            "city": "Austin",
            "state": "TX",
            "postcode": "78701",
            "country": "US",
        },
        "line_items": [
            {
                "id": 1,
                "name": sku,
                "product_id": 93,
                "variation_id": 0,
                "quantity": 1,
                "subtotal": "5.00",
                "total": "5.00",
                "sku": sku,
                "price": 5,
            }
        ],
    }
