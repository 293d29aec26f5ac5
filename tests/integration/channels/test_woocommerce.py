"""WooCommerce over real HTTP: the ping, signed orders, batch stock pushes (products and
variations), reconciliation and completing the order when it ships."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from channel_support import drain
from fakes.channels.woocommerce import FakeWooCommerce, woo_webhook
from podium.bootstrap import Podium
from support import Api, seed_store

SECRET = "woo-webhook-secret"


@pytest.fixture
def woo(api: Api, podium: Podium) -> Iterator[FakeWooCommerce]:
    with FakeWooCommerce(products=("93", "22:317")) as fake:
        seed_store(api, {("TEE-M", "EAST"): 8, ("MUG", "EAST"): 3})
        settings = {
            "site_url": fake.url,
            "consumer_key": "ck_test",
            "consumer_secret": "cs_test",
            "webhook_secret": SECRET,
        }
        api.ok(
            "post",
            "/channels",
            {"code": "woo", "name": "Woo", "type": "woocommerce", "settings": settings},
        )
        for sku, remote in (("TEE-M", "93"), ("MUG", "22:317")):
            r = api.client.put(
                f"/api/v1/channels/woo/listings/{sku}",
                json={"remote_id": remote},
                headers=api.headers(),
            )
            assert r.status_code == 200
        drain(podium)
        yield fake


def _order(
    order_id: int,
    sku: str,
    qty: int,
    status: str = "processing",
    modified: str = "2026-11-20T10:00:00",
) -> dict[str, Any]:
    return {
        "id": order_id,
        "number": str(order_id),
        "status": status,
        "currency": "USD",
        "date_created": "2026-11-20T05:00:00",
        "date_created_gmt": "2026-11-20T10:00:00",
        "date_modified": "2026-11-20T05:00:00",
        "date_modified_gmt": modified,
        "discount_total": "0.00",
        "shipping_total": "4.00",
        "total_tax": "0.00",
        "total": f"{4 + 5 * qty}.00",
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
                "name": sku,
                "product_id": 93,
                "variation_id": 0,
                "quantity": qty,
                "subtotal": f"{5 * qty}.00",
                "total": f"{5 * qty}.00",
                "sku": sku,
                "price": 5,
            }
        ],
    }


def _post(api: Api, topic: str, payload: Any, secret: str = SECRET) -> Any:
    body, headers = woo_webhook(topic, payload, secret)
    return api.client.post("/api/v1/channels/woo/webhooks", content=body, headers=headers)


def test_the_first_ping_is_answered_200_and_nothing_stored(api: Api, woo: FakeWooCommerce) -> None:
    r = api.client.post(
        "/api/v1/channels/woo/webhooks",
        content=b"webhook_id=12",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert r.status_code == 200 and r.json()["status"] == "ping"
    assert api.ok("get", "/orders?channel=woo")["items"] == []


def test_listing_pushes_through_the_batch_endpoints(woo: FakeWooCommerce) -> None:
    assert woo.stock == {"93": 8, "22:317": 3}


def test_a_signed_woo_order_is_captured_and_its_sale_pushed(
    api: Api, podium: Podium, woo: FakeWooCommerce
) -> None:
    assert _post(api, "order.created", _order(501, "MUG", 2), secret="wrong").status_code == 401
    r = _post(api, "order.created", _order(501, "MUG", 2))
    assert r.status_code == 200 and r.json()["status"] == "created"
    drain(podium)
    assert woo.stock["22:317"] == 1
    cancelled = _order(501, "MUG", 2, status="cancelled", modified="2026-11-20T11:00:00")
    assert _post(api, "order.updated", cancelled).json()["status"] == "updated"
    drain(podium)
    assert woo.stock["22:317"] == 3


def test_reconcile_finds_and_fixes_woo_drift(api: Api, woo: FakeWooCommerce) -> None:
    woo.stock["93"] = 1
    body = api.post("/channels/woo/reconcile?fix=true", None, role="operator").json()
    assert body["drift"] == [{"sku": "TEE-M", "publishes": 8, "shows": 1, "last_pushed": 8}]
    assert woo.stock["93"] == 8


def test_shipping_completes_the_woo_order_with_a_tracking_note(
    api: Api, podium: Podium, woo: FakeWooCommerce
) -> None:
    order_id = _post(api, "order.created", _order(502, "TEE-M", 1)).json()["order_id"]
    shipment = api.ok("get", f"/orders/{order_id}")["shipments"][0]["id"]
    api.ok(
        "post",
        f"/shipments/{shipment}/ship",
        {"tracking_number": "9400111", "carrier": "USPS"},
        role="warehouse",
    )
    drain(podium)
    assert woo.orders["502"]["status"] == "completed"
    assert "9400111" in woo.notes[0]["note"] and woo.notes[0]["customer_note"] is True


def test_a_refund_listed_on_an_updated_woo_order_is_recorded_once(
    api: Api, woo: FakeWooCommerce
) -> None:
    order_id = _post(api, "order.created", _order(503, "TEE-M", 1)).json()["order_id"]
    refunded = _order(503, "TEE-M", 1, modified="2026-11-20T12:00:00")
    refunded["refunds"] = [{"id": 726, "reason": "damaged", "total": "-5.00"}]
    _post(api, "order.updated", refunded)
    again = _order(503, "TEE-M", 1, modified="2026-11-20T13:00:00") | {
        "refunds": refunded["refunds"]
    }
    _post(api, "order.updated", again)
    timeline = api.ok("get", f"/orders/{order_id}/timeline")["items"]
    refunds = [e for e in timeline if e["type"] == "channel.refund_received"]
    assert len(refunds) == 1 and refunds[0]["data"]["amount"] == "5.00"


def test_woo_listings_are_learned_from_products_and_variations(
    api: Api, podium: Podium, woo: FakeWooCommerce
) -> None:
    api.ok("post", "/products", {"sku": "HAT-S", "name": "Hat S"})
    woo.catalogue = [
        {"id": 93, "sku": "TEE-M", "variations": []},
        {"id": 40, "sku": "", "variations": [41]},
    ]
    woo.variations = {"40": [{"id": 41, "sku": "HAT-S"}]}
    assert api.post("/channels/woo/listings/learn", None).json() == {
        "found": 2,
        "learned": 1,
        "unknown": 0,
    }
    assert api.ok("get", "/channels/woo/listings/HAT-S")["remote_id"] == "40:41"
    drain(podium)
    assert woo.stock["40:41"] == 0


def _list(api: Api, sku: str, remote: str) -> None:
    r = api.client.put(
        f"/api/v1/channels/woo/listings/{sku}", json={"remote_id": remote}, headers=api.headers()
    )
    assert r.status_code == 200, r.text


def test_a_refused_batch_item_is_not_pushed_retried_and_shown_in_health(
    api: Api, podium: Podium, woo: FakeWooCommerce
) -> None:
    api.ok("post", "/products", {"sku": "HAT-S", "name": "Hat S"})
    api.ok(
        "post",
        "/inventory/adjustments",
        {"sku": "HAT-S", "warehouse": "EAST", "quantity": 4, "reason": "receipt"},
    )
    _list(api, "HAT-S", "777")  # a product id the shop does not have (deleted there)
    api.ok(
        "post",
        "/inventory/adjustments",
        {"sku": "TEE-M", "warehouse": "EAST", "quantity": -1, "reason": "damaged"},
    )
    drain(podium)
    assert woo.stock["93"] == 7 and "777" not in woo.stock  # the rest of the call went through
    health = api.ok("get", "/channels/woo/health")
    assert health["push_errors"] >= 1
    assert "HAT-S: woocommerce_rest_product_invalid_id: Invalid ID." in health["last_error"]
    assert health["pending_pushes"] == 1  # HAT-S is still owed its count
    [failed] = health["failed_pushes"]
    assert (failed["sku"], failed["status"], failed["attempts"]) == ("HAT-S", "retrying", 1)
    assert failed["reason"] == "woocommerce_rest_product_invalid_id: Invalid ID."
    assert api.ok("get", "/channels/woo/listings/HAT-S")["pushed_available"] is None
    woo.products.add("777")  # the merchant restores the product: the retry goes through
    assert api.post("/channels/woo/sync", None, role="operator").status_code == 200
    assert woo.stock["777"] == 4
    health = api.ok("get", "/channels/woo/health")
    assert health["pending_pushes"] == 0 and health["failed_pushes"] == []


def test_a_refused_variation_keeps_its_sibling_pushed(
    api: Api, podium: Podium, woo: FakeWooCommerce
) -> None:
    api.ok("post", "/products", {"sku": "MUG-XL", "name": "Mug XL"})
    _list(api, "MUG-XL", "22:999")  # not a variation of product 22
    api.ok(
        "post",
        "/inventory/adjustments",
        {"sku": "MUG", "warehouse": "EAST", "quantity": -1, "reason": "damaged"},
    )
    drain(podium)
    assert woo.stock["22:317"] == 2 and "22:999" not in woo.stock
    health = api.ok("get", "/channels/woo/health")
    assert "woocommerce_rest_product_variation_invalid_id" in health["last_error"]


def test_a_trashed_woo_order_is_cancelled_and_its_stock_released(
    api: Api, podium: Podium, woo: FakeWooCommerce
) -> None:
    order_id = _post(api, "order.created", _order(510, "MUG", 2)).json()["order_id"]
    drain(podium)
    assert woo.stock["22:317"] == 1
    r = _post(api, "order.deleted", {"id": 510})
    assert r.status_code == 200 and r.json()["status"] == "updated"
    assert api.ok("get", f"/orders/{order_id}")["status"] == "cancelled"
    drain(podium)
    assert woo.stock["22:317"] == 3
    timeline = api.ok("get", f"/orders/{order_id}/timeline")["items"]
    assert any(
        e["type"] == "channel.status_changed" and e["data"]["to"] == "trash" for e in timeline
    )


def test_a_trashed_woo_order_that_already_shipped_is_flagged_for_a_human(
    api: Api, podium: Podium, woo: FakeWooCommerce
) -> None:
    order_id = _post(api, "order.created", _order(511, "TEE-M", 1)).json()["order_id"]
    shipment = api.ok("get", f"/orders/{order_id}")["shipments"][0]["id"]
    api.ok("post", f"/shipments/{shipment}/ship", {"tracking_number": "1Z9"}, role="warehouse")
    r = _post(api, "order.deleted", {"id": "511"})
    assert r.status_code == 200
    assert api.ok("get", f"/orders/{order_id}")["status"] == "shipped"
    timeline = api.ok("get", f"/orders/{order_id}/timeline")["items"]
    [flag] = [e for e in timeline if e["type"] == "channel.cancel_refused"]
    assert "every unit has shipped" in flag["message"] and flag["data"]["shipped"] == {"TEE-M": 1}


def test_a_trash_arriving_before_its_order_cancels_the_order_when_it_arrives(
    api: Api, podium: Podium, woo: FakeWooCommerce
) -> None:
    early = _post(api, "order.deleted", {"id": 512})
    assert early.status_code == 200 and early.json()["status"] == "unmatched"
    order_id = _post(api, "order.created", _order(512, "TEE-M", 1)).json()["order_id"]
    assert api.ok("get", f"/orders/{order_id}")["status"] == "cancelled"


def test_a_trash_with_a_bad_body_is_refused_with_a_reason_not_a_500(
    api: Api, woo: FakeWooCommerce
) -> None:
    r = _post(api, "order.deleted", {"id": None})
    assert r.status_code == 422 and r.json()["error"]["details"]["field"] == "id"


def test_two_bodies_under_one_delivery_id_are_both_applied_and_a_resend_once(
    api: Api, woo: FakeWooCommerce
) -> None:
    def post(payload: Any) -> Any:
        body, headers = woo_webhook("order.created", payload, SECRET, delivery_id="same-second")
        return api.client.post("/api/v1/channels/woo/webhooks", content=body, headers=headers)

    first, second = post(_order(520, "TEE-M", 1)), post(_order(521, "TEE-M", 1))
    assert first.json()["status"] == "created" and second.json()["status"] == "created"
    again = post(_order(520, "TEE-M", 1))
    assert again.json()["status"] == "duplicate"
    assert len(api.ok("get", "/orders?channel=woo")["items"]) == 2


def test_query_auth_on_an_http_site_is_refused_with_a_422_naming_the_field(
    api: Api, woo: FakeWooCommerce
) -> None:
    r = api.client.patch(
        "/api/v1/channels/woo/settings", json={"auth": "query"}, headers=api.headers()
    )
    assert r.status_code == 422
    assert r.json()["error"]["details"]["field"] == "settings.auth"
    assert "cs_test" not in r.text


def test_a_trashed_woo_order_that_partly_shipped_cancels_the_rest_and_flags_the_shipped(
    api: Api, podium: Podium, woo: FakeWooCommerce
) -> None:
    api.ok("post", "/products", {"sku": "CAP", "name": "Cap"})
    api.ok(
        "post",
        "/inventory/adjustments",
        {"sku": "CAP", "warehouse": "WEST", "quantity": 2, "reason": "receipt"},
    )
    payload = _order(513, "TEE-M", 1)
    payload["line_items"].append(
        {
            "id": 2,
            "name": "Cap",
            "product_id": 95,
            "variation_id": 0,
            "quantity": 1,
            "subtotal": "5.00",
            "total": "5.00",
            "sku": "CAP",
            "price": 5,
        }
    )
    payload["total"] = "14.00"
    order_id = _post(api, "order.created", payload).json()["order_id"]
    shipments = api.ok("get", f"/orders/{order_id}")["shipments"]
    assert len(shipments) == 2  # TEE-M from EAST, CAP from WEST
    east = next(s for s in shipments if s["warehouse"] == "EAST")
    api.ok("post", f"/shipments/{east['id']}/ship", {"tracking_number": "1Z1"}, role="warehouse")
    assert _post(api, "order.deleted", {"id": 513}).status_code == 200
    order = api.ok("get", f"/orders/{order_id}")
    cap = next(ln for ln in order["lines"] if ln["sku"] == "CAP")
    assert cap["quantity_cancelled"] == 1  # what had not left is cancelled
    timeline = api.ok("get", f"/orders/{order_id}/timeline")["items"]
    [flag] = [e for e in timeline if e["type"] == "channel.cancelled_after_shipment"]
    assert flag["data"]["shipped"] == {"TEE-M": 1} and "human" in flag["message"]


def test_an_order_restored_from_the_trash_after_podium_cancelled_it_is_flagged(
    api: Api, woo: FakeWooCommerce
) -> None:
    order_id = _post(api, "order.created", _order(514, "TEE-M", 1)).json()["order_id"]
    _post(api, "order.deleted", {"id": 514})
    restored = _order(514, "TEE-M", 1, modified="2026-11-20T12:00:00")
    assert _post(api, "order.restored", restored).json()["status"] == "updated"
    assert api.ok("get", f"/orders/{order_id}")["status"] == "cancelled"
    timeline = api.ok("get", f"/orders/{order_id}/timeline")["items"]
    [flag] = [e for e in timeline if e["type"] == "channel.reopened"]
    assert flag["data"] == {"from": "trash", "to": "processing"} and "human" in flag["message"]
