"""Shopify: webhooks as Shopify sends them, stock through the GraphQL Admin API 2026-04
(``inventorySetQuantities`` with ``changeFromQuantity`` compare-and-set and an idempotency
key), fulfilment with tracking reported back, Podium's refunds and cancellations pushed.
The documents are in ``shopify_graphql``; orders' side (fulfil, refund, cancel) in
``shopify_orders``.

Rate limits: GraphQL cost points (a bucket per shop, refilled at the restore rate the API
reports in ``extensions.cost.throttleStatus``), ``THROTTLED`` errors and HTTP 429 +
``Retry-After`` are all waited out.
"""

from __future__ import annotations

import hashlib
import json
import threading
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from podium.channels import shopify_orders
from podium.channels.connector import (
    BadSignature,
    Fulfilment,
    Parsed,
    PlatformError,
    RefundPush,
    Unsupported,
)
from podium.channels.http import Bucket, Caller
from podium.channels.model import ChannelOrder, Delivery, LevelPush, PushResult
from podium.channels.pacing import PushBudget
from podium.channels.parsing import as_json, hmac_b64_matches
from podium.channels.settings import ShopifySettings
from podium.channels.shopify_graphql import COSTS, DOCUMENTS, gid
from podium.channels.shopify_payloads import order_from_shopify, refund_from_shopify
from podium.channels.spec import ConnectorSpec
from podium.errors import ValidationFailed

__all__ = ["SPEC", "ShopifyConnector", "gid", "order_from_shopify", "refund_from_shopify"]

ORDER_TOPICS = frozenset({"orders/create", "orders/updated", "orders/cancelled", "orders/paid"})
_BATCH = 250  # inventorySetQuantities takes at most 250 quantities
_STALE = frozenset({"CHANGE_FROM_QUANTITY_STALE", "COMPARE_QUANTITY_STALE"})


