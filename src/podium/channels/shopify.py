"""Shopify: webhooks as Shopify sends them, stock through the GraphQL Admin API
(``inventorySetQuantities`` with compare-and-set), fulfilment with tracking reported back.

Rate limits: GraphQL cost points (a bucket per shop, refilled at the restore rate the API
reports in ``extensions.cost.throttleStatus``), ``THROTTLED`` errors and HTTP 429 +
``Retry-After`` are all waited out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from podium.channels.connector import BadSignature, Fulfilment, Parsed, PlatformError, Unsupported
from podium.channels.http import Bucket, Caller
from podium.channels.model import ChannelOrder, Delivery, LevelPush, PushResult
from podium.channels.parsing import as_json, hmac_b64_matches
from podium.channels.settings import ShopifySettings
from podium.channels.shopify_payloads import order_from_shopify, refund_from_shopify
from podium.channels.spec import ConnectorSpec
from podium.errors import ValidationFailed

__all__ = ["SPEC", "ShopifyConnector", "gid", "order_from_shopify", "refund_from_shopify"]

ORDER_TOPICS = frozenset({"orders/create", "orders/updated", "orders/cancelled", "orders/paid"})
SET_QUANTITIES = """
mutation inventorySetQuantities($input: InventorySetQuantitiesInput!) {
  inventorySetQuantities(input: $input) {
    inventoryAdjustmentGroup { reason changes { name delta } }
    userErrors { code field message }
  }
}"""
READ_LEVEL = """
query level($item: ID!, $location: ID!) {
  inventoryItem(id: $item) {
    inventoryLevel(locationId: $location) { quantities(names: ["available"]) { name quantity } }
  }
}"""
FULFILMENT_ORDERS = """
query fulfilmentOrders($id: ID!) {
  order(id: $id) {
    fulfillmentOrders(first: 20) {
      nodes { id status lineItems(first: 100) { nodes { id sku remainingQuantity } } }
    }
  }
}"""
CREATE_FULFILMENT = """
mutation fulfillmentCreateV2($fulfillment: FulfillmentV2Input!) {
  fulfillmentCreateV2(fulfillment: $fulfillment) {
    fulfillment { id status }
    userErrors { field message }
  }
}"""
VARIANTS = """
query variants($after: String) {
  productVariants(first: 250, after: $after) {
    nodes { sku inventoryItem { id } }
    pageInfo { hasNextPage endCursor }
  }
}"""
_BATCH = 250  # inventorySetQuantities takes at most 250 quantities


def gid(kind: str, value: str) -> str:
    return value if value.startswith("gid://") else f"gid://shopify/{kind}/{value}"


class ShopifyConnector:
    type = "shopify"

    def __init__(self, caller: Caller) -> None:
        self.caller = caller
        self._buckets: dict[str, Bucket] = {}

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

    def _set(
        self, channel: str, s: ShopifySettings, batch: list[LevelPush], *, compare: bool
    ) -> bool:
        quantities = []
        for p in batch:
            q: dict[str, Any] = {
                "inventoryItemId": gid("InventoryItem", p.remote_id),
                "locationId": gid("Location", p.remote_location_id or s.location_id),
                "quantity": p.quantity,
            }
            if compare and p.previous is not None:
                q["compareQuantity"] = p.previous
            quantities.append(q)
        variables = {
            "input": {
                "name": "available",
                "reason": "correction",
                "referenceDocumentUri": "podium://channel-sync",
                "ignoreCompareQuantity": not compare or any(p.previous is None for p in batch),
                "quantities": quantities,
            }
        }
        data = self.graphql(channel, s, SET_QUANTITIES, variables, cost=10)
        errors = (data.get("inventorySetQuantities") or {}).get("userErrors") or []
        if any(e.get("code") == "COMPARE_QUANTITY_STALE" for e in errors):
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
            data = self.graphql(channel, settings, READ_LEVEL, variables, cost=2)
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
            data = self.graphql(channel, settings, VARIANTS, {"after": after}, cost=50)
            page = data.get("productVariants") or {}
            for node in page.get("nodes") or []:
                item = (node.get("inventoryItem") or {}).get("id")
                if node.get("sku") and item:
                    found.append((str(node["sku"]), str(item).rsplit("/", 1)[-1]))
            info = page.get("pageInfo") or {}
            if not info.get("hasNextPage"):
                return found
            after = info.get("endCursor")

    def mark_shipped(self, channel: str, settings: ShopifySettings, f: Fulfilment) -> None:
        data = self.graphql(
            channel, settings, FULFILMENT_ORDERS, {"id": gid("Order", f.external_id)}, cost=20
        )
        orders = (((data.get("order") or {}).get("fulfillmentOrders") or {}).get("nodes")) or []
        wanted = {sku: q for sku, q, _ in f.lines}
        by_order: list[dict[str, Any]] = []
        for fo in orders:
            if fo.get("status") not in ("OPEN", "IN_PROGRESS"):
                continue
            items = []
            for li in (fo.get("lineItems") or {}).get("nodes") or []:
                take = min(wanted.get(li.get("sku") or "", 0), int(li.get("remainingQuantity", 0)))
                if take > 0:
                    items.append({"id": li["id"], "quantity": take})
                    wanted[li["sku"]] -= take
            if items:
                by_order.append(
                    {"fulfillmentOrderId": fo["id"], "fulfillmentOrderLineItems": items}
                )
        if not by_order:
            raise PlatformError(f"Shopify order {f.external_id} has nothing left to fulfil.")
        tracking = {
            k: v
            for k, v in (
                ("number", f.tracking_number),
                ("company", f.carrier),
                ("url", f.tracking_url),
            )
            if v
        }
        variables = {
            "fulfillment": {
                "lineItemsByFulfillmentOrder": by_order,
                "trackingInfo": tracking,
                "notifyCustomer": True,
            }
        }
        result = self.graphql(channel, settings, CREATE_FULFILMENT, variables, cost=10)
        errors = (result.get("fulfillmentCreateV2") or {}).get("userErrors") or []
        if errors:
            raise PlatformError(f"Shopify refused the fulfilment: {errors[0].get('message')}")


SPEC = ConnectorSpec(
    type="shopify",
    label="Shopify: orders by webhook, stock pushed by GraphQL",
    settings=ShopifySettings,
    secret_fields=frozenset({"access_token", "webhook_secret", "previous_webhook_secret"}),
    build=ShopifyConnector,
)
