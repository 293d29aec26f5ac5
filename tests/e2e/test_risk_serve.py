"""Issue 15's end-to-end promise against a running `podium serve`: the risky $2,000 first order
is held for risk at a high level, a $30 repeat order is not held, and "Seattle, WA 10001" is
held for its address."""

from __future__ import annotations

from typing import Any

import httpx

from conftest import Server
from risk_support import risky_order_body
from support import order_body, seed_http


def _placed(client: httpx.Client, body: dict[str, Any]) -> dict[str, Any]:
    r = client.post("/orders", json=body)
    assert r.status_code == 201, r.text
    return dict(r.json())


def test_a_served_store_holds_the_risky_order_and_the_bad_address_but_not_the_repeat_buyer(
    server: Server,
) -> None:
    with server.client() as client:
        seed_http(client, {("TV", "WEST"): 5, ("TEE", "WEST"): 5})

        risky = _placed(client, risky_order_body())
        assert risky["status"] == "on_hold"
        assert [h["reason"] for h in risky["holds"]] == ["risk"]
        assert risky["risk"]["level"] == "high"
        queue = client.get("/risk/review").json()["items"]
        assert [o["id"] for o in queue] == [risky["id"]]

        _placed(client, order_body([("TEE", 1)], external_id="repeat-1"))
        repeat = order_body([("TEE", 1)], external_id="repeat-2")
        repeat["lines"][0]["unit_price"] = "30.00"
        again = _placed(client, repeat)
        assert again["status"] == "ready" and again["holds"] == []
        assert again["risk"]["level"] == "low"

        seattle = order_body([("TEE", 1)], external_id="seattle")
        seattle["shipping_address"] = {
            "line1": "1 Pike St",
            "city": "Seattle",
            "region": "WA",
            "postal_code": "10001",
            "country": "US",
        }
        held = _placed(client, seattle)
        assert held["status"] == "on_hold"
        assert [h["reason"] for h in held["holds"]] == ["address"]
