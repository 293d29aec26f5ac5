"""The Stripe gateway against the local fake Stripe, and the fake's own rules."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import httpx
import pytest

from fakes.stripe import FakeStripe
from podium.errors import Conflict, ValidationFailed
from podium.payments import GatewayAuthFailed, GatewayUnavailable, StripeGateway
from podium.payments.checkout import check_intent
from podium.payments.gateways import operation_key
from podium.payments.stripe_gateway import Intent


@pytest.fixture
def fake() -> Iterator[FakeStripe]:
    with FakeStripe() as server:
        yield server


def _gateway(fake: FakeStripe, key: str | None = None, **kw: object) -> StripeGateway:
    return StripeGateway(
        "stripe",
        key or fake.secret_key,
        base_url=fake.url,
        network_retries=0,
        sleep=lambda _s: None,
        **kw,  # type: ignore[arg-type]
    )


def test_a_capture_retried_with_its_key_is_replayed_not_captured_twice(fake: FakeStripe) -> None:
    pi = fake.create_intent(2500)
    gw = _gateway(fake)
    first = gw.capture(pi, 2000, "USD", idempotency_key="podium-ord_1-capture-1")
    again = gw.capture(pi, 2000, "USD", idempotency_key="podium-ord_1-capture-1")
    assert first.succeeded and again.succeeded
    assert (fake.replayed, fake.intents[pi].captures, fake.intents[pi].amount_received) == (
        1,
        1,
        2000,
    )


def test_a_key_reused_with_other_parameters_is_refused_as_stripe_does(fake: FakeStripe) -> None:
    pi = fake.create_intent(2500)
    gw = _gateway(fake)
    assert gw.capture(pi, 2000, "USD", idempotency_key="k-1").succeeded
    other = gw.capture(pi, 100, "USD", idempotency_key="k-1")
    assert not other.succeeded and "same parameters" in other.message


def test_one_partial_capture_per_payment_intent_within_what_is_capturable(
    fake: FakeStripe,
) -> None:
    gw = _gateway(fake)
    pi = fake.create_intent(1000)
    too_much = gw.capture(pi, 1001, "USD", idempotency_key="c-1")
    assert not too_much.succeeded and too_much.message.startswith("amount_too_large")
    assert gw.capture(pi, 600, "USD", idempotency_key="c-2").succeeded
    assert fake.intents[pi].amount_capturable == 0  # the rest is released
    second = gw.capture(pi, 400, "USD", idempotency_key="c-3")
    assert not second.succeeded and "payment_intent_unexpected_state" in second.message


def test_refunds_never_exceed_what_was_captured(fake: FakeStripe) -> None:
    gw = _gateway(fake)
    pi = fake.create_intent(1000)
    assert not gw.refund(pi, 100, "USD", idempotency_key="r-0").succeeded  # nothing captured
    assert gw.capture(pi, 1000, "USD", idempotency_key="c-1").succeeded
    done = gw.refund(pi, 700, "USD", idempotency_key="r-1")
    assert done.succeeded and done.reference.startswith("re_")
    over = gw.refund(pi, 301, "USD", idempotency_key="r-2")
    assert not over.succeeded and over.message.startswith("amount_too_large")
    assert gw.refund(pi, 300, "USD", idempotency_key="r-3").succeeded


def test_a_declined_card_is_a_failed_capture_with_the_decline_code(fake: FakeStripe) -> None:
    pi = fake.create_intent(1000, declines=True)
    result = _gateway(fake).capture(pi, 1000, "USD", idempotency_key="c-1")
    assert not result.succeeded
    assert result.message.startswith("card_declined: insufficient_funds")


def test_void_cancels_an_uncaptured_payment_intent_but_not_a_captured_one(
    fake: FakeStripe,
) -> None:
    gw = _gateway(fake)
    open_pi, paid_pi = fake.create_intent(500), fake.create_intent(500)
    assert gw.void(open_pi, idempotency_key="v-1").succeeded
    assert fake.intents[open_pi].status == "canceled"
    assert gw.capture(paid_pi, 500, "USD", idempotency_key="c-1").succeeded
    assert not gw.void(paid_pi, idempotency_key="v-2").succeeded


def test_rate_limits_are_retried_with_the_same_key_then_reported(fake: FakeStripe) -> None:
    pi = fake.create_intent(1000)
    gw = _gateway(fake, rate_limit_retries=2)
    fake.rate_limit_next = 2
    assert gw.capture(pi, 1000, "USD", idempotency_key="c-1").succeeded
    keys = [c[4] for c in fake.calls if c[2] == "capture_payment_intent"]
    assert keys == ["c-1", "c-1", "c-1"]
    fake.rate_limit_next = 3
    with pytest.raises(GatewayUnavailable) as caught:
        gw.refund(pi, 100, "USD", idempotency_key="r-1")
    assert (caught.value.code, caught.value.status) == ("gateway_rate_limited", 503)


def test_a_wrong_key_and_an_unreachable_stripe_are_clear_errors(fake: FakeStripe) -> None:
    pi = fake.create_intent(1000)
    with pytest.raises(GatewayAuthFailed) as bad_key:
        _gateway(fake, key="sk_test_wrong_key").capture(pi, 1000, "USD", idempotency_key="c")
    assert (bad_key.value.code, bad_key.value.status) == ("gateway_auth_failed", 502)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    down = StripeGateway("stripe", "sk_test_x", base_url=f"http://127.0.0.1:{port}",
                         network_retries=0)  # fmt: skip
    with pytest.raises(GatewayUnavailable) as caught:
        down.retrieve("pi_1")
    assert caught.value.code == "gateway_unreachable"


def test_the_fake_takes_only_form_encoded_declared_parameters_with_the_key(
    fake: FakeStripe,
) -> None:
    pi = fake.create_intent(1000)
    auth = {"Authorization": f"Bearer {fake.secret_key}"}
    url = f"{fake.url}/v1/payment_intents/{pi}/capture"
    assert httpx.post(url, data={"amount_to_capture": "10"}).status_code == 401
    assert httpx.post(url, json={"amount_to_capture": 10}, headers=auth).status_code == 400
    r = httpx.post(url, data={"amount": "10"}, headers=auth)
    assert (r.status_code, r.json()["error"]["code"]) == (400, "parameter_unknown")
    assert httpx.get(f"{fake.url}/v1/payment_intents/pi_none", headers=auth).status_code == 404


def test_an_intent_is_checked_against_the_order_total_and_currency() -> None:
    intent = Intent("pi_1", "requires_capture", 1999, 1999, 0, "USD", "manual")
    assert check_intent(intent, "pi_1", 1999, "USD") is intent
    with pytest.raises(ValidationFailed) as amount:
        check_intent(intent, "pi_1", 2000, "USD")
    assert amount.value.code == "payment_mismatch"
    with pytest.raises(ValidationFailed):
        check_intent(intent, "pi_1", 1999, "EUR")
    pending = Intent("pi_1", "requires_payment_method", 1999, 0, 0, "USD", "manual")
    with pytest.raises(Conflict) as status:
        check_intent(pending, "pi_1", 1999, "USD")
    assert status.value.code == "payment_not_authorized"
    with pytest.raises(ValidationFailed) as missing:
        check_intent(None, "pi_1", 1999, "USD")
    assert missing.value.details["field"] == "payment.payment_intent"


def test_operation_keys_repeat_for_a_retry_and_differ_for_the_next_operation() -> None:
    assert operation_key("ord_1", "capture", 1) == operation_key("ord_1", "capture", 1)
    assert operation_key("ord_1", "capture", 1) != operation_key("ord_1", "capture", 2)
