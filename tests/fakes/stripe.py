"""A fake Stripe API (v1 PaymentIntents and Refunds) on 127.0.0.1, and signed webhook events.

It enforces what Stripe does, so a test passing here means something:
- ``Authorization: Bearer <secret key>``, else 401;
- form-encoded bodies (``application/x-www-form-urlencoded``), else 400; parameters the
  operation does not declare (per the ``stripe`` library's params TypedDicts, generated from
  Stripe's OpenAPI spec) are 400 ``parameter_unknown``;
- ``Idempotency-Key``: the same key with the same parameters replays the first answer
  (``Idempotent-Replayed: true``); the same key with other parameters is 400
  ``idempotency_error``; rate-limited requests are not remembered (they never ran);
- captures: only a ``requires_capture`` PaymentIntent, ``amount_to_capture`` at most
  ``amount_capturable``, one capture per PaymentIntent (the rest is released); a PaymentIntent
  made with ``declines=True`` answers 402 ``card_error`` / ``card_declined``;
- refunds: on a succeeded PaymentIntent, never more than captured less refunded;
- cancels: not after a capture;
- ``rate_limit_next = N``: the next N requests are 429 ``rate_limit``.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import stripe.params as sp
from stripe._request_options import RequestOptions

from fakes.channels.base import FakeServer, Reply

__all__ = ["OPERATIONS", "FakeStripe", "Intent", "stripe_event", "stripe_signature"]

# The params TypedDict of each operation Podium calls, from the stripe library.
OPERATIONS: dict[str, type] = {
    "retrieve_payment_intent": sp.PaymentIntentRetrieveParams,
    "capture_payment_intent": sp.PaymentIntentCaptureParams,
    "cancel_payment_intent": sp.PaymentIntentCancelParams,
    "create_refund": sp.RefundCreateParams,
}
_ids = itertools.count(1)


def _new(prefix: str) -> str:
    return f"{prefix}_{next(_ids):06d}fake"


def declared(operation: str) -> set[str]:
    """The body parameters an operation declares (RequestOptions are headers, not params)."""
    return set(OPERATIONS[operation].__annotations__) - set(RequestOptions.__annotations__)


@dataclass
class Intent:
    id: str
    amount: int
    currency: str
    status: str = "requires_capture"
    capture_method: str = "manual"
    amount_capturable: int = 0
    amount_received: int = 0
    refunded: int = 0
    declines: bool = False
    charge: str = field(default_factory=lambda: _new("ch"))
    captures: int = 0

    def body(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "object": "payment_intent",
            "amount": self.amount,
            "amount_capturable": self.amount_capturable,
            "amount_received": self.amount_received,
            "currency": self.currency,
            "status": self.status,
            "capture_method": self.capture_method,
            "latest_charge": self.charge,
            "livemode": False,
            "metadata": {},
        }


def _error(status: int, type_: str, message: str, **extra: Any) -> Reply:
    return Reply(status, {"error": {"type": type_, "message": message, **extra}})


def _top(params: dict[str, str]) -> set[str]:
    return {k.split("[", 1)[0] for k in params}


class FakeStripe(FakeServer):
    def __init__(self, secret_key: str = "sk_test_podium_fake_key") -> None:
        super().__init__()
        self.secret_key = secret_key
        self.intents: dict[str, Intent] = {}
        self.refunds: dict[str, dict[str, Any]] = {}
        self.calls: list[tuple[str, str, str, dict[str, str], str | None]] = []
        self.idempotency: dict[str, tuple[tuple[str, str, tuple[Any, ...]], Reply]] = {}
        self.rate_limit_next = 0
        self.rate_limited = 0
        self.replayed = 0
        self._mutex = threading.Lock()

    def create_intent(
        self,
        amount: int,
        currency: str = "usd",
        *,
        status: str = "requires_capture",
        capture_method: str = "manual",
        declines: bool = False,
    ) -> str:
        """A PaymentIntent as the storefront leaves it (confirmed, awaiting capture)."""
        pi = Intent(
            _new("pi"),
            amount,
            currency,
            status,
            capture_method,
            amount if status == "requires_capture" else 0,
            declines=declines,
        )
        self.intents[pi.id] = pi
        return pi.id

    def route(
        self,
        method: str,
        path: str,
        query: dict[str, list[str]],
        headers: dict[str, str],
        body: bytes,
    ) -> Reply:
        with self._mutex:
            return self._route(method, path, headers, body)

    def _route(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Reply:
        if headers.get("authorization") != f"Bearer {self.secret_key}":
            return _error(401, "invalid_request_error", "Invalid API Key provided.")
        params: dict[str, str] = {}
        if method == "POST" and body:
            if not headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
                return _error(400, "invalid_request_error", "Bodies are form-encoded.")
            params = dict(parse_qsl(body.decode(), keep_blank_values=True, strict_parsing=True))
        operation, target = self._operation(method, path)
        key = headers.get("idempotency-key")
        self.calls.append((method, path, operation or "", params, key))
        if self.rate_limit_next > 0:  # refused before it ran: not remembered for the key
            self.rate_limit_next -= 1
            self.rate_limited += 1
            return _error(429, "invalid_request_error", "Too many requests.", code="rate_limit")
        if operation is None:
            return _error(404, "invalid_request_error", f"Unrecognized request URL {path}.")
        unknown = _top(params) - declared(operation)
        if unknown:
            name = sorted(unknown)[0]
            return _error(
                400,
                "invalid_request_error",
                f"Received unknown parameter: {name}",
                code="parameter_unknown",
                param=name,
            )
        fingerprint = (method, path, tuple(sorted(params.items())))
        if key and method == "POST":
            seen = self.idempotency.get(key)
            if seen is not None:
                if seen[0] != fingerprint:
                    return _error(
                        400,
                        "idempotency_error",
                        "Keys for idempotent requests can only be used with the same "
                        "parameters they were first used with.",
                    )
                self.replayed += 1
                first = seen[1]
                return Reply(first.status, first.body, {"Idempotent-Replayed": "true"})
        reply = self._run(operation, target, params)
        if key and method == "POST":
            self.idempotency[key] = (fingerprint, reply)
        return reply

    @staticmethod
    def _operation(method: str, path: str) -> tuple[str | None, str]:
        parts = path.strip("/").split("/")
        if parts[:2] == ["v1", "payment_intents"] and len(parts) == 3 and method == "GET":
            return "retrieve_payment_intent", parts[2]
        if parts[:2] == ["v1", "payment_intents"] and len(parts) == 4 and method == "POST":
            return {"capture": "capture_payment_intent", "cancel": "cancel_payment_intent"}.get(
                parts[3]
            ), parts[2]
        if parts == ["v1", "refunds"] and method == "POST":
            return "create_refund", ""
        return None, ""

    def _run(self, operation: str, target: str, params: dict[str, str]) -> Reply:
        if operation == "create_refund":
            return self._refund(params)
        pi = self.intents.get(target)
        if pi is None:
            return _error(
                404, "invalid_request_error", f"No such payment_intent: '{target}'",
                code="resource_missing", param="intent",
            )  # fmt: skip
        if operation == "retrieve_payment_intent":
            return Reply(200, pi.body())
        if operation == "cancel_payment_intent":
            if pi.status in ("succeeded", "canceled"):
                return _error(
                    400, "invalid_request_error",
                    f"This PaymentIntent's status is {pi.status}; it cannot be canceled.",
                    code="payment_intent_unexpected_state",
                )  # fmt: skip
            pi.status, pi.amount_capturable = "canceled", 0
            return Reply(200, pi.body())
        return self._capture(pi, params)

    def _capture(self, pi: Intent, params: dict[str, str]) -> Reply:
        if pi.status != "requires_capture":
            return _error(
                400, "invalid_request_error",
                f"This PaymentIntent could not be captured because it has a status of "
                f"{pi.status}. Only a PaymentIntent with one of the following statuses may be "
                "captured: requires_capture.",
                code="payment_intent_unexpected_state",
            )  # fmt: skip
        raw = params.get("amount_to_capture", str(pi.amount_capturable))
        if not raw.isdigit():
            return _error(400, "invalid_request_error", "Invalid integer", param="amount")
        amount = int(raw)
        if amount > pi.amount_capturable:
            return _error(
                400, "invalid_request_error",
                "The amount to capture is greater than the amount capturable.",
                code="amount_too_large", param="amount_to_capture",
            )  # fmt: skip
        if pi.declines:
            return _error(
                402, "card_error", "Your card was declined.",
                code="card_declined", decline_code="insufficient_funds",
            )  # fmt: skip
        pi.captures += 1
        pi.amount_received, pi.amount_capturable, pi.status = amount, 0, "succeeded"
        return Reply(200, pi.body())

    def _refund(self, params: dict[str, str]) -> Reply:
        pi = self.intents.get(params.get("payment_intent", ""))
        if pi is None:
            return _error(
                400, "invalid_request_error", "A refund needs a charge or a payment_intent.",
                code="parameter_missing", param="payment_intent",
            )  # fmt: skip
        if pi.status != "succeeded":
            return _error(
                400, "invalid_request_error", "This PaymentIntent has no successful charge.",
                code="charge_not_refundable",
            )  # fmt: skip
        left = pi.amount_received - pi.refunded
        raw = params.get("amount", str(left))
        amount = int(raw) if raw.isdigit() else -1
        if left <= 0:
            return _error(
                400, "invalid_request_error", f"Charge {pi.charge} has already been refunded.",
                code="charge_already_refunded",
            )  # fmt: skip
        if amount <= 0 or amount > left:
            return _error(
                400, "invalid_request_error",
                f"Refund amount ({amount}) is greater than unrefunded amount on charge ({left})",
                code="amount_too_large", param="amount",
            )  # fmt: skip
        pi.refunded += amount
        refund = {
            "id": _new("re"),
            "object": "refund",
            "amount": amount,
            "currency": pi.currency,
            "payment_intent": pi.id,
            "charge": pi.charge,
            "status": "succeeded",
            "metadata": {
                k[len("metadata[") : -1]: v for k, v in params.items() if k.startswith("metadata[")
            },
        }
        self.refunds[str(refund["id"])] = refund
        return Reply(200, refund)

    def refund_in_dashboard(self, intent_id: str, amount: int) -> dict[str, Any]:
        """A refund made by hand in Stripe's dashboard: the charge as ``charge.refunded`` sends
        it."""
        pi = self.intents[intent_id]
        pi.refunded += amount
        return {
            "id": pi.charge,
            "object": "charge",
            "amount": pi.amount_received,
            "amount_captured": pi.amount_received,
            "amount_refunded": pi.refunded,
            "currency": pi.currency,
            "payment_intent": pi.id,
            "refunded": pi.refunded >= pi.amount_received,
        }


def stripe_event(type_: str, obj: dict[str, Any], event_id: str | None = None) -> bytes:
    """An event as Stripe posts it (API version 2024+ shape)."""
    event = {
        "id": event_id or _new("evt"),
        "object": "event",
        "api_version": "2025-10-29.clover",
        "created": int(time.time()),
        "type": type_,
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "data": {"object": obj},
    }
    return json.dumps(event).encode()


def stripe_signature(secret: str, payload: bytes, at: int | None = None) -> str:
    """``Stripe-Signature``: ``t=<unix time>,v1=<hex HMAC-SHA256(secret, "t.payload")>``."""
    t = int(time.time()) if at is None else at
    signed = f"{t}.".encode() + payload
    return f"t={t},v1={hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()}"
