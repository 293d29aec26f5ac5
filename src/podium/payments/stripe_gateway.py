"""Stripe through the official ``stripe`` library (``StripeClient``): PaymentIntents the
storefront authorized (``capture_method=manual``), captured, refunded or cancelled by Podium.

Every call carries the idempotency key Podium derived for the operation. Stripe's errors
become Podium's: a declined card is a failed transaction (or 402 ``card_declined`` where
nothing is recorded); a refusal of the request (wrong state, too much) a failed transaction;
rate limits are retried with the same key and then 503 ``gateway_rate_limited``; a network
failure 503 ``gateway_unreachable``; a bad key 502 ``gateway_auth_failed``. An error that is
raised rolls back the caller's transaction, so nothing is half-written, and a retry reuses the
key.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import sqlalchemy as sa
import stripe

from podium.errors import DomainError
from podium.payments.gateways import GatewayResult

__all__ = [
    "GatewayAuthFailed",
    "GatewayUnavailable",
    "Intent",
    "PaymentDeclined",
    "StripeGateway",
    "build_stripe",
]

T = TypeVar("T")


class PaymentDeclined(DomainError):
    """The card issuer declined (Stripe's 402 ``card_error``)."""

    status = 402
    code = "card_declined"


class GatewayUnavailable(DomainError):
    """The gateway could not be reached or kept refusing for rate limits: try again later."""

    status = 503
    code = "gateway_unavailable"


class GatewayAuthFailed(DomainError):
    """The gateway refused Podium's credentials: the account's settings are wrong."""

    status = 502
    code = "gateway_auth_failed"


@dataclass(frozen=True, slots=True)
class Intent:
    """What Podium reads of a PaymentIntent (amounts in minor units)."""

    id: str
    status: str
    amount: int
    amount_capturable: int
    amount_received: int
    currency: str  # upper case, as Podium writes currencies
    capture_method: str


def _intent(obj: Any) -> Intent:
    found = obj.to_dict() if hasattr(obj, "to_dict") else dict(obj)
    return Intent(
        id=str(found["id"]),
        status=str(found["status"]),
        amount=int(found["amount"]),
        amount_capturable=int(found.get("amount_capturable") or 0),
        amount_received=int(found.get("amount_received") or 0),
        currency=str(found["currency"]).upper(),
        capture_method=str(found.get("capture_method") or ""),
    )


def _message(exc: stripe.StripeError) -> str:
    err = exc.error
    code = getattr(err, "code", None) if err is not None else None
    decline = getattr(err, "decline_code", None) if err is not None else None
    text = exc.user_message or str(exc) or type(exc).__name__
    return ": ".join(str(x) for x in (code, decline, text) if x)


class StripeGateway:
    """One Stripe account (a ``payment_gateways`` row of type ``stripe``)."""

    authorizes_at_checkout = True  # the storefront's PaymentIntent is the authorization

    def __init__(
        self,
        code: str,
        secret_key: str,
        *,
        base_url: str | None = None,
        network_retries: int = 2,
        rate_limit_retries: int = 3,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.name = code
        self._client = stripe.StripeClient(
            secret_key,
            base_addresses={"api": base_url} if base_url else None,
            http_client=stripe.HTTPXClient(timeout=30, allow_sync_methods=True),
            max_network_retries=network_retries,
        )
        self._rate_limit_retries = rate_limit_retries
        self._sleep = sleep

    def _call(self, what: str, fn: Callable[[], T]) -> T:
        """``fn`` with Stripe's errors as Podium's; 429s retried (same idempotency key)."""
        for attempt in range(self._rate_limit_retries + 1):
            try:
                return fn()
            except stripe.RateLimitError as exc:
                if attempt == self._rate_limit_retries:
                    raise GatewayUnavailable(
                        f"Stripe kept refusing {what} for its rate limit; try again later.",
                        code="gateway_rate_limited",
                        details={"gateway": self.name, "stripe": _message(exc)},
                    ) from exc
                self._sleep(min(0.25 * 2**attempt, 4.0))
            except (stripe.AuthenticationError, stripe.PermissionError) as exc:
                raise GatewayAuthFailed(
                    f"Stripe refused the account's secret key ({what}).",
                    details={"gateway": self.name, "stripe": _message(exc)},
                ) from exc
            except stripe.APIConnectionError as exc:
                raise GatewayUnavailable(
                    f"Stripe could not be reached ({what}); try again later.",
                    code="gateway_unreachable",
                    details={"gateway": self.name},
                ) from exc
            except stripe.APIError as exc:  # Stripe's own 5xx, after the library's retries
                raise GatewayUnavailable(
                    f"Stripe failed ({what}); try again later.",
                    code="gateway_error",
                    details={"gateway": self.name, "stripe": _message(exc)},
                ) from exc
        raise RuntimeError("unreachable")  # pragma: no cover

    def retrieve(self, intent_id: str) -> Intent | None:
        """The PaymentIntent, or None when Stripe has none of that id."""
        try:
            found = self._call(
                "reading the PaymentIntent",
                lambda: self._client.v1.payment_intents.retrieve(intent_id),
            )
        except stripe.InvalidRequestError as exc:
            if exc.http_status == 404:
                return None
            raise
        return _intent(found)

    def authorize(
        self, order_id: str, amount: int, currency: str, *, idempotency_key: str = ""
    ) -> GatewayResult:
        # Never asked by the policy (authorizes_at_checkout): the storefront authorizes.
        return GatewayResult(False, "", "Stripe payments are authorized by the storefront.")

    def capture(
        self, reference: str | None, amount: int, currency: str, *, idempotency_key: str = ""
    ) -> GatewayResult:
        if not reference:
            return GatewayResult(False, "", "No PaymentIntent to capture.")
        try:
            done = self._call(
                "capturing",
                lambda: self._client.v1.payment_intents.capture(
                    reference,
                    {"amount_to_capture": amount},
                    {"idempotency_key": idempotency_key},
                ),
            )
        except (stripe.CardError, stripe.InvalidRequestError, stripe.IdempotencyError) as exc:
            return GatewayResult(False, reference, _message(exc))
        ok = done["status"] == "succeeded"
        return GatewayResult(ok, reference, "" if ok else f"PaymentIntent is {done['status']}")

    def refund(
        self, reference: str | None, amount: int, currency: str, *, idempotency_key: str = ""
    ) -> GatewayResult:
        if not reference:
            return GatewayResult(False, "", "No PaymentIntent to refund.")
        try:
            done = self._call(
                "refunding",
                lambda: self._client.v1.refunds.create(
                    {
                        "payment_intent": reference,
                        "amount": amount,
                        "metadata": {"podium_operation": idempotency_key},
                    },
                    {"idempotency_key": idempotency_key},
                ),
            )
        except (stripe.CardError, stripe.InvalidRequestError, stripe.IdempotencyError) as exc:
            return GatewayResult(False, reference, _message(exc))
        ok = done["status"] in ("succeeded", "pending")
        return GatewayResult(ok, str(done["id"]), "" if ok else f"refund is {done['status']}")

    def void(self, reference: str | None, *, idempotency_key: str = "") -> GatewayResult:
        if not reference:
            return GatewayResult(False, "", "No PaymentIntent to cancel.")
        try:
            self._call(
                "cancelling the PaymentIntent",
                lambda: self._client.v1.payment_intents.cancel(
                    reference,
                    {"cancellation_reason": "requested_by_customer"},
                    {"idempotency_key": idempotency_key},
                ),
            )
        except (stripe.InvalidRequestError, stripe.IdempotencyError) as exc:
            return GatewayResult(False, reference, _message(exc))
        return GatewayResult(True, reference)


def build_stripe(row: sa.RowMapping) -> StripeGateway:
    """A configured account's gateway (``Gateways.add_type("stripe", build_stripe)``)."""
    s = row["settings"]
    return StripeGateway(
        row["code"],
        str(s.get("secret_key") or ""),
        base_url=s.get("base_url"),
        network_retries=int(s.get("network_retries", 2)),
    )