class ShopifyConnector:
    type = "shopify"

    def __init__(self, caller: Caller) -> None:
        self.caller = caller
        self._buckets: dict[str, Bucket] = {}
        # Idempotency keys of stock updates not yet answered for sure: a retry of the same
        # update reuses its key (Shopify applies it once); a later update gets a new one.
        self._keys: dict[str, str] = {}
        self._keys_lock = threading.Lock()

    # --- webhooks ------------------------------------------------------------------------
    def verify(
        self, settings: ShopifySettings, headers: Mapping[str, str], body: bytes
    ) -> Delivery:
        secrets = (settings.webhook_secret, settings.previous_webhook_secret)
        if not hmac_b64_matches(secrets, body, headers.get("x-shopify-hmac-sha256")):
            raise BadSignature("The X-Shopify-Hmac-Sha256 signature does not match.")
        topic = headers.get("x-shopify-topic")
        delivery = headers.get("x-shopify-webhook-id") or headers.get("x-shopify-event-id")
        if not topic or not delivery:
            raise ValidationFailed(
                "X-Shopify-Topic and X-Shopify-Webhook-Id are required.",
                code="missing_header",
                details={"field": "X-Shopify-Topic" if not topic else "X-Shopify-Webhook-Id"},
            )
        return Delivery(topic.strip(), delivery.strip())

    def parse(self, topic: str, body: bytes) -> Parsed:
        if topic in ORDER_TOPICS:
            return order_from_shopify(as_json(body))
        if topic == "refunds/create":
            return refund_from_shopify(as_json(body))
        return None

    def fetch(
        self, channel: str, settings: ShopifySettings, cursor: str | None
    ) -> tuple[list[ChannelOrder], str | None]:
        raise Unsupported("Shopify orders arrive by webhook; there is nothing to poll.")

    # --- GraphQL -------------------------------------------------------------------------
    def _bucket(self, channel: str) -> Bucket:
        found = self._buckets.get(channel)
        if found is None:
            found = self._buckets[channel] = Bucket(rate=50.0, burst=1000.0)
        return found

    def push_budget(self, channel: str) -> PushBudget:
        """Stock calls a second the shop's cost points allow (its restore rate, as Shopify
        last reported it), each carrying up to 250 quantities."""
        bucket = self._bucket(channel)
        cost = COSTS["inventorySetQuantities"]
        return PushBudget(bucket.rate / cost, bucket.burst / cost, _BATCH)

    def graphql(
        self, channel: str, s: ShopifySettings, query: str, variables: dict[str, Any], cost: int
    ) -> dict[str, Any]:
        bucket = self._bucket(channel)
        url = f"{s.shop_url}/admin/api/{s.api_version}/graphql.json"
        headers = {"X-Shopify-Access-Token": s.access_token}
        for _ in range(5):
            bucket.take(cost, self.caller.sleep)
            body = self.caller.send(
                "POST",
                url,
                channel=channel,
                json={"query": query, "variables": variables},
                headers=headers,
            ).json()
            throttle = ((body.get("extensions") or {}).get("cost") or {}).get("throttleStatus")
            if throttle:
                bucket.rate = float(throttle.get("restoreRate") or bucket.rate)
                bucket.burst = float(throttle.get("maximumAvailable") or bucket.burst)
                bucket.set_available(float(throttle.get("currentlyAvailable", bucket.burst)))
            errors = body.get("errors") or []
            if any((e.get("extensions") or {}).get("code") == "THROTTLED" for e in errors):
                self.caller.note_throttled(channel)
                continue  # the bucket now knows how empty it is: the next take waits
            if errors:
                raise PlatformError(f"Shopify GraphQL error: {errors[0].get('message')}")
            data: dict[str, Any] = body.get("data") or {}
            return data
        raise PlatformError("Shopify kept throttling the request.")

    def push(
        self, channel: str, settings: ShopifySettings, pushes: Sequence[LevelPush]
    ) -> PushResult:
        drift: dict[str, int | None] = {}
        for start in range(0, len(pushes), _BATCH):
            batch = list(pushes[start : start + _BATCH])
            if not self._set(channel, settings, batch, compare=True):
                # Someone changed Shopify's count behind Podium's back: note it, then set
                # Podium's count anyway (Podium is the truth).
                drift.update(self.read_levels(channel, settings, batch))
                self._set(channel, settings, batch, compare=False)
        return PushResult([p.sku for p in pushes], drift)

    def _key(self, channel: str, variables: dict[str, Any]) -> tuple[str, str]:
        """(what the update is, its idempotency key): the same update keeps its key until
        Shopify has answered it."""
        what = hashlib.sha256(json.dumps([channel, variables], sort_keys=True).encode()).hexdigest()
        with self._keys_lock:
            key = self._keys.setdefault(what, f"podium-stock-{what[:16]}-{uuid.uuid4().hex}")
        return what, key

    def _set(
        self, channel: str, s: ShopifySettings, batch: list[LevelPush], *, compare: bool
    ) -> bool:
        quantities = [
            {
                "inventoryItemId": gid("InventoryItem", p.remote_id),
                "locationId": gid("Location", p.remote_location_id or s.location_id),
                "quantity": p.quantity,
                # Required in 2026-04, null included: null skips the compare-and-set.
                "changeFromQuantity": p.previous if compare else None,
            }
            for p in batch
        ]
        variables: dict[str, Any] = {
            "input": {
                "name": "available",
                "reason": "correction",
                "referenceDocumentUri": "podium://channel-sync",
                "quantities": quantities,
            }
        }
        what, key = self._key(channel, variables)
        data = self.run(channel, s, "inventorySetQuantities", {**variables, "key": key})
        with self._keys_lock:
            self._keys.pop(what, None)  # answered: the next update of the same figures is new
        errors = (data.get("inventorySetQuantities") or {}).get("userErrors") or []
        if any(e.get("code") in _STALE for e in errors):
            return False
        if errors:
            raise PlatformError(f"Shopify refused the stock update: {errors[0].get('message')}")
        return True

    def read_levels(
        self, channel: str, settings: ShopifySettings, listings: Sequence[LevelPush]
    ) -> dict[str, int | None]:
        shown: dict[str, int | None] = {}
        for p in listings:
            variables = {
                "item": gid("InventoryItem", p.remote_id),
                "location": gid("Location", p.remote_location_id or settings.location_id),
            }
            data = self.run(channel, settings, "level", variables)
            level = (data.get("inventoryItem") or {}).get("inventoryLevel")
            quantities = (level or {}).get("quantities") or []
            shown[p.sku] = next(
                (int(q["quantity"]) for q in quantities if q.get("name") == "available"), None
            )
        return shown

    def discover(self, channel: str, settings: ShopifySettings) -> list[tuple[str, str]]:
        found: list[tuple[str, str]] = []
        after: str | None = None
        while True:
            data = self.run(channel, settings, "variants", {"after": after})
            page = data.get("productVariants") or {}
            for node in page.get("nodes") or []:
                item = (node.get("inventoryItem") or {}).get("id")
                if node.get("sku") and item:
                    found.append((str(node["sku"]), str(item).rsplit("/", 1)[-1]))
            info = page.get("pageInfo") or {}
            if not info.get("hasNextPage"):
                return found
            after = info.get("endCursor")

    def run(
        self, channel: str, settings: ShopifySettings, name: str, variables: dict[str, Any]
    ) -> dict[str, Any]:
        """Send one of Podium's documents (by its name in ``shopify_graphql``)."""
        return self.graphql(channel, settings, DOCUMENTS[name], variables, COSTS[name])

    def _call(self, channel: str, settings: ShopifySettings) -> shopify_orders.Call:
        def call(name: str, variables: dict[str, Any]) -> dict[str, Any]:
            return self.run(channel, settings, name, variables)

        return call

    def mark_shipped(self, channel: str, settings: ShopifySettings, f: Fulfilment) -> None:
        shopify_orders.mark_shipped(self._call(channel, settings), f)

    def refund(self, channel: str, settings: ShopifySettings, push: RefundPush) -> str:
        """Make Podium's refund on Shopify (``refundCreate``, idempotent on Podium's refund
        id); Shopify's refund id."""
        return shopify_orders.refund(self._call(channel, settings), settings, push)

    def cancel(
        self, channel: str, settings: ShopifySettings, external_id: str, reason: str
    ) -> None:
        """Cancel the order on Shopify without refunding; already cancelled is fine."""
        shopify_orders.cancel(self._call(channel, settings), external_id, reason)


SPEC = ConnectorSpec(
    type="shopify",
    label="Shopify: orders by webhook, stock pushed by GraphQL",
    settings=ShopifySettings,
    secret_fields=frozenset({"access_token", "webhook_secret", "previous_webhook_secret"}),
    build=ShopifyConnector,
)
