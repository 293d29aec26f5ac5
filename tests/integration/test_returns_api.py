"""Returns through the API on both engines: request, approve, receive with dispositions, refund
exactly, and every refusal the contract promises."""

from __future__ import annotations

from typing import Any

from podium.bootstrap import Podium
from podium.inventory.doctor import examine
from support import Api, order_body, seed_store


def _shipped_order(api: Api, **extra: Any) -> dict[str, Any]:
    seed_store(api, {("TEE", "EAST"): 10, ("MUG", "EAST"): 5}, warehouses=("EAST",))
    body = order_body([("TEE", 2), ("MUG", 1)], **extra)
    body["lines"][1]["unit_price"] = "10.00"
    body.update(discount_total="5.00", tax_total="4.00", shipping_total="5.99")
    order = api.ok("post", "/orders", body)
    for s in order["shipments"]:
        api.ok("post", f"/shipments/{s['id']}/ship", {"tracking_number": "1Z999"})
    return dict(order)


def test_return_one_of_two_units_restocks_and_refunds_its_exact_share(
    api: Api, podium: Podium
) -> None:
    order = _shipped_order(api)
    assert order["total"] == "54.97"
    created = api.post(
        f"/orders/{order['id']}/returns",
        {"lines": [{"sku": "TEE", "quantity": 1, "reason": "size_fit"}]},
    )
    assert created.status_code == 201, created.text
    rma = created.json()
    assert rma["status"] == "requested"
    assert [(ln["sku"], ln["quantity"]) for ln in rma["lines"]] == [("TEE", 1)]
    assert api.ok("post", f"/returns/{rma['id']}/approve")["status"] == "approved"
    received = api.ok(
        "post",
        f"/returns/{rma['id']}/receive",
        {"lines": [{"sku": "TEE", "quantity": 1, "disposition": "restock"}]},
    )
    assert received["status"] == "inspected"
    assert received["lines"][0]["quantity_restocked"] == 1
    stock = api.ok("get", "/inventory/TEE")
    assert stock["on_hand"] == 9  # 10 - 2 shipped + 1 back
    refund = api.post(f"/returns/{rma['id']}/refund", {})
    assert refund.status_code == 201, refund.text
    # One tee: 19.99 less its share of the 5.00 discount (2.00) plus its tax share (1.60).
    assert refund.json()["amount"] == "19.59"
    assert refund.json()["currency"] == "USD"
    assert refund.json()["discount_amount"] == "2.00"
    assert refund.json()["tax_amount"] == "1.60"
    assert api.ok("get", f"/returns/{rma['id']}")["status"] == "closed"
    again = api.post(f"/returns/{rma['id']}/refund", {})
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "nothing_to_refund"
    assert api.ok("get", f"/orders/{order['id']}")["payment_status"] == "partially_refunded"
    assert examine(podium.db).ok
    types = [e["type"] for e in api.ok("get", f"/orders/{order['id']}/timeline")["items"]]
    for kind in ("return.created", "return.approved", "return.received", "refund.issued"):
        assert kind in types


def test_returning_more_than_shipped_minus_returned_is_refused(api: Api) -> None:
    order = _shipped_order(api)
    first = {"lines": [{"sku": "TEE", "quantity": 2, "reason": "defective"}]}
    assert api.post(f"/orders/{order['id']}/returns", first).status_code == 201
    again = api.post(
        f"/orders/{order['id']}/returns",
        {"lines": [{"sku": "TEE", "quantity": 1, "reason": "other"}]},
    )
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "return_exceeds_shipped"
    assert again.json()["error"]["details"]["returnable"] == 0


def test_nothing_shipped_means_nothing_to_return(api: Api) -> None:
    seed_store(api, {("TEE", "EAST"): 5}, warehouses=("EAST",))
    order = api.ok("post", "/orders", order_body([("TEE", 1)]))
    r = api.post(f"/orders/{order['id']}/returns", {"lines": [{"sku": "TEE", "quantity": 1}]})
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "return_exceeds_shipped"


