"""An edit that lowers the total of a paid order gives back what was paid beyond it, in the
same transaction, through the refund machinery the cancellation uses (issue 12 follow-up).
Both engines."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from dashboard_support import cheap_passwords, sign_in
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fulfilment_fakes import drain
from podium.bootstrap import Podium
from podium.orders.lifecycle import locked_order
from podium.payments.channel import record_channel_payments
from podium.payments.model import PaymentFact, TxKind
from support import Api, order_body, seed_store


def _paid_order(api: Api, podium: Podium, quantity: int = 4, **extra: Any) -> dict[str, Any]:
    order = api.ok("post", "/orders", order_body([("TEE", quantity)], **extra))
    drain(podium)  # capture on placement: the whole order is paid
    return dict(order)


def _set_quantity(api: Api, order_id: str, quantity: int) -> Any:
    return api.patch(f"/orders/{order_id}", {"lines": [{"sku": "TEE", "quantity": quantity}]})


def test_lowering_a_captured_order_refunds_exactly_the_difference(api: Api, podium: Podium) -> None:
    seed_store(api, {("TEE", "EAST"): 10}, warehouses=("EAST",))
    order = _paid_order(api, podium, shipping_total="5.00")
    assert api.ok("get", f"/orders/{order['id']}/payments")["captured"] == "84.96"

    r = _set_quantity(api, order["id"], 1)

    assert r.status_code == 200, r.text
    assert r.json()["total"] == "24.99"
    paid = api.ok("get", f"/orders/{order['id']}/payments")
    assert (paid["captured"], paid["refunded"], paid["net_paid"]) == ("84.96", "59.97", "24.99")
    refunds = api.ok("get", f"/orders/{order['id']}/refunds")["items"]
    assert [x["amount"] for x in refunds] == ["59.97"]
    timeline = api.ok("get", f"/orders/{order['id']}/timeline")
    kinds = [e.get("kind") or e.get("type") for e in timeline.get("items", timeline)]
    assert any("refund" in str(k) for k in kinds), kinds


def test_the_post_edit_route_refunds_the_same_way(api: Api, podium: Podium) -> None:
    seed_store(api, {("TEE", "EAST"): 10}, warehouses=("EAST",))
    order = _paid_order(api, podium)
    r = api.post(f"/orders/{order['id']}/edit", {"lines": [{"sku": "TEE", "quantity": 3}]})
    assert r.status_code == 200, r.text
    assert api.ok("get", f"/orders/{order['id']}/payments")["refunded"] == "19.99"


def test_raising_a_captured_order_leaves_a_balance_the_policy_then_captures(
    api: Api, podium: Podium
) -> None:
    seed_store(api, {("TEE", "EAST"): 10}, warehouses=("EAST",))
    order = _paid_order(api, podium, quantity=2)

    r = _set_quantity(api, order["id"], 3)

    assert r.status_code == 200, r.text
    paid = api.ok("get", f"/orders/{order['id']}/payments")
    assert (paid["captured"], paid["refunded"], paid["balance_due"]) == ("39.98", "0.00", "19.99")
    drain(podium)  # the policy's subscriber on order.edited: capture on placement takes the rest
    paid = api.ok("get", f"/orders/{order['id']}/payments")
    assert (paid["captured"], paid["refunded"], paid["balance_due"]) == ("59.97", "0.00", "0.00")


def test_a_declined_refund_refuses_the_edit_and_writes_nothing(api: Api, podium: Podium) -> None:
    from gateways_support import DecliningRefunds

    podium.gateways.add(DecliningRefunds())
    seed_store(api, {("TEE", "EAST"): 10}, warehouses=("EAST",))
    api.ok(
        "post",
        "/channels",
        {"code": "cards", "name": "Cards", "settings": {"payment": {"gateway": "declines"}}},
    )
    order = _paid_order(api, podium, channel="cards")
    before = api.ok("get", f"/orders/{order['id']}")
    reserved = api.ok("get", "/inventory/TEE")["reserved"]

    r = _set_quantity(api, order["id"], 1)

    assert r.status_code == 409, r.text
    assert r.json()["error"]["code"] == "refund_declined"
    after = api.ok("get", f"/orders/{order['id']}")
    assert (after["total"], after["lines"]) == (before["total"], before["lines"])
    assert api.ok("get", "/inventory/TEE")["reserved"] == reserved
    assert api.ok("get", f"/orders/{order['id']}/refunds")["items"] == []
    assert api.ok("get", f"/orders/{order['id']}/payments")["payment_status"] == "paid"


def test_a_channel_paid_order_gets_no_podium_refund(api: Api, podium: Podium) -> None:
    seed_store(api, {("TEE", "EAST"): 10}, warehouses=("EAST",))
    order = _paid_order(api, podium, tags=["payment:channel"])
    with podium.db.write() as conn:
        row = locked_order(conn, order["id"])
        record_channel_payments(conn, row, "web", [PaymentFact(TxKind.CAPTURE, 7996)], "test")

    r = _set_quantity(api, order["id"], 1)

    assert r.status_code == 200, r.text
    assert api.ok("get", f"/orders/{order['id']}/refunds")["items"] == []
    assert api.ok("get", f"/orders/{order['id']}/payments")["refunded"] == "0.00"


def test_paid_money_kept_never_exceeds_the_edited_total(api: Api, podium: Podium) -> None:
    seed_store(api, {("TEE", "EAST"): 10_000}, warehouses=("EAST",))
    order = _paid_order(api, podium, quantity=5)
    lowest = [5]  # the order outlives each example: the fewest units it has ever had

    @settings(
        max_examples=8,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.lists(st.integers(1, 8), min_size=1, max_size=4))
    def run(quantities: list[int]) -> None:
        for q in quantities:
            assert _set_quantity(api, order["id"], q).status_code == 200
            drain(podium)
            total = Decimal(api.ok("get", f"/orders/{order['id']}")["total"])
            paid = api.ok("get", f"/orders/{order['id']}/payments")
            net = Decimal(paid["captured"]) - Decimal(paid["refunded"])
            assert Decimal(0) <= net <= total  # never more kept than the order is worth
            if q <= lowest[0]:  # every unit ever paid for beyond this edit came back
                assert net == total
            lowest[0] = min(lowest[0], q)

    run()


def test_the_dashboard_edit_refunds_the_same_way(api: Api, podium: Podium) -> None:
    seed_store(api, {("TEE", "EAST"): 10}, warehouses=("EAST",))
    order = _paid_order(api, podium)
    assert isinstance(api.client.app, FastAPI)
    browser = sign_in(cheap_passwords(api.client.app), podium, "operator")
    form = {
        "line_sku": "TEE",
        "line_quantity": "2",
        "address_line1": "1 Pike St",
        "address_city": "Seattle",
        "address_region": "WA",
        "address_postal_code": "98101",
        "address_country": "US",
        "address_name": "",
        "note": "",
    }
    assert browser.post(f"/orders/{order['id']}/edit", form).status_code == 303
    paid = api.ok("get", f"/orders/{order['id']}/payments")
    assert (paid["refunded"], paid["net_paid"]) == ("39.98", "39.98")
