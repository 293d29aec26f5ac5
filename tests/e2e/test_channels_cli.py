"""Channels against a real ``podium serve`` and fake platforms over real HTTP: a signed sale on
one shop reaches the other within a second, and the operator's commands tell the truth."""

from __future__ import annotations

import time
from typing import Any

from channel_support import SECRET, shopify_order
from conftest import Server
from fakes.channels.shopify import FakeShopify, shopify_webhook
from support import seed_http


def _wait(predicate: Any, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False


def test_a_sale_on_one_shop_reaches_the_other_and_the_cli_reconciles(server: Server) -> None:
    with FakeShopify(token="tok-a") as a, FakeShopify(token="tok-b") as b, server.client() as api:
        seed_http(api, {("MUG", "EAST"): 5})
        made = server.cli(
            "channels", "add", "a", "--type", "shopify", "--name", "Shop a",
            "-s", f"shop_url={a.url}", "-s", f"access_token={a.token}",
            "-s", f"webhook_secret={SECRET}", "-s", "location_id=1",
        )  # fmt: skip
        assert made.returncode == 0, made.stderr
        assert SECRET not in made.stdout
        settings = {
            "shop_url": b.url,
            "access_token": b.token,
            "webhook_secret": SECRET,
            "location_id": 1,
        }
        r = api.post(
            "/channels", json={"code": "b", "name": "B", "type": "shopify", "settings": settings}
        )
        assert r.status_code == 201, r.text
        for code in ("a", "b"):
            r = api.put(f"/channels/{code}/listings/MUG", json={"remote_id": 77})
            assert r.status_code == 200, r.text
        assert _wait(lambda: b.level("77", "1") == 5)
        body, headers = shopify_webhook(
            "orders/create", shopify_order(9001, [("MUG", 2, "9.00")]), SECRET
        )
        sent = time.monotonic()
        r = api.post("/channels/a/webhooks", content=body, headers=headers)
        assert r.status_code == 200 and r.json()["status"] == "created"
        assert _wait(lambda: b.level("77", "1") == 3)
        assert time.monotonic() - sent < 1.0
        health = api.get("/channels/a/health").json()
        assert health["orders"] == 1 and health["listings"] == 1
        b.levels[("gid://shopify/InventoryItem/77", "gid://shopify/Location/1")] = 40
        drift = server.cli("channels", "reconcile", "b")
        assert drift.returncode == 1 and "40" in drift.stdout
        fixed = server.cli("channels", "reconcile", "b", "--fix")
        assert fixed.returncode == 0 and b.level("77", "1") == 3
        bad = server.cli("channels", "add", "z", "--type", "shopify")
        assert bad.returncode == 2 and "invalid_settings" in bad.stderr
        assert "Traceback" not in bad.stderr
