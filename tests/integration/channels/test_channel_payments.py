"""Channel payment facts become Podium payments and channel refunds become Podium refunds,
through signed webhooks and the relay: Shopify (own payloads and the published fixtures) and
WooCommerce."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

import pytest

from channel_support import add_shopify_channel, drain, post_webhook, shopify_order
from conftest import SHARED
from fakes.channels.shopify import FakeShopify
from fakes.channels.woocommerce import FakeWooCommerce, woo_webhook
from podium.bootstrap import Podium
from podium.events.model import Envelope
from podium.returns.channel_subscriber import on_channel_refund
from support import Api, seed_store

FIXTURES = SHARED / "fixtures" / "channels"


@pytest.fixture
def fake() -> Iterator[FakeShopify]:
    with FakeShopify() as server:
        yield server


@pytest.fixture
def shop(api: Api, fake: FakeShopify) -> Api:
    seed_store(api, {("TEE-M", "EAST"): 5, ("MUG", "EAST"): 4}, warehouses=("EAST",))
    add_shopify_channel(api, "shop", fake)
    return api


def _placed(api: Api, podium: Podium, payload: dict[str, Any], topic: str = "orders/create") -> Any:
    r = post_webhook(api, "shop", topic, payload)
    assert r.status_code == 200, r.text
    drain(podium)
    return api.ok("get", f"/orders/{r.json()['order_id']}")


def _payments(api: Api, order_id: str) -> list[tuple[str, str, str, str]]:
    items = api.ok("get", f"/orders/{order_id}/payments")["items"]
    return [(p["kind"], p["status"], p["amount"], p["gateway"]) for p in items]


def _refund(order_id: int, refund_id: int, amount: str, lines: list[Any]) -> dict[str, Any]:
    return {
        "id": refund_id,
        "order_id": order_id,
        "created_at": "2026-11-21T10:00:00-05:00",
        "note": "wrong size",
        "restock": False,
        "refund_line_items": [
            {
                "id": i,
                "line_item_id": i,
                "quantity": q,
                "restock_type": restock_type,
                "subtotal": 10.0,
                "line_item": {"sku": sku, "variant_id": 40_000_000_000_000_000 + i},
            }
            for i, (sku, q, restock_type) in enumerate(lines)
        ],
        "transactions": [
            {"kind": "refund", "status": "success", "amount": amount, "currency": "USD"}
        ],
    }


def _ship(api: Api, podium: Podium, order_id: str, fake: FakeShopify, payload: Any = None) -> None:
    """Ship every shipment; Shopify (the fake) knows the order, with the line ids of the
    ``payload`` it was captured from when given, so the fulfilment report back succeeds."""
    drain(podium)
    order = api.ok("get", f"/orders/{order_id}")
    lines: list[tuple[Any, ...]]
    if payload is not None:
        lines = [(li["sku"], li["quantity"], li["id"]) for li in payload["line_items"]]
    else:
        lines = [(ln["sku"], ln["quantity"]) for ln in order["lines"]]
    fake.add_order(order["external_id"], lines)
    for shipment in order["shipments"]:
        api.ok("post", f"/shipments/{shipment['id']}/ship", {})
    drain(podium)


def test_a_paid_shopify_order_is_paid_without_a_second_capture(
    shop: Api, podium: Podium, fake: FakeShopify
) -> None:
    payload = shopify_order(11, [("TEE-M", 2, "10.00")])
    order = _placed(shop, podium, payload)
    assert order["payment_status"] == "paid"
    assert "payment:channel" in order["tags"]
    _ship(shop, podium, order["id"], fake)  # the shipment must not capture again either
    again = dict(payload, updated_at="2026-11-20T11:00:00-05:00")
    post_webhook(shop, "shop", "orders/updated", again)
    drain(podium)
    assert _payments(shop, order["id"]) == [("capture", "succeeded", "25.00", "channel:shop")]
    assert shop.ok("get", f"/orders/{order['id']}")["payment_status"] == "paid"


def test_an_authorized_order_captured_later_records_just_the_capture(
    shop: Api, podium: Podium
) -> None:
    payload = shopify_order(12, [("MUG", 1, "8.00")]) | {"financial_status": "authorized"}
    order = _placed(shop, podium, payload)
    assert order["payment_status"] == "authorized"
    paid = payload | {"financial_status": "paid", "updated_at": "2026-11-20T12:00:00-05:00"}
    post_webhook(shop, "shop", "orders/updated", paid)
    drain(podium)
    assert shop.ok("get", f"/orders/{order['id']}")["payment_status"] == "paid"
    assert _payments(shop, order["id"]) == [
        ("authorize", "succeeded", "13.00", "channel:shop"),
        ("capture", "succeeded", "13.00", "channel:shop"),
    ]


def test_a_pending_shopify_order_stays_pending_and_a_voided_one_is_voided(
    shop: Api, podium: Podium
) -> None:
    pending = _placed(
        shop, podium, shopify_order(13, [("MUG", 1, "8.00")]) | {"financial_status": "pending"}
    )
    assert pending["payment_status"] == "pending"
    assert _payments(shop, pending["id"]) == []  # Podium never captured it itself
    voided = _placed(
        shop, podium, shopify_order(14, [("MUG", 1, "8.00")]) | {"financial_status": "voided"}
    )
    assert voided["payment_status"] == "voided"


def test_a_shopify_refund_webhook_becomes_a_podium_refund_and_restocks(
    shop: Api, podium: Podium, fake: FakeShopify
) -> None:
    order = _placed(shop, podium, shopify_order(21, [("TEE-M", 2, "10.00"), ("MUG", 1, "8.00")]))
    _ship(shop, podium, order["id"], fake)
    before = {s: shop.ok("get", f"/inventory/{s}")["on_hand"] for s in ("TEE-M", "MUG")}
    refund = _refund(21, 9001, "18.00", [("TEE-M", 1, "return"), ("MUG", 1, "no_restock")])
    assert post_webhook(shop, "shop", "refunds/create", refund).json()["status"] == "recorded"
    drain(podium)
    [made] = shop.ok("get", f"/orders/{order['id']}/refunds")["items"]
    assert (made["amount"], made["channel_refund_id"]) == ("18.00", "9001")
    rma = shop.ok("get", f"/returns/{made['return_id']}")
    assert rma["status"] == "closed"
    restocked = {ln["sku"]: ln["quantity_restocked"] for ln in rma["lines"]}
    assert restocked == {"TEE-M": 1, "MUG": 0}
    after = {s: shop.ok("get", f"/inventory/{s}")["on_hand"] for s in ("TEE-M", "MUG")}
    assert after == {"TEE-M": before["TEE-M"] + 1, "MUG": before["MUG"]}
    view = shop.ok("get", f"/orders/{order['id']}")
    assert view["payment_status"] == "partially_refunded"
    assert shop.ok("get", "/doctor")["ok"] is True


def test_a_redelivered_refund_webhook_refunds_nothing_twice(
    shop: Api, podium: Podium, fake: FakeShopify
) -> None:
    order = _placed(shop, podium, shopify_order(22, [("TEE-M", 2, "10.00")]))
    _ship(shop, podium, order["id"], fake)
    refund = _refund(22, 9002, "25.00", [("TEE-M", 2, "return")])
    post_webhook(shop, "shop", "refunds/create", refund, delivery_id="d-1")
    post_webhook(shop, "shop", "refunds/create", refund, delivery_id="d-2")  # a new delivery id
    drain(podium)
    on_hand = shop.ok("get", "/inventory/TEE-M")["on_hand"]
    events = [e for e in _events(podium) if e.type == "channel.refund_received"]
    handler = on_channel_refund(podium.db, podium.gateways)
    for event in events:  # the relay delivering them all over again
        handler(event)
    [made] = shop.ok("get", f"/orders/{order['id']}/refunds")["items"]
    assert made["amount"] == "25.00"
    assert shop.ok("get", "/inventory/TEE-M")["on_hand"] == on_hand
    assert shop.ok("get", f"/orders/{order['id']}")["payment_status"] == "refunded"
    kinds = [p[0] for p in _payments(shop, order["id"])]
    assert kinds == ["capture", "refund"]
    assert shop.ok("get", "/doctor")["ok"] is True


def test_a_refund_podium_cannot_record_is_noted_not_retried(shop: Api, podium: Podium) -> None:
    order = _placed(shop, podium, shopify_order(23, [("MUG", 1, "8.00")]))
    refund = _refund(23, 9003, "500.00", [])  # more than was ever paid
    post_webhook(shop, "shop", "refunds/create", refund)
    drain(podium)
    assert shop.ok("get", f"/orders/{order['id']}/refunds")["items"] == []
    timeline = shop.ok("get", f"/orders/{order['id']}/timeline")["items"]
    [note] = [e for e in timeline if e["type"] == "channel.refund_not_recorded"]
    assert note["data"]["code"] == "refund_exceeds_payment"
    assert shop.ok("get", f"/orders/{order['id']}")["payment_status"] == "paid"
    with podium.db.read() as conn:
        from podium.db.tables import outbox

        failed = conn.execute(outbox.select().where(outbox.c.last_error.is_not(None))).all()
    assert failed == []


def _events(podium: Podium) -> list[Envelope]:
    from podium.events.service import list_events

    found = list_events(podium.db, limit=200).items
    return [
        Envelope(
            id=int(e.id),
            aggregate_type=e.aggregate_type,
            aggregate_id=e.aggregate_id,
            type=e.type,
            payload=dict(e.payload),
            created_at=e.created_at,
            attempt=2,
        )
        for e in found
    ]


def _published(name: str) -> Any:
    path = FIXTURES / "shopify" / name
    if not path.exists():
        pytest.skip("shared channel fixtures are not here")
    return json.loads(path.read_text())


IPODS = ("IPOD2008GREEN", "IPOD2008RED", "IPOD2008BLACK")


def test_the_published_partially_refunded_order_shows_partially_refunded(
    api: Api, podium: Podium, fake: FakeShopify
) -> None:
    published = _published("order_get_by_id_2024-04_docs_example.json")
    seed_store(api, {(s, "EAST"): 3 for s in IPODS}, warehouses=("EAST",))
    add_shopify_channel(api, "shop", fake)
    order = _placed(api, podium, published)
    assert order["payment_status"] == "partially_refunded"
    [refund] = api.ok("get", f"/orders/{order['id']}/refunds")["items"]
    assert (refund["amount"], refund["channel_refund_id"]) == ("209.00", "509562969")
    captured = [p for p in _payments(api, order["id"]) if p[0] == "capture"]
    assert captured == [("capture", "succeeded", "598.94", "channel:shop")]


def test_the_published_refunds_restock_what_shopify_restocked(
    api: Api, podium: Podium, fake: FakeShopify
) -> None:
    published = copy.deepcopy(_published("order_get_by_id_2024-04_docs_example.json"))
    published["order"].update(refunds=[], financial_status="paid")
    restocking = _published("python_api_refund.json")  # restock: true, two units
    keeping = _published("refund_create_response_2024-04_docs_example.json")  # no_restock
    seed_store(api, {(s, "EAST"): 3 for s in IPODS}, warehouses=("EAST",))
    add_shopify_channel(api, "shop", fake)
    order = _placed(api, podium, published)
    _ship(api, podium, order["id"], fake, published["order"])
    for refund in (restocking, keeping, restocking):  # the last one is a redelivery
        assert post_webhook(api, "shop", "refunds/create", refund).status_code == 200
    drain(podium)
    refunds = api.ok("get", f"/orders/{order['id']}/refunds")["items"]
    assert sorted(r["amount"] for r in refunds) == ["209.00", "41.94"]
    on_hand = {s: api.ok("get", f"/inventory/{s}")["on_hand"] for s in IPODS}
    assert on_hand == {"IPOD2008GREEN": 3, "IPOD2008BLACK": 3, "IPOD2008RED": 2}
    assert api.ok("get", f"/orders/{order['id']}")["payment_status"] == "partially_refunded"
    assert api.ok("get", "/doctor")["ok"] is True


WOO_SECRET = "woo-webhook-secret"


def _woo_order(status: str = "processing", **extra: Any) -> dict[str, Any]:
    return {
        "id": 801,
        "number": "801",
        "status": status,
        "currency": "USD",
        "date_created_gmt": "2026-11-20T10:00:00",
        "date_modified_gmt": "2026-11-20T10:00:00",
        "date_paid_gmt": "2026-11-20T10:00:00" if status == "processing" else None,
        "discount_total": "0.00",
        "shipping_total": "4.00",
        "total_tax": "0.00",
        "total": "14.00",
        "billing": {"email": "ann@example.com", "country": "US"},
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
                "name": "Tee",
                "product_id": 93,
                "variation_id": 0,
                "quantity": 2,
                "subtotal": "10.00",
                "total": "10.00",
                "sku": "TEE-M",
                "price": 5,
            }
        ],
    } | extra


def test_a_paid_woo_order_and_its_refund_become_podium_payments(api: Api, podium: Podium) -> None:
    with FakeWooCommerce() as fake:
        seed_store(api, {("TEE-M", "EAST"): 8}, warehouses=("EAST",))
        settings = {
            "site_url": fake.url,
            "consumer_key": "ck",
            "consumer_secret": "cs",
            "webhook_secret": WOO_SECRET,
        }
        api.ok(
            "post",
            "/channels",
            {"code": "woo", "name": "Woo", "type": "woocommerce", "settings": settings},
        )

        def post(topic: str, payload: Any) -> Any:
            body, headers = woo_webhook(topic, payload, WOO_SECRET)
            r = api.client.post("/api/v1/channels/woo/webhooks", content=body, headers=headers)
            assert r.status_code == 200, r.text
            drain(podium)
            return r.json()

        on_hold = post("order.created", _woo_order("on-hold"))
        assert api.ok("get", f"/orders/{on_hold['order_id']}")["payment_status"] == "pending"
        post("order.updated", _woo_order(date_modified_gmt="2026-11-20T11:00:00"))
        assert api.ok("get", f"/orders/{on_hold['order_id']}")["payment_status"] == "paid"
        refunded = _woo_order(
            date_modified_gmt="2026-11-20T12:00:00",
            refunds=[{"id": 726, "reason": "damaged", "total": "-5.00"}],
        )
        post("order.updated", refunded)
        post("order.updated", refunded | {"date_modified_gmt": "2026-11-20T13:00:00"})
    order_id = on_hold["order_id"]
    [refund] = api.ok("get", f"/orders/{order_id}/refunds")["items"]
    assert (refund["amount"], refund["channel_refund_id"]) == ("5.00", "726")
    assert api.ok("get", f"/orders/{order_id}")["payment_status"] == "partially_refunded"
    assert [p[:3] for p in _payments(api, order_id)] == [
        ("capture", "succeeded", "14.00"),
        ("refund", "succeeded", "5.00"),
    ]


def test_recording_channel_facts_writes_only_what_is_new_and_never_more(
    api: Api, podium: Podium
) -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from podium.orders.lifecycle import locked_order
    from podium.payments.channel import record_channel_payments
    from podium.payments.model import PaymentFact, TxKind, derive_status
    from podium.payments.service import order_transactions
    from support import order_body

    seed_store(api, {("TEE", "EAST"): 1000}, warehouses=("EAST",))
    fact = st.builds(
        PaymentFact,
        st.sampled_from([TxKind.AUTHORIZE, TxKind.CAPTURE]),
        st.integers(1, 3000),
        st.booleans(),
    )

    @settings(
        max_examples=10,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(st.lists(st.lists(fact, max_size=4), min_size=1, max_size=4))
    def run(updates: list[list[PaymentFact]]) -> None:
        body = order_body([("TEE", 1)], tags=["payment:channel"])
        order_id = api.ok("post", "/orders", body)["id"]
        drain(podium)
        assert _payments(api, order_id) == []  # the policy did not capture a channel-paid order
        most = {TxKind.AUTHORIZE: 0, TxKind.CAPTURE: 0}
        for facts in updates:
            with podium.db.write() as conn:
                order = locked_order(conn, order_id)
                record_channel_payments(conn, order, "web", facts, "test")
            with podium.db.write() as conn:  # the same facts again: nothing new
                order = locked_order(conn, order_id)
                assert record_channel_payments(conn, order, "web", facts, "test") == 0
            for kind in most:
                most[kind] = max(
                    most[kind], sum(f.amount for f in facts if f.kind is kind and f.succeeded)
                )
        with podium.db.read() as conn:
            txs = order_transactions(conn, order_id)
            order = locked_order(conn, order_id)
        ok = [t for t in txs if t.succeeded]
        for kind, amount in most.items():
            assert sum(t.amount for t in ok if t.kind is kind) == amount
        assert order["payment_status"] == derive_status(order["total"], txs).value

    run()
