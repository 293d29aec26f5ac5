"""Refunds and cancellations made in Podium reach the platform that took the money (issue 14
item 18), over real HTTP against a fake WooCommerce that enforces its refund rules; what came
from the platform never goes back; refusals wait for a human on the timeline and health."""

from __future__ import annotations

import copy
import time
from collections.abc import Iterator
from typing import Any

import pytest

from channel_support import drain
from fakes.channels.woocommerce import woo_webhook
from fakes.channels.woocommerce_refunds import FakeWooCommerceMoney
from podium.bootstrap import Podium
from podium.channels.woocommerce_money import META_KEY
from support import Api, seed_store

SECRET = "woo-webhook-secret"


@pytest.fixture
def woo(api: Api, podium: Podium) -> Iterator[FakeWooCommerceMoney]:
    with FakeWooCommerceMoney() as fake:
        seed_store(api, {("TEE-M", "EAST"): 8})
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
        r = api.client.put(
            "/api/v1/channels/woo/listings/TEE-M", json={"remote_id": "93"}, headers=api.headers()
        )
        assert r.status_code == 200
        drain(podium)
        yield fake


def _order(
    order_id: int, qty: int = 2, status: str = "processing", hour: int = 10
) -> dict[str, Any]:
    return {
        "id": order_id,
        "number": str(order_id),
        "status": status,
        "currency": "USD",
        "date_created_gmt": "2026-11-20T10:00:00",
        "date_modified_gmt": f"2026-11-20T{hour:02d}:00:00",
        "date_paid_gmt": "2026-11-20T10:00:00",
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
                "id": 71,
                "name": "Tee",
                "product_id": 93,
                "variation_id": 0,
                "quantity": qty,
                "subtotal": f"{5 * qty}.00",
                "total": f"{5 * qty}.00",
                "taxes": [],
                "sku": "TEE-M",
                "price": 5,
            }
        ],
        "shipping_lines": [{"id": 72, "method_id": "flat_rate", "total": "4.00"}],
    }


def _capture(api: Api, woo: FakeWooCommerceMoney, payload: dict[str, Any]) -> str:
    woo.orders[str(payload["id"])] = {k: v for k, v in copy.deepcopy(payload).items() if k != "id"}
    r = _webhook(api, "order.created", payload)
    assert r.status_code == 200, r.text
    return str(r.json()["order_id"])


def _webhook(api: Api, topic: str, payload: dict[str, Any]) -> Any:
    body, headers = woo_webhook(topic, payload, SECRET)
    return api.client.post("/api/v1/channels/woo/webhooks", content=body, headers=headers)


def _timeline(api: Api, order_id: str, kind: str) -> list[dict[str, Any]]:
    items = api.ok("get", f"/orders/{order_id}/timeline")["items"]
    return [e for e in items if e["type"] == kind]


def _refund_one_tee(api: Api, order_id: str) -> dict[str, Any]:
    refund: dict[str, Any] = api.ok(
        "post",
        f"/orders/{order_id}/refunds",
        {"lines": [{"sku": "TEE-M", "quantity": 1}], "reason": "too small"},
    )
    return refund


def test_a_podium_refund_of_a_woo_order_is_made_on_woocommerce_once(
    api: Api, podium: Podium, woo: FakeWooCommerceMoney
) -> None:
    order_id = _capture(api, woo, _order(601))
    drain(podium)
    refund = _refund_one_tee(api, order_id)
    woo.lose_next_answers = 1  # made on WooCommerce, but the answer is lost: a failure
    drain(podium)
    assert woo.refund_posts == 1 and _timeline(api, order_id, "channel.refund_pushed") == []
    time.sleep(1.1)  # the relay's backoff
    drain(podium)
    [made] = woo.refunds["601"]
    assert woo.refund_posts == 1  # the retry found the refund by Podium's id
    assert made["amount"] == "5.00" and made["refunded_payment"] is True
    assert {"id": 1, "key": META_KEY, "value": refund["id"]} in made["meta_data"]
    assert made["line_items"] == [{"id": 71, "quantity": -1}]
    assert made["reason"].startswith(f"Podium refund {refund['id']}")
    [pushed] = _timeline(api, order_id, "channel.refund_pushed")
    assert pushed["data"]["platform_refund_id"] == str(made["id"])
    assert f"WooCommerce refund {made['id']} created" in pushed["message"]
    refunds = api.ok("get", f"/orders/{order_id}/refunds")
    assert [r["channel_refund_id"] for r in refunds["items"]] == [str(made["id"])]


def test_woocommerce_echoing_podiums_refund_back_records_nothing_twice(
    api: Api, podium: Podium, woo: FakeWooCommerceMoney
) -> None:
    order_id = _capture(api, woo, _order(602))
    drain(podium)
    _refund_one_tee(api, order_id)
    drain(podium)
    [made] = woo.refunds["602"]
    echoed = _order(602, hour=12) | {
        "refunds": [{"id": made["id"], "reason": made["reason"], "total": "-5.00"}]
    }
    assert _webhook(api, "order.updated", echoed).status_code == 200
    drain(podium)
    assert len(api.ok("get", f"/orders/{order_id}/refunds")["items"]) == 1
    assert woo.refund_posts == 1