def test_unknown_reason_and_foreign_sku_are_422(api: Api) -> None:
    order = _shipped_order(api)
    bad = api.post(
        f"/orders/{order['id']}/returns",
        {"lines": [{"sku": "TEE", "quantity": 1, "reason": "meh"}]},
    )
    assert bad.status_code == 422
    assert bad.json()["error"]["code"] == "invalid_return_reason"
    assert bad.json()["error"]["details"]["field"] == "lines.0.reason"
    foreign = api.post(f"/orders/{order['id']}/returns", {"lines": [{"sku": "HAT", "quantity": 1}]})
    assert foreign.status_code == 422
    assert foreign.json()["error"]["code"] == "sku_not_on_order"
    assert api.ok("get", "/returns")["items"] == []


def test_refund_larger_than_paid_is_refused_and_nothing_written(api: Api) -> None:
    order = _shipped_order(api)
    rma = api.ok(
        "post",
        f"/orders/{order['id']}/returns",
        {"lines": [{"sku": "MUG", "quantity": 1, "reason": "damaged"}], "approve": True},
    )
    too_much = api.post(f"/returns/{rma['id']}/refund", {"amount": "54.98"})
    assert too_much.status_code == 409
    assert too_much.json()["error"]["code"] == "refund_exceeds_payment"
    assert api.ok("get", f"/orders/{order['id']}/refunds")["items"] == []
    ok = api.post(f"/returns/{rma['id']}/refund", {"include_shipping": True})
    assert ok.status_code == 201
    assert ok.json()["amount"] == "15.79"  # 10.00 - 1.00 discount + 0.80 tax + 5.99 shipping


def test_receive_rules_damaged_units_stay_off_the_shelf(api: Api) -> None:
    order = _shipped_order(api)
    rma = api.ok(
        "post",
        f"/orders/{order['id']}/returns",
        {"lines": [{"sku": "TEE", "quantity": 2, "reason": "damaged"}]},
    )
    early = api.post(
        f"/returns/{rma['id']}/receive",
        {"lines": [{"sku": "TEE", "quantity": 1, "disposition": "damaged"}]},
    )
    assert early.status_code == 409  # not approved yet
    assert early.json()["error"]["code"] == "invalid_transition"
    api.ok("post", f"/returns/{rma['id']}/approve")
    api.ok("post", f"/returns/{rma['id']}/ship", {"carrier": "ups", "tracking_number": "1ZRET"})
    part = api.ok(
        "post",
        f"/returns/{rma['id']}/receive",
        {"lines": [{"sku": "TEE", "quantity": 1, "disposition": "damaged"}]},
    )
    assert part["status"] == "received"
    assert part["tracking_number"] == "1ZRET"
    over = api.post(
        f"/returns/{rma['id']}/receive",
        {"lines": [{"sku": "TEE", "quantity": 2, "disposition": "restock"}]},
    )
    assert over.status_code == 409
    assert over.json()["error"]["code"] == "receive_exceeds_return"
    bad_wh = api.post(
        f"/returns/{rma['id']}/receive",
        {"lines": [{"sku": "TEE", "quantity": 1, "disposition": "restock", "warehouse": "NOPE"}]},
    )
    assert bad_wh.status_code == 422
    done = api.ok(
        "post",
        f"/returns/{rma['id']}/receive",
        {"lines": [{"sku": "TEE", "quantity": 1, "disposition": "scrap"}]},
    )
    assert done["status"] == "inspected"
    assert (done["lines"][0]["quantity_damaged"], done["lines"][0]["quantity_scrapped"]) == (1, 1)
    assert api.ok("get", "/inventory/TEE")["on_hand"] == 8  # nothing restocked


def test_rejected_returns_free_their_units_and_roles_are_checked(api: Api) -> None:
    order = _shipped_order(api)
    body = {"lines": [{"sku": "TEE", "quantity": 2, "reason": "changed_mind"}]}
    assert api.post(f"/orders/{order['id']}/returns", body, role="readonly").status_code == 403
    rma = api.ok("post", f"/orders/{order['id']}/returns", body, role="support")
    assert api.post(f"/returns/{rma['id']}/refund", {}, role="support").status_code == 403
    rejected = api.ok("post", f"/returns/{rma['id']}/reject", {"note": "worn"})
    assert rejected["status"] == "rejected"
    assert api.post(f"/returns/{rma['id']}/approve").status_code == 409
    assert api.post(f"/orders/{order['id']}/returns", body).status_code == 201
    listed = api.ok("get", "/returns?status=rejected")["items"]
    assert [r["id"] for r in listed] == [rma["id"]]
    assert api.get("/returns/rma_nope").status_code == 404
    assert api.get("/returns?status=lost").status_code == 422


