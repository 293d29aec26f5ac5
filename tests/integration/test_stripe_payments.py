"""Stripe as the storefront's gateway (issue 14, item 19), against the local fake Stripe:
an API order carrying a PaymentIntent is authorized, captured when it ships, refunded when
the return is refunded, and Stripe's signed webhooks hold or record, once."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from fakes.stripe import FakeStripe, stripe_event, stripe_signature
from podium.bootstrap import Podium
from support import Api, order_body, seed_store

WHSEC = "whsec_podium_test_secret"


@pytest.fixture
def stripe_fake() -> Iterator[FakeStripe]:
    with FakeStripe() as fake:
        yield fake


def _drain(podium: Podium) -> None:
    while podium.relay.run_once():
        pass


def _store(api: Api, fake: FakeStripe, capture: str = "on_shipment") -> None:
    seed_store(api, {("TEE", "EAST"): 5, ("TEE", "WEST"): 5}, warehouses=("EAST", "WEST"))
    r = api.client.put(
        "/api/v1/payments/gateways/stripe",
        json={"secret_key": fake.secret_key, "webhook_secret": WHSEC, "base_url": fake.url},
        headers=api.headers(),
    )
    assert r.status_code == 200, r.text
    api.ok(
        "post",
        "/channels",
        {
            "code": "shop",
            "name": "Own shop",
            "type": "manual",
            "settings": {"payment": {"capture": capture, "gateway": "stripe"}},
        },
    )


def _paid_order(api: Api, pi: str, lines: list[tuple[str, int]], external_id: str) -> Any:
    body = order_body(lines, channel="shop", external_id=external_id)
    body["payment"] = {"gateway": "stripe", "payment_intent": pi}
    return api.post("/orders", body)


def _webhook(api: Api, payload: bytes, signature: str | None) -> Any:
    headers = {"Content-Type": "application/json"}
    if signature is not None:
        headers["Stripe-Signature"] = signature
    return api.client.post(
        "/api/v1/payments/gateways/stripe/webhooks", content=payload, headers=headers
    )


def test_gateway_secrets_are_masked_and_kept_when_not_resent(
    api: Api, stripe_fake: FakeStripe
) -> None:
    _store(api, stripe_fake)
    [view] = api.ok("get", "/payments/gateways")["items"]
    assert view["secret_key"] == "****" + stripe_fake.secret_key[-4:]
    assert view["webhook_secret"] == "****" + WHSEC[-4:]
    r = api.client.put(
        "/api/v1/payments/gateways/stripe", json={"active": True}, headers=api.headers()
    )
    assert r.status_code == 200 and r.json()["secret_key"] == view["secret_key"]
    r = api.client.put(
        "/api/v1/payments/gateways/other", json={"secret_key": "sk_x12345678"},
        headers=api.headers(),
    )  # fmt: skip
    assert (r.status_code, r.json()["error"]["details"]["field"]) == (422, "webhook_secret")
    r = api.client.put(
        "/api/v1/payments/gateways/stripe", json={"active": True}, headers=api.headers("operator")
    )
    assert r.status_code == 403


def test_an_order_with_a_payment_intent_is_authorized_captured_on_shipment_and_refunded(
    api: Api, podium: Podium, stripe_fake: FakeStripe
) -> None:
    _store(api, stripe_fake)
    pi = stripe_fake.create_intent(3998)  # 2 × 19.99
    r = _paid_order(api, pi, [("TEE", 2)], "s1")
    assert r.status_code == 201, r.text
    order = r.json()
    assert order["payment_status"] == "authorized"
    _drain(podium)
    pays = api.ok("get", f"/orders/{order['id']}/payments")
    assert [(p["kind"], p["gateway"], p["reference"]) for p in pays["items"]] == [
        ("authorize", "stripe", pi)
    ]
    assert stripe_fake.intents[pi].captures == 0
    # The same order again: the same order, nothing authorized twice.
    again = _paid_order(api, pi, [("TEE", 2)], "s1")
    assert (again.status_code, again.json()["id"]) == (200, order["id"])
    shipment = order["shipments"][0]["id"]
    api.ok("post", f"/shipments/{shipment}/ship", {})
    _drain(podium)
    assert stripe_fake.intents[pi].amount_received == 3998
    assert stripe_fake.intents[pi].status == "succeeded"
    capture = next(c for c in stripe_fake.calls if c[2] == "capture_payment_intent")
    assert capture[3] == {"amount_to_capture": "3998"}
    assert capture[4] == f"podium-{order['id']}-capture-1"  # the idempotency key
    assert api.ok("get", f"/orders/{order['id']}")["payment_status"] == "paid"
    # A return, received and refunded: the refund goes to Stripe.
    rma = api.ok(
        "post", f"/orders/{order['id']}/returns",
        {"lines": [{"sku": "TEE", "quantity": 1, "reason": "size_fit"}]},
    )  # fmt: skip
    api.ok("post", f"/returns/{rma['id']}/approve", {})
    api.ok(
        "post", f"/returns/{rma['id']}/receive",
        {"lines": [{"sku": "TEE", "quantity": 1, "disposition": "restock"}]},
    )  # fmt: skip
    refund = api.ok("post", f"/returns/{rma['id']}/refund", {})
    assert refund["amount"] == "19.99"
    [made] = stripe_fake.refunds.values()
    assert (made["payment_intent"], made["amount"]) == (pi, 1999)
    pays = api.ok("get", f"/orders/{order['id']}/payments")
    assert pays["payment_status"] == "partially_refunded"
    assert pays["items"][-1]["reference"] == made["id"]
    # Stripe's charge.refunded for Podium's own refund records nothing more.
    charge = {
        "id": stripe_fake.intents[pi].charge, "object": "charge", "amount_refunded": 1999,
        "currency": "usd", "payment_intent": pi,
    }  # fmt: skip
    body = stripe_event("charge.refunded", charge)
    assert _webhook(api, body, stripe_signature(WHSEC, body)).json()["status"] == "known"
    assert api.ok("get", f"/orders/{order['id']}/payments")["refunded"] == "19.99"


def test_capture_on_placement_captures_the_payment_intent_at_once(
    api: Api, podium: Podium, stripe_fake: FakeStripe
) -> None:
    _store(api, stripe_fake, capture="on_placement")
    pi = stripe_fake.create_intent(1999)
    order = _paid_order(api, pi, [("TEE", 1)], "p1").json()
    assert order["payment_status"] == "paid"
    _drain(podium)
    assert stripe_fake.intents[pi].captures == 1  # once, though the relay ran the policy too


def test_a_payment_intent_that_does_not_match_the_order_places_nothing(
    api: Api, stripe_fake: FakeStripe
) -> None:
    _store(api, stripe_fake)
    wrong_amount = stripe_fake.create_intent(1000)
    r = _paid_order(api, wrong_amount, [("TEE", 1)], "m1")
    assert (r.status_code, r.json()["error"]["code"]) == (422, "payment_mismatch")
    assert r.json()["error"]["details"]["field"] == "payment.payment_intent"
    wrong_currency = stripe_fake.create_intent(1999, "eur")
    r = _paid_order(api, wrong_currency, [("TEE", 1)], "m2")
    assert r.json()["error"]["code"] == "payment_mismatch"
    unconfirmed = stripe_fake.create_intent(1999, status="requires_payment_method")
    r = _paid_order(api, unconfirmed, [("TEE", 1)], "m3")
    assert (r.status_code, r.json()["error"]["code"]) == (409, "payment_not_authorized")
    r = _paid_order(api, "pi_unknown", [("TEE", 1)], "m4")
    assert r.json()["error"]["code"] == "payment_intent_not_found"
    assert api.ok("get", "/orders")["items"] == []  # nothing half-written
    ok = stripe_fake.create_intent(1999)
    assert _paid_order(api, ok, [("TEE", 1)], "m5").status_code == 201
    r = _paid_order(api, ok, [("TEE", 1)], "m6")
    assert (r.status_code, r.json()["error"]["code"]) == (409, "payment_intent_used")


def test_a_declined_capture_is_recorded_failed_and_a_rate_limit_is_retried(
    api: Api, podium: Podium, stripe_fake: FakeStripe
) -> None:
    _store(api, stripe_fake)
    pi = stripe_fake.create_intent(1999, declines=True)
    order = _paid_order(api, pi, [("TEE", 1)], "d1").json()
    stripe_fake.rate_limit_next = 1
    api.ok("post", f"/shipments/{order['shipments'][0]['id']}/ship", {})
    _drain(podium)
    assert stripe_fake.rate_limited == 1
    pays = api.ok("get", f"/orders/{order['id']}/payments")
    assert [(p["kind"], p["status"]) for p in pays["items"]] == [
        ("authorize", "succeeded"), ("capture", "failed"),
    ]  # fmt: skip
    timeline = api.ok("get", f"/orders/{order['id']}/timeline")["items"]
    assert any("card_declined" in t["message"] for t in timeline)


def test_cancelling_the_order_cancels_the_payment_intent(
    api: Api, podium: Podium, stripe_fake: FakeStripe
) -> None:
    _store(api, stripe_fake)
    pi = stripe_fake.create_intent(1999)
    order = _paid_order(api, pi, [("TEE", 1)], "c1").json()
    api.ok("post", f"/orders/{order['id']}/cancel", {})
    _drain(podium)
    assert stripe_fake.intents[pi].status == "canceled"
    assert api.ok("get", f"/orders/{order['id']}")["payment_status"] == "voided"
    body = stripe_event("payment_intent.canceled", stripe_fake.intents[pi].body())
    assert _webhook(api, body, stripe_signature(WHSEC, body)).json()["status"] == "known"


def test_a_dispute_webhook_holds_the_order_once_and_bad_signatures_are_refused(
    api: Api, stripe_fake: FakeStripe
) -> None:
    _store(api, stripe_fake)
    pi = stripe_fake.create_intent(1999)
    order = _paid_order(api, pi, [("TEE", 1)], "w1").json()
    dispute = {
        "id": "dp_1", "object": "dispute", "amount": 1999, "currency": "usd",
        "charge": stripe_fake.intents[pi].charge, "payment_intent": pi,
        "reason": "fraudulent", "status": "needs_response",
    }  # fmt: skip
    body = stripe_event("charge.dispute.created", dispute, "evt_dispute_1")
    assert _webhook(api, body, None).status_code == 401
    assert _webhook(api, body, stripe_signature("whsec_wrong_secret", body)).status_code == 401
    stale = stripe_signature(WHSEC, body, at=int(time.time()) - 301)
    assert _webhook(api, body, stale).status_code == 401
    tampered = body.replace(b"fraudulent", b"duplicate")
    assert _webhook(api, tampered, stripe_signature(WHSEC, body)).status_code == 401
    assert api.ok("get", f"/orders/{order['id']}")["status"] == "ready"  # nothing applied
    r = _webhook(api, body, stripe_signature(WHSEC, body))
    assert r.json() == {"status": "held", "event": "evt_dispute_1", "order_id": order["id"]}
    again = _webhook(api, body, stripe_signature(WHSEC, body))
    assert again.json()["status"] == "duplicate"
    view = api.ok("get", f"/orders/{order['id']}")
    assert view["status"] == "on_hold"
    assert [h["reason"] for h in view["holds"]] == ["dispute"]
    timeline = api.ok("get", f"/orders/{order['id']}/timeline")["items"]
    assert [t["type"] for t in timeline].count("payment.disputed") == 1


def test_a_refund_made_in_the_stripe_dashboard_is_recorded_once(
    api: Api, podium: Podium, stripe_fake: FakeStripe
) -> None:
    _store(api, stripe_fake, capture="on_placement")
    pi = stripe_fake.create_intent(3998)
    order = _paid_order(api, pi, [("TEE", 2)], "r1").json()
    charge = stripe_fake.refund_in_dashboard(pi, 500)
    body = stripe_event("charge.refunded", charge, "evt_refund_1")
    assert _webhook(api, body, stripe_signature(WHSEC, body)).json()["status"] == "recorded"
    assert _webhook(api, body, stripe_signature(WHSEC, body)).json()["status"] == "duplicate"
    pays = api.ok("get", f"/orders/{order['id']}/payments")
    assert (pays["refunded"], pays["payment_status"]) == ("5.00", "partially_refunded")


def test_a_failed_or_expired_payment_intent_holds_the_order(
    api: Api, stripe_fake: FakeStripe
) -> None:
    _store(api, stripe_fake)
    pi = stripe_fake.create_intent(1999)
    order = _paid_order(api, pi, [("TEE", 1)], "x1").json()
    expired = {**stripe_fake.intents[pi].body(), "status": "canceled",
               "cancellation_reason": "automatic"}  # fmt: skip
    body = stripe_event("payment_intent.canceled", expired)
    assert _webhook(api, body, stripe_signature(WHSEC, body)).json()["status"] == "held"
    view = api.ok("get", f"/orders/{order['id']}")
    assert (view["status"], view["payment_status"]) == ("on_hold", "voided")
    assert [h["reason"] for h in view["holds"]] == ["payment"]
    unknown = stripe_event("payment_intent.payment_failed", {"id": "pi_elsewhere"})
    r = _webhook(api, unknown, stripe_signature(WHSEC, unknown))
    assert (r.status_code, r.json()["status"]) == (200, "ignored")


def test_a_lowered_total_is_captured_partially_and_later_shipments_capture_nothing_more(
    api: Api, podium: Podium, stripe_fake: FakeStripe
) -> None:
    _store(api, stripe_fake)
    pi = stripe_fake.create_intent(3998)
    order = _paid_order(api, pi, [("TEE", 2)], "e1").json()
    edited = api.patch(f"/orders/{order['id']}", {"lines": [{"sku": "TEE", "quantity": 1}]})
    assert edited.status_code == 200, edited.text
    shipment = edited.json()["shipments"][-1]["id"]
    api.ok("post", f"/shipments/{shipment}/ship", {})
    _drain(podium)
    capture = next(c for c in stripe_fake.calls if c[2] == "capture_payment_intent")
    assert capture[3] == {"amount_to_capture": "1999"}  # a partial capture; the rest released
    assert (stripe_fake.intents[pi].amount_received, stripe_fake.intents[pi].captures) == (1999, 1)
    assert api.ok("get", f"/orders/{order['id']}")["payment_status"] == "paid"


def test_a_split_order_captures_everything_with_its_first_shipment(
    api: Api, podium: Podium, stripe_fake: FakeStripe
) -> None:
    _store(api, stripe_fake)
    api.ok("post", "/inventory/adjustments",
           {"sku": "TEE", "warehouse": "EAST", "quantity": -4, "reason": "count"})  # fmt: skip
    api.ok("post", "/inventory/adjustments",
           {"sku": "TEE", "warehouse": "WEST", "quantity": -4, "reason": "count"})  # fmt: skip
    pi = stripe_fake.create_intent(3998)
    order = _paid_order(api, pi, [("TEE", 2)], "sp1").json()
    assert len(order["shipments"]) == 2
    api.ok("post", f"/shipments/{order['shipments'][0]['id']}/ship", {})
    _drain(podium)
    assert stripe_fake.intents[pi].amount_received == 3998  # one capture per PaymentIntent
    api.ok("post", f"/shipments/{order['shipments'][1]['id']}/ship", {})
    _drain(podium)
    assert stripe_fake.intents[pi].captures == 1
    pays = api.ok("get", f"/orders/{order['id']}/payments")
    assert [p["kind"] for p in pays["items"]] == ["authorize", "capture"]


def test_a_dispute_on_a_shipped_order_is_written_on_the_timeline(
    api: Api, podium: Podium, stripe_fake: FakeStripe
) -> None:
    _store(api, stripe_fake)
    pi = stripe_fake.create_intent(1999)
    order = _paid_order(api, pi, [("TEE", 1)], "ds1").json()
    api.ok("post", f"/shipments/{order['shipments'][0]['id']}/ship", {})
    _drain(podium)
    dispute = {"id": "dp_2", "object": "dispute", "amount": 1999, "currency": "usd",
               "payment_intent": pi, "reason": "product_not_received"}  # fmt: skip
    body = stripe_event("charge.dispute.created", dispute)
    assert _webhook(api, body, stripe_signature(WHSEC, body)).json()["status"] == "recorded"
    view = api.ok("get", f"/orders/{order['id']}")
    assert view["status"] == "shipped"  # a shipped order cannot be held; the entry says it
    timeline = api.ok("get", f"/orders/{order['id']}/timeline")["items"]
    [entry] = [t for t in timeline if t["type"] == "payment.disputed"]
    assert "product_not_received" in entry["message"]