def test_a_refund_woocommerce_made_is_not_pushed_back(
    api: Api, podium: Podium, woo: FakeWooCommerceMoney
) -> None:
    order_id = _capture(api, woo, _order(603))
    drain(podium)
    refunded = _order(603, hour=12) | {
        "refunds": [{"id": 726, "reason": "damaged", "total": "-5.00"}]
    }
    assert _webhook(api, "order.updated", refunded).status_code == 200
    drain(podium)
    [recorded] = api.ok("get", f"/orders/{order_id}/refunds")["items"]
    assert recorded["channel_refund_id"] == "726" and recorded["amount"] == "5.00"
    assert woo.refund_posts == 0 and _timeline(api, order_id, "channel.refund_pushed") == []


def test_a_podium_cancel_reaches_woocommerce_and_a_woo_cancel_does_not_go_back(
    api: Api, podium: Podium, woo: FakeWooCommerceMoney
) -> None:
    order_id = _capture(api, woo, _order(604))
    drain(podium)
    api.ok("post", f"/orders/{order_id}/cancel", {"reason": "customer asked"})
    drain(podium)
    assert woo.orders["604"]["status"] == "cancelled"
    assert "customer asked" in woo.notes[-1]["note"] and woo.notes[-1]["customer_note"] is False
    assert len(_timeline(api, order_id, "channel.cancel_pushed")) == 1
    [money_back] = woo.refunds["604"]  # WooCommerce refunds nothing on cancel by itself
    assert money_back["amount"] == "14.00" and money_back["api_restock"] is False
    assert {"id": 1, "key": META_KEY, "value": "cancel:604"} in money_back["meta_data"]
    echoed = _order(604, status="cancelled", hour=12) | {
        "refunds": [{"id": money_back["id"], "reason": money_back["reason"], "total": "-14.00"}]
    }
    assert _webhook(api, "order.updated", echoed).status_code == 200
    drain(podium)
    [recorded] = api.ok("get", f"/orders/{order_id}/refunds")["items"]  # the channel's fact
    assert recorded["channel_refund_id"] == str(money_back["id"])
    assert woo.refund_posts == 1 and len(woo.refunds["604"]) == 1

    other = _capture(api, woo, _order(605))
    drain(podium)
    notes = len(woo.notes)
    assert (
        _webhook(api, "order.updated", _order(605, status="cancelled", hour=12)).status_code == 200
    )
    drain(podium)
    assert api.ok("get", f"/orders/{other}")["status"] == "cancelled"
    assert woo.orders["605"]["status"] == "processing"  # never told: it said so itself
    assert len(woo.notes) == notes and _timeline(api, other, "channel.cancel_pushed") == []


def test_a_refused_refund_shows_on_the_timeline_and_health_and_is_not_retried(
    api: Api, podium: Podium, woo: FakeWooCommerceMoney
) -> None:
    order_id = _capture(api, woo, _order(606))
    drain(podium)
    woo.gateway_refunds = False  # e.g. cash on delivery
    _refund_one_tee(api, order_id)
    drain(podium)
    time.sleep(1.1)
    drain(podium)
    assert woo.refund_posts == 1 and "606" not in woo.refunds
    [refused] = _timeline(api, order_id, "channel.refund_refused")
    assert "does not support automatic refunds" in refused["message"]
    assert refused["data"]["code"] == "platform_error"
    health = api.ok("get", "/channels/woo/health")
    assert "does not support automatic refunds" in health["last_error"]


def test_a_refund_over_what_woocommerce_has_left_is_refused_with_its_reason(
    api: Api, podium: Podium, woo: FakeWooCommerceMoney
) -> None:
    order_id = _capture(api, woo, _order(607))
    drain(podium)
    woo.refunds["607"] = [
        {"id": 5, "amount": "12.00", "reason": "", "meta_data": [], "line_items": []}
    ]
    _refund_one_tee(api, order_id)
    drain(podium)
    [refused] = _timeline(api, order_id, "channel.refund_refused")
    assert "Invalid refund amount" in refused["message"]


def test_a_channel_can_turn_refund_and_cancel_pushes_off(
    api: Api, podium: Podium, woo: FakeWooCommerceMoney
) -> None:
    changed = api.ok(
        "patch", "/channels/woo/settings", {"push_refunds": False, "push_cancellations": False}
    )
    assert changed["push_refunds"] is False and changed["push_cancellations"] is False
    order_id = _capture(api, woo, _order(608))
    drain(podium)
    _refund_one_tee(api, order_id)
    api.ok("post", f"/orders/{order_id}/cancel", {})
    drain(podium)
    assert woo.refund_posts == 0 and woo.orders["608"]["status"] == "processing"


def test_a_cancel_whose_refund_woocommerce_refuses_still_cancels_and_shows_the_refusal(
    api: Api, podium: Podium, woo: FakeWooCommerceMoney
) -> None:
    order_id = _capture(api, woo, _order(609))
    drain(podium)
    woo.gateway_refunds = False
    api.ok("post", f"/orders/{order_id}/cancel", {})
    drain(podium)
    assert woo.orders["609"]["status"] == "cancelled" and "609" not in woo.refunds
    [refused] = _timeline(api, order_id, "channel.cancel_push_refused")
    assert "refused to refund USD 14.00" in refused["message"]
    assert "does not support automatic refunds" in refused["message"]
