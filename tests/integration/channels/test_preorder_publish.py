"""A channel with a pre-order cap is told its stock plus what it may still sell ahead of sent
purchase orders (issue 16 item 4), and told again when the cap, the POs or the pre-orders
change, so a listing with only pre-order capacity left still sells."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from channel_support import add_shopify_channel, drain
from fakes.channels.shopify import FakeShopify
from podium.bootstrap import Podium
from support import Api, order_body, seed_store

PO = "/planning/purchase-orders"


@pytest.fixture
def shop(api: Api, podium: Podium) -> Iterator[FakeShopify]:
    with FakeShopify(token="tok-a") as a:
        seed_store(api, {("TEE", "EAST"): 2})
        add_shopify_channel(api, "a", a)
        r = api.client.put(
            "/api/v1/channels/a/listings/TEE",
            json={"remote_id": "501", "remote_location_id": "1001"},
            headers=api.headers("operator"),
        )
        assert r.status_code == 200, r.text
        api.ok(
            "post",
            "/planning/suppliers",
            {"code": "ACME", "name": "Acme", "currency": "EUR", "lead_time_days": 5},
        )
        drain(podium)
        yield a


def _cap(api: Api, channel: str, units: int | None) -> None:
    r = api.client.put(
        f"/api/v1/planning/preorder-caps/{channel}",
        json={"cap": units},
        headers=api.headers("operator"),
    )
    assert r.status_code == 200, r.text


def _po(api: Api, units: int) -> str:
    body = {
        "supplier": "ACME",
        "warehouse": "EAST",
        "lines": [{"sku": "TEE", "quantity": units, "unit_cost": "3.00"}],
        "expected_on": "2027-01-15",
    }
    number = str(api.ok("post", PO, body)["number"])
    api.ok("post", f"{PO}/{number}/send?email=false")
    return number


def test_the_channel_is_told_its_stock_plus_its_pre_order_allowance(
    api: Api, podium: Podium, shop: FakeShopify
) -> None:
    assert shop.level("501", "1001") == 2
    _cap(api, "a", 5)
    drain(podium)
    assert shop.level("501", "1001") == 2  # nothing on its way yet
    number = _po(api, 4)
    drain(podium)
    assert shop.level("501", "1001") == 6  # 2 in stock + min(cap 5, 4 on the PO)
    _cap(api, "a", 3)
    drain(podium)
    assert shop.level("501", "1001") == 5
    _cap(api, "web", 10)  # a pre-order on another channel takes from the same PO
    placed = api.post("/orders", order_body([("TEE", 4)]))  # 2 from stock, 2 ahead
    assert placed.status_code == 201, placed.text
    drain(podium)
    assert shop.level("501", "1001") == 2  # no stock left; 4 - 2 promised on the PO
    api.ok("post", f"{PO}/{number}/cancel")
    drain(podium)
    assert shop.level("501", "1001") == 0
    _cap(api, "a", None)
    drain(podium)
    assert shop.level("501", "1001") == 0
    assert api.ok("get", "/channels/a/health")["pending_pushes"] == 0
