"""Every request Podium sends to Stripe, checked against Stripe's published request models.

Stripe's OpenAPI spec (stripe/openapi, spec3.json) is too large to keep here; the official
``stripe`` Python library ships typed request parameters generated from that spec
(``stripe.params.*Params`` TypedDicts, "File generated from our OpenAPI spec"). Podium's Stripe
gateway is run against the fake Stripe, which records each request as it went over the wire
(form-encoded); each parameter must be declared by that operation's TypedDict with a
compatible type (an integer for ``int``, one of the values of a ``Literal``, a map of strings
for ``metadata``). See SOURCES.md.
"""

from __future__ import annotations

import sys
import types
import typing
from collections.abc import Iterator
from typing import Any, ForwardRef, Literal, NotRequired, Required, Union, get_args, get_origin

import pytest
from stripe._request_options import RequestOptions
from stripe._stripe_object import UntypedStripeObject

from fakes.stripe import OPERATIONS, FakeStripe
from podium.payments import StripeGateway


def _nested(params: dict[str, str]) -> dict[str, Any]:
    """Form keys (``metadata[a]``, ``expand[0]``) back into the structure they encode."""
    out: dict[str, Any] = {}
    for key, value in params.items():
        head, _, rest = key.partition("[")
        if not rest:
            out[head] = value
            continue
        inner = out.setdefault(head, {})
        inner[rest.rstrip("]").split("][")[0]] = value
    return out


def _resolve(tp: Any, ns: dict[str, Any]) -> Any:
    if isinstance(tp, str):
        tp = eval(tp, ns)
    if isinstance(tp, ForwardRef):
        tp = eval(tp.__forward_arg__, ns)
    if get_origin(tp) in (NotRequired, Required):
        return _resolve(get_args(tp)[0], ns)
    return tp


def _namespace(td: type) -> dict[str, Any]:
    ns = dict(vars(typing))
    ns.update(vars(sys.modules[td.__module__]))
    return ns


def compatible(value: Any, tp: Any, ns: dict[str, Any]) -> bool:
    tp = _resolve(tp, ns)
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        return any(compatible(value, arg, ns) for arg in get_args(tp))
    if origin is Literal:
        return value in [str(a) for a in get_args(tp)]
    if tp is int:
        return isinstance(value, str) and value.lstrip("-").isdigit()
    if tp is bool:
        return value in ("true", "false")
    if tp is str:
        return isinstance(value, str)
    if origin in (dict, typing.Dict) or origin is UntypedStripeObject:  # noqa: UP006
        return isinstance(value, dict) and all(isinstance(v, str) for v in value.values())
    if isinstance(tp, type) and typing.is_typeddict(tp):
        return isinstance(value, dict) and all(
            k in tp.__annotations__ and compatible(v, tp.__annotations__[k], _namespace(tp))
            for k, v in value.items()
        )
    return False


def problems(operation: str, params: dict[str, str]) -> list[str]:
    td = OPERATIONS[operation]
    ns = _namespace(td)
    found = []
    for key, value in _nested(params).items():
        if key in RequestOptions.__annotations__ or key not in td.__annotations__:
            found.append(f"{operation}: {key} is not a parameter of {td.__name__}")
        elif not compatible(value, td.__annotations__[key], ns):
            found.append(f"{operation}: {key}={value!r} is not a {td.__annotations__[key]}")
    return found


@pytest.fixture
def sent() -> Iterator[list[tuple[str, dict[str, str], str | None]]]:
    """Every request of a full money journey: read, capture, refund twice, cancel another."""
    with FakeStripe() as fake:
        gw = StripeGateway("stripe", fake.secret_key, base_url=fake.url, network_retries=0)
        pi = fake.create_intent(5000)
        assert gw.retrieve(pi) is not None
        assert gw.capture(pi, 4000, "USD", idempotency_key="podium-ord_1-capture-1").succeeded
        assert gw.refund(pi, 1000, "USD", idempotency_key="podium-ord_1-refund-2").succeeded
        assert gw.refund(pi, 500, "USD", idempotency_key="podium-ord_1-refund-3").succeeded
        other = fake.create_intent(700)
        assert gw.void(other, idempotency_key="podium-ord_2-void-1").succeeded
        yield [(op, params, key) for _m, _p, op, params, key in fake.calls]


def test_every_parameter_podium_sends_is_declared_by_stripes_published_model(
    sent: list[tuple[str, dict[str, str], str | None]],
) -> None:
    assert {op for op, _, _ in sent} == set(OPERATIONS)
    assert [p for op, params, _ in sent for p in problems(op, params)] == []


def test_every_money_moving_call_carries_podiums_idempotency_key(
    sent: list[tuple[str, dict[str, str], str | None]],
) -> None:
    posts = [(op, key) for op, _, key in sent if op != "retrieve_payment_intent"]
    assert posts and all(key and key.startswith("podium-ord_") for _, key in posts)


def test_the_checker_refuses_what_stripe_would_refuse() -> None:
    assert problems("capture_payment_intent", {"amount": "100"}) == [
        "capture_payment_intent: amount is not a parameter of PaymentIntentCaptureParams"
    ]
    assert problems("capture_payment_intent", {"amount_to_capture": "12.50"})
    assert problems("capture_payment_intent", {"final_capture": "maybe"})
    assert problems("create_refund", {"payment_intent": "pi_1", "idempotency_key": "k"})
    assert not problems("create_refund", {"payment_intent": "pi_1", "metadata[a]": "b"})
