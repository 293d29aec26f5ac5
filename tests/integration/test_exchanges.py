"""Exchanges: a replacement order linked to the return, after arrival or in advance (held as
awaiting_return until the returned units are received)."""

from __future__ import annotations

from typing import Any

from support import Api, order_body, seed_store


def _approved_return(api: Api) -> tuple[dict[str, Any], str]:
    seed_store(api, {("TEE-M", "EAST"): 5, ("TEE-L", "EAST"): 5}, warehouses=("EAST",))
    order = api.ok("post", "/orders", order_body([("TEE-M", 1)]))
    api.ok("post", f"/shipments/{order['shipments'][0]['id']}/ship", {})
    rma = api.ok(
        "post",
        f"/orders/{order['id']}/returns",
        {"lines": [{"sku": "TEE-M", "quantity": 1, "reason": "size_fit"}], "approve": True},
    )
    return dict(order), str(rma["id"])


def test_advance_exchange_ships_only_once_the_return_arrives(api: Api) -> None:
    order, rma = _approved_return(api)
    made = api.post(
        f"/returns/{rma}/exchange", {"lines": [{"sku": "TEE-L", "quantity": 1}], "advance": True}
    )
    assert made.status_code == 201, made.text
    replacement = api.ok("get", f"/orders/{made.json()['order_id']}")
    assert replacement["status"] == "on_hold"
    assert [h["reason"] for h in replacement["holds"]] == ["awaiting_return"]
    assert replacement["total"] == "0.00"
    assert replacement["customer"]["email"] == "ann@example.com"
    assert api.ok("get", "/inventory/TEE-L")["reserved"] == 1
    assert api.ok("get", f"/returns/{rma}")["exchange_order_id"] == replacement["id"]
    twice = api.post(f"/returns/{rma}/exchange", {"lines": [{"sku": "TEE-L", "quantity": 1}]})
    assert twice.status_code == 409
    assert twice.json()["error"]["code"] == "exchange_exists"
    api.ok(
        "post",
        f"/returns/{rma}/receive",
        {"lines": [{"sku": "TEE-M", "quantity": 1, "disposition": "restock"}]},
    )
    assert api.ok("get", f"/returns/{rma}")["status"] == "closed"
    released = api.ok("get", f"/orders/{replacement['id']}")
    assert released["status"] == "ready"
    assert released["holds"] == []
    types = [e["type"] for e in api.ok("get", f"/orders/{order['id']}/timeline")["items"]]
    assert "exchange.created" in types


def test_exchange_waits_for_the_item_unless_advance(api: Api) -> None:
    _, rma = _approved_return(api)
    early = api.post(f"/returns/{rma}/exchange", {"lines": [{"sku": "TEE-L", "quantity": 1}]})
    assert early.status_code == 409
    assert early.json()["error"]["code"] == "return_not_received"
    api.ok(
        "post",
        f"/returns/{rma}/receive",
        {"lines": [{"sku": "TEE-M", "quantity": 1, "disposition": "damaged"}]},
    )
    made = api.ok(
        "post",
        f"/returns/{rma}/exchange",
        {"lines": [{"sku": "TEE-L", "quantity": 1, "unit_price": "2.50"}]},
    )
    replacement = api.ok("get", f"/orders/{made['order_id']}")
    assert (replacement["status"], replacement["total"]) == ("ready", "2.50")
    assert api.ok("get", f"/returns/{rma}")["status"] == "closed"
    assert "exchange" in replacement["tags"]
    assert (
        api.post(
            "/returns/rma_nope/exchange", {"lines": [{"sku": "TEE-L", "quantity": 1}]}
        ).status_code
        == 404
    )
