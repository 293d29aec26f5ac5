"""One channel's way into the SP-API: Login with Amazon access tokens and Restricted Data
Tokens kept per channel (``amazon_auth``), Amazon's rate limits per channel and operation
(moved to what Amazon's ``x-amzn-RateLimit-Limit`` header says), and one retry with a fresh
token when Amazon answers 401/403 ``Unauthorized``."""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable
from typing import Any

from podium.channels.amazon_auth import TokenCache, exchange_refresh_token
from podium.channels.connector import PlatformError
from podium.channels.http import Bucket, Caller
from podium.channels.settings import AmazonSettings

__all__ = ["ORDERS_PATH", "RDT_PATH", "RESTRICTED", "SpApi"]

log = logging.getLogger("podium.channels.amazon")
_RATES = {
    "getOrders": (0.0167, 20.0),
    "getOrderItems": (0.5, 30.0),
    "listings": (5.0, 10.0),
    "confirmShipment": (2.0, 10.0),
    "createRestrictedDataToken": (1.0, 10.0),
}
RDT_PATH = "/tokens/2021-03-01/restrictedDataToken"
ORDERS_PATH = "/orders/v0/orders"
RESTRICTED = {
    "method": "GET",
    "path": ORDERS_PATH,
    "dataElements": ["buyerInfo", "shippingAddress"],
}
REFUSAL_KEPT = 900.0  # seconds a refused RDT is remembered before asking again


class SpApi:
    def __init__(self, caller: Caller, clock: Callable[[], float] = time.time) -> None:
        self.caller = caller
        self.tokens = TokenCache(clock)
        self.buckets: dict[tuple[str, str], Bucket] = {}

    # --- tokens ----------------------------------------------------------------------------------

    def _lwa_key(self, channel: str, s: AmazonSettings) -> tuple[str, ...]:
        return ("lwa", channel, s.token_endpoint, s.client_id or "", s.refresh_token or "")

    def _access_token(self, channel: str, s: AmazonSettings) -> str:
        if not s.uses_lwa:
            return s.access_token or ""  # a channel set up before Login with Amazon
        key = self._lwa_key(channel, s)
        token = self.tokens.get(key)
        if token is None:
            token, lifetime = exchange_refresh_token(self.caller, channel, s)
            self.tokens.put(key, token, lifetime)
        return token

    def _rdt_key(self, channel: str, s: AmazonSettings) -> tuple[str, ...]:
        return ("rdt", *self._lwa_key(channel, s)[1:], s.access_token or "")

    def restricted_token(self, channel: str, s: AmazonSettings) -> str | None:
        """An RDT for getOrders with buyer info and address; None when Amazon refuses one."""
        key = self._rdt_key(channel, s)
        token = self.tokens.get(key)
        if token is not None:
            return token or None  # "" remembers a refusal
        try:
            answer = self.call(
                channel,
                s,
                "createRestrictedDataToken",
                "POST",
                RDT_PATH,
                json={"restrictedResources": [RESTRICTED]},
            )
        except PlatformError as exc:
            if exc.details.get("status") not in (400, 401, 403):
                raise
            log.warning("channel %s: Amazon refused a Restricted Data Token: %s", channel, exc)
            self.tokens.put(key, "", REFUSAL_KEPT)
            return None
        token = answer.get("restrictedDataToken") if isinstance(answer, dict) else None
        if not isinstance(token, str) or not token:
            return None
        self.tokens.put(key, token, float(answer.get("expiresIn") or 3600))
        return token

    # --- calls ---------------------------------------------------------------------------------

    def _bucket(self, channel: str, operation: str) -> Bucket:
        key = (channel, operation)
        bucket = self.buckets.get(key)
        if bucket is None:
            bucket = self.buckets[key] = Bucket(*_RATES[operation])
        return bucket

    def call(
        self,
        channel: str,
        s: AmazonSettings,
        operation: str,
        method: str,
        path: str,
        *,
        token: str | None = None,
        **kw: Any,
    ) -> Any:
        """One SP-API call with the channel's access token (or ``token``, an RDT); a 401/403
        drops the cached token and tries once more with a fresh one."""
        bucket = self._bucket(channel, operation)
        for attempt in (1, 2):
            bucket.take(1, self.caller.sleep)
            headers = {
                "x-amz-access-token": token or self._access_token(channel, s),
                "user-agent": "Podium/0.1 (Language=Python)",
            }
            try:
                response = self.caller.send(
                    method, f"{s.endpoint}{path}", channel=channel, headers=headers, **kw
                )
            except PlatformError as exc:
                if attempt == 1 and exc.details.get("status") in (401, 403) and s.uses_lwa:
                    self.tokens.drop(self._lwa_key(channel, s))
                    if token is None:
                        continue
                if not s.uses_lwa and exc.details.get("status") in (401, 403):
                    raise PlatformError(
                        f"{exc.message} (this channel has a fixed access_token, which Amazon "
                        "expires after an hour: set client_id, client_secret and refresh_token "
                        "for Login with Amazon)",
                        details=exc.details,
                    ) from exc
                raise
            limit = response.headers.get("x-amzn-RateLimit-Limit")
            if limit:
                with contextlib.suppress(ValueError):
                    bucket.rate = max(0.001, float(limit))
            return response.json() if response.content else {}
        raise RuntimeError("unreachable")

    def drop_restricted(self, channel: str, s: AmazonSettings) -> None:
        """Forget the channel's RDT (Amazon refused it before its time)."""
        self.tokens.drop(self._rdt_key(channel, s))