def test_return_window_comes_from_the_channel(api: Api) -> None:
    seed_store(api, {("TEE", "EAST"): 5}, warehouses=("EAST",))
    api.ok(
        "post",
        "/channels",
        {"code": "pos", "name": "Shop", "type": "pos", "settings": {"returns": {"window_days": 0}}},
    )
    order = api.ok("post", "/orders", order_body([("TEE", 1)], channel="pos"))
    api.ok("post", f"/shipments/{order['shipments'][0]['id']}/ship", {})
    body = {"lines": [{"sku": "TEE", "quantity": 1, "reason": "other"}]}
    late = api.post(f"/orders/{order['id']}/returns", body)
    assert late.status_code == 409
    assert late.json()["error"]["code"] == "return_window_closed"
    assert (
        api.post(f"/orders/{order['id']}/returns", {**body, "ignore_window": True}).status_code
        == 201
    )


def test_customers_request_returns_with_order_number_and_email_without_a_key(api: Api) -> None:
    order = _shipped_order(api)
    body = {
        "order_number": order["number"],
        "email": "ANN@example.com",
        "lines": [{"sku": "MUG", "quantity": 1, "reason": "damaged"}],
    }
    r = api.client.post("/api/v1/returns/request", json=body)
    assert r.status_code == 201, r.text
    assert r.json()["status"] == "requested"
    assert r.json()["lines"] == [{"sku": "MUG", "quantity": 1, "reason": "damaged"}]
    assert api.ok("get", f"/returns/{r.json()['id']}")["created_by"] == "customer:ann@example.com"
    wrong = api.client.post("/api/v1/returns/request", json={**body, "email": "eve@example.com"})
    assert wrong.status_code == 404
    assert wrong.json()["error"]["code"] == "order_not_found"
    again = api.client.post("/api/v1/returns/request", json=body)
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "return_exceeds_shipped"


def test_channel_policies_are_read_and_changed_through_the_api(api: Api) -> None:
    order = _shipped_order(api)
    assert api.ok("get", "/channels/web/policies")["returns"]["window_days"] == 30
    body = {"window_days": 14, "reasons": ["too_small", "too_big"]}
    assert (
        api.client.put(
            "/api/v1/channels/web/return-policy", json=body, headers=api.headers("operator")
        ).status_code
        == 403
    )
    changed = api.client.put("/api/v1/channels/web/return-policy", json=body, headers=api.headers())
    assert changed.status_code == 200, changed.text
    assert changed.json()["returns"] == {
        "window_days": 14,
        "reasons": ["too_small", "too_big"],
        "warehouse": None,
        "auto_approve": False,  # the returns portal's (docs/shopper.md)
        "non_returnable": [],
        "fee": None,
    }
    path = f"/orders/{order['id']}/returns"
    old = api.post(path, {"lines": [{"sku": "TEE", "quantity": 1, "reason": "size_fit"}]})
    assert old.json()["error"]["code"] == "invalid_return_reason"
    assert (
        api.post(path, {"lines": [{"sku": "TEE", "quantity": 1, "reason": "too_big"}]}).status_code
        == 201
    )
    pay = api.client.put(
        "/api/v1/channels/web/payment-policy",
        json={"capture": "on_shipment"},
        headers=api.headers(),
    )
    assert pay.json()["payment"] == {"capture": "on_shipment", "gateway": "manual"}
    assert api.get("/channels/nope/policies").status_code == 404
    bad = api.client.put(
        "/api/v1/channels/web/payment-policy", json={"capture": "later"}, headers=api.headers()
    )
    assert bad.status_code == 422
