"""Payments on the order: the channel's capture policy, recorded transactions, payment_status
kept true, store credit, and channel refunds arriving as exact facts."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from podium.bootstrap import Podium
from podium.errors import ValidationFailed
from podium.returns.channel_refunds import ChannelRefundLine, record_channel_refund
from support import Api, order_body, seed_store


def _drain(podium: Podium) -> None:
    while podium.relay.run_once():
        pass


def test_capture_on_placement_marks_the_order_paid(api: Api, podium: Podium) -> None:
    seed_store(api, {("TEE", "EAST"): 5}, warehouses=("EAST",))
    order = api.ok("post", "/orders", order_body([("TEE", 2)]))
    assert order["payment_status"] == "pending"
    _drain(podium)
    assert api.ok("get", f"/orders/{order['id']}")["payment_status"] == "paid"
    payments = api.ok("get", f"/orders/{order['id']}/payments")
    assert payments["captured"] == "39.98"
    assert [(p["kind"], p["gateway"], p["status"]) for p in payments["items"]] == [
        ("capture", "manual", "succeeded")
    ]


def test_capture_on_shipment_authorizes_first_and_captures_what_ships(
    api: Api, podium: Podium
) -> None:
    seed_store(api, {("TEE", "EAST"): 1, ("TEE", "WEST"): 1}, warehouses=("EAST", "WEST"))
    api.ok(
        "post",
        "/channels",
        {"code": "b2b", "name": "B2B", "settings": {"payment": {"capture": "on_shipment"}}},
    )
    order = api.ok("post", "/orders", order_body([("TEE", 2)], channel="b2b"))
    _drain(podium)
    assert api.ok("get", f"/orders/{order['id']}")["payment_status"] == "authorized"
    assert len(order["shipments"]) == 2
    api.ok("post", f"/shipments/{order['shipments'][0]['id']}/ship", {})
    _drain(podium)
    assert api.ok("get", f"/orders/{order['id']}")["payment_status"] == "partially_paid"
    api.ok("post", f"/shipments/{order['shipments'][1]['id']}/ship", {})
    _drain(podium)
    view = api.ok("get", f"/orders/{order['id']}/payments")
    assert view["payment_status"] == "paid"
    assert view["captured"] == "39.98"
    assert [p["kind"] for p in view["items"]] == ["authorize", "capture", "capture"]


def test_cancelling_an_authorized_order_voids_the_authorization(api: Api, podium: Podium) -> None:
    seed_store(api, {("TEE", "EAST"): 1}, warehouses=("EAST",))
    api.ok(
        "post",
        "/channels",
        {"code": "b2b", "name": "B2B", "settings": {"payment": {"capture": "on_shipment"}}},
    )
    order = api.ok("post", "/orders", order_body([("TEE", 1)], channel="b2b"))
    _drain(podium)
    api.ok("post", f"/orders/{order['id']}/cancel", {})
    _drain(podium)
    view = api.ok("get", f"/orders/{order['id']}/payments")
    assert view["payment_status"] == "voided"
    assert [p["kind"] for p in view["items"]] == ["authorize", "void"]


def test_manual_channel_records_payments_through_the_api(api: Api) -> None:
    seed_store(api, {("TEE", "EAST"): 5}, warehouses=("EAST",))
    api.ok(
        "post",
        "/channels",
        {"code": "phone", "name": "Phone", "settings": {"payment": {"capture": "manual"}}},
    )
    order = api.ok("post", "/orders", order_body([("TEE", 1)], channel="phone"))
    path = f"/orders/{order['id']}/payments"
    assert api.post(path, {"kind": "capture", "amount": "5.00"}, role="support").status_code == 403
    failed = api.ok("post", path, {"kind": "authorize", "status": "failed", "reference": "d-1"})
    assert failed["payment_status"] == "failed"
    assert api.ok("post", path, {"kind": "authorize"})["payment_status"] == "authorized"
    assert api.ok("post", path, {"kind": "capture", "amount": "5.00"})["payment_status"] == (
        "partially_paid"
    )
    over = api.post(path, {"kind": "capture", "amount": "15.00"})
    assert over.status_code == 409
    assert over.json()["error"]["code"] == "capture_exceeds_total"
    assert api.post(path, {"kind": "void"}).json()["error"]["code"] == "payment_captured"
    assert api.post(path, {"kind": "refund"}).json()["error"]["code"] == "use_refunds"
    assert api.post(path, {"kind": "capture", "amount": "1.234"}).status_code == 422
    assert api.ok("post", path, {"kind": "capture"})["payment_status"] == "paid"
    assert api.ok("get", f"/orders/{order['id']}")["payment_status"] == "paid"
    assert api.get("/orders/ord_nope/payments").status_code == 404


def test_unpaid_orders_cannot_be_refunded(api: Api) -> None:
    seed_store(api, {("TEE", "EAST"): 5}, warehouses=("EAST",))
    api.ok(
        "post",
        "/channels",
        {"code": "phone", "name": "Phone", "settings": {"payment": {"capture": "manual"}}},
    )
    order = api.ok("post", "/orders", order_body([("TEE", 1)], channel="phone"))
    r = api.post(f"/orders/{order['id']}/refunds", {"lines": [{"sku": "TEE", "quantity": 1}]})
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "refund_exceeds_payment"
    assert r.json()["error"]["details"]["refundable"] == "0.00"


def test_store_credit_refund_goes_to_the_customer_not_the_card(api: Api) -> None:
    seed_store(api, {("TEE", "EAST"): 5}, warehouses=("EAST",))
    order = api.ok("post", "/orders", order_body([("TEE", 2)]))
    refund = api.post(
        f"/orders/{order['id']}/refunds",
        {"lines": [{"sku": "TEE", "quantity": 1}], "method": "store_credit"},
    )
    assert refund.status_code == 201, refund.text
    assert refund.json()["amount"] == "19.99"
    credit = api.ok("get", "/store-credit/ann@example.com")
    assert credit["balances"] == {"USD": "19.99"}
    assert api.ok("get", f"/orders/{order['id']}")["payment_status"] == "paid"
    second = api.post(f"/orders/{order['id']}/refunds", {"lines": [{"sku": "TEE", "quantity": 2}]})
    assert second.status_code == 409
    assert second.json()["error"]["code"] == "refund_exceeds_order"


def _shopify_style_order(api: Api, podium: Podium) -> Any:
    seed_store(api, {("TEE", "EAST"): 5}, warehouses=("EAST",))
    order = api.ok("post", "/orders", order_body([("TEE", 2)], external_id="5001"))
    api.ok("post", f"/shipments/{order['shipments'][0]['id']}/ship", {})
    return order


def test_channel_refund_becomes_a_refund_and_a_restocked_return_once(
    api: Api, podium: Podium
) -> None:
    order = _shopify_style_order(api, podium)
    refund = record_channel_refund(
        podium.db,
        order_id=order["id"],
        channel_refund_id="rf-1",
        amount=1999,
        currency="usd",
        lines=[ChannelRefundLine("TEE", 1, restock=True)],
    )
    again = record_channel_refund(
        podium.db,
        order_id=order["id"],
        channel_refund_id="rf-1",
        amount=1999,
        currency="USD",
        lines=[ChannelRefundLine("TEE", 1, restock=True)],
    )
    assert again.id == refund.id
    assert refund.amount == "19.99"
    assert refund.return_id is not None
    rma = api.ok("get", f"/returns/{refund.return_id}")
    assert rma["status"] == "closed"
    assert rma["lines"][0]["quantity_restocked"] == 1
    assert api.ok("get", "/inventory/TEE")["on_hand"] == 4
    assert len(api.ok("get", f"/orders/{order['id']}/refunds")["items"]) == 1
    payments = api.ok("get", f"/orders/{order['id']}/payments")
    assert payments["refunded"] == "19.99"
    assert payments["payment_status"] == "partially_refunded"


def test_channel_refund_without_restock_or_lines_only_moves_money(api: Api, podium: Podium) -> None:
    order = _shopify_style_order(api, podium)
    refund = record_channel_refund(
        podium.db,
        order_id=order["id"],
        channel_refund_id="rf-2",
        amount=500,
        currency="USD",
        lines=[ChannelRefundLine("TEE", 1, restock=False)],
    )
    assert api.ok("get", f"/returns/{refund.return_id}")["lines"][0]["quantity_restocked"] == 0
    assert api.ok("get", "/inventory/TEE")["on_hand"] == 3
    money_only = record_channel_refund(
        podium.db, order_id=order["id"], channel_refund_id="rf-3", amount=100, currency="USD"
    )
    assert money_only.return_id is None
    with pytest.raises(ValidationFailed):
        record_channel_refund(
            podium.db, order_id=order["id"], channel_refund_id="rf-4", amount=1, currency="EUR"
        )


def test_accounting_export_lists_sales_and_refunds_for_the_days_asked(
    api: Api, podium: Podium
) -> None:
    seed_store(api, {("TEE", "EAST"): 5}, warehouses=("EAST",))
    order = api.ok("post", "/orders", order_body([("TEE", 2)], tax_total="3.20"))
    api.ok("post", f"/orders/{order['id']}/refunds", {"lines": [{"sku": "TEE", "quantity": 1}]})
    today = order["placed_at"][:10]
    r = api.get("/exports/accounting", params={"from": today, "to": today}, role="readonly")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    day = next(x for x in rows if x["date"] == today)
    assert (day["channel"], day["orders"], day["total_sales"]) == ("web", "1", "43.18")
    assert (day["refunds"], day["refunded_tax"], day["net"]) == ("21.59", "1.60", "21.59")
    assert next(x for x in rows if x["date"] == "TOTAL")["net"] == "21.59"
    backwards = api.get("/exports/accounting", params={"from": today, "to": "2000-01-01"})
    assert backwards.status_code == 422
    assert backwards.json()["error"]["code"] == "invalid_range"
    assert (
        api.get("/exports/accounting", params={"from": "yesterday", "to": today}).status_code == 422
    )


def test_a_declined_gateway_refund_is_refused_and_nothing_is_written(
    api: Api, podium: Podium
) -> None:
    from gateways_support import DecliningRefunds

    podium.gateways.add(DecliningRefunds())
    seed_store(api, {("TEE", "EAST"): 5}, warehouses=("EAST",))
    api.ok(
        "post",
        "/channels",
        {"code": "cards", "name": "Cards", "settings": {"payment": {"gateway": "declines"}}},
    )
    order = api.ok("post", "/orders", order_body([("TEE", 1)], channel="cards"))
    _drain(podium)
    r = api.post(f"/orders/{order['id']}/refunds", {"lines": [{"sku": "TEE", "quantity": 1}]})
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "refund_declined"
    assert api.ok("get", f"/orders/{order['id']}/refunds")["items"] == []
    assert api.ok("get", f"/orders/{order['id']}/payments")["payment_status"] == "paid"
