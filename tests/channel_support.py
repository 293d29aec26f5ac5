"""Helpers for the channel tests: Shopify payloads in the documented shape, channels on fake
platform servers, webhook posting and draining the relay."""

from __future__ import annotations

from typing import Any

from fakes.channels.shopify import FakeShopify, shopify_webhook
from podium.bootstrap import Podium
from support import Api

SECRET = "shpss_secret_0123456789"


def shopify_order(
    order_id: int | str,
    lines: list[tuple[str, int, str]],
    *,
    currency: str = "USD",
    updated_at: str = "2026-11-20T10:00:00-05:00",
    cancelled_at: str | None = None,
    shipping: str = "5.00",
    tax: str = "0.00",
    discounts: str = "0.00",
) -> dict[str, Any]:
    """An ``orders/create`` body as Shopify documents it (the parts Podium reads and more)."""
    subtotal = sum(int(q) * _minor(p) for _, q, p in lines)
    total = subtotal + _minor(shipping) + _minor(tax) - _minor(discounts)
    return {
        "id": int(order_id) if str(order_id).isdigit() else order_id,
        "admin_graphql_api_id": f"gid://shopify/Order/{order_id}",
        "name": f"#{str(order_id)[-4:]}",
        "email": "jane@example.com",
        "created_at": "2026-11-20T09:59:00-05:00",
        "processed_at": "2026-11-20T09:59:00-05:00",
        "updated_at": updated_at,
        "cancelled_at": cancelled_at,
        "cancel_reason": "customer" if cancelled_at else None,
        "currency": currency,
        "financial_status": "paid",
        "fulfillment_status": None,
        "total_price": _fmt(total),
        "subtotal_price": _fmt(subtotal),
        "total_tax": tax,
        "total_discounts": discounts,
        "customer": {"id": 115310627314723954, "first_name": "Jane", "last_name": "Doe"},
        "shipping_address": {
            "first_name": "Jane",
            "last_name": "Doe",
            "address1": "1 Pike St",
            "city": "Seattle",
            "province": "Washington",
            "province_code": "WA",
            "zip": "98101",
            "country": "United States",
            "country_code": "US",
            "latitude": "47.6097",
            "longitude": -122.3422,
            "name": "Jane Doe",
        },
        "shipping_lines": [{"code": "Standard", "price": shipping, "title": "Standard"}],
        "line_items": [
            {
                "id": 1_000_000_000_000_000_000 + i,
                "variant_id": 40_000_000_000_000_000 + i,
                "sku": sku,
                "name": f"Item {sku}",
                "title": f"Item {sku}",
                "quantity": qty,
                "current_quantity": qty,
                "price": price,
                "total_discount": "0.00",
            }
            for i, (sku, qty, price) in enumerate(lines)
        ],
    }


def _minor(amount: str) -> int:
    whole, _, frac = amount.partition(".")
    return int(whole) * 100 + int((frac + "00")[:2])


def _fmt(minor: int) -> str:
    return f"{minor // 100}.{minor % 100:02d}"


def add_shopify_channel(
    api: Api, code: str, fake: FakeShopify, *, location: str = "1001", **extra: Any
) -> dict[str, Any]:
    settings = {
        "shop_url": fake.url,
        "access_token": fake.token,
        "webhook_secret": SECRET,
        "location_id": location,
        **extra.pop("settings", {}),
    }
    body = {"code": code, "name": f"Shop {code}", "type": "shopify", "settings": settings, **extra}
    created: dict[str, Any] = api.ok("post", "/channels", body)
    return created


def post_webhook(api: Api, code: str, topic: str, payload: Any, **kw: Any) -> Any:
    secret = kw.pop("secret", SECRET)
    body, headers = shopify_webhook(topic, payload, secret, kw.pop("delivery_id", None))
    headers.update(kw.pop("headers", {}))
    return api.client.post(f"/api/v1/channels/{code}/webhooks", content=body, headers=headers)


def drain(podium: Podium, rounds: int = 50) -> None:
    """Run the relay until nothing is left to deliver now, then the channel pushers (the
    tests' stand-in for the background threads)."""
    for _ in range(rounds):
        if podium.relay.run_once() == 0:
            break
    podium.pushers.run_once()
