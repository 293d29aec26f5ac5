"""A fake Shopify: the GraphQL Admin API calls Podium makes, with access-token checks, a
cost-point bucket (THROTTLED errors) and, on demand, HTTP 429 + Retry-After; plus signed
webhook deliveries as Shopify sends them."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

from fakes.channels.base import FakeServer, Reply, sign_b64

__all__ = ["FakeShopify", "shopify_webhook"]


def shopify_webhook(
    topic: str, payload: Any, secret: str, delivery_id: str | None = None
) -> tuple[bytes, dict[str, str]]:
    """The body and headers of a webhook delivery, signed like Shopify signs it."""
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    headers = {
        "Content-Type": "application/json",
        "X-Shopify-Topic": topic,
        "X-Shopify-Hmac-Sha256": sign_b64(secret, body),
        "X-Shopify-Shop-Domain": "podium-test.myshopify.com",
        "X-Shopify-API-Version": "2024-04",
        "X-Shopify-Webhook-Id": delivery_id or str(uuid.uuid4()),
    }
    return body, headers


class FakeShopify(FakeServer):
    def __init__(
        self, token: str = "shpat_test", *, bucket: float = 1000.0, restore: float = 50.0
    ) -> None:
        super().__init__()
        self.token = token
        self.levels: dict[tuple[str, str], int] = {}
        self.fulfillment_orders: dict[str, list[dict[str, Any]]] = {}
        self.fulfillments: list[dict[str, Any]] = []
        self.variants: list[tuple[str, str]] = []  # (sku, inventory item id), paged by 2
        self.maximum, self.restore = bucket, restore
        self.available, self.stamp = bucket, time.monotonic()

    def level(self, item: str, location: str) -> int | None:
        key = (_gid("InventoryItem", item), _gid("Location", location))
        return self.levels.get(key)

    def add_order(self, order_id: str, lines: list[tuple[str, int]]) -> None:
        gid = _gid("Order", order_id)
        self.fulfillment_orders[gid] = [
            {
                "id": f"gid://shopify/FulfillmentOrder/{order_id}1",
                "status": "OPEN",
                "lineItems": {
                    "nodes": [
                        {
                            "id": f"gid://shopify/FulfillmentOrderLineItem/{order_id}{i}",
                            "sku": sku,
                            "remainingQuantity": qty,
                        }
                        for i, (sku, qty) in enumerate(lines)
                    ]
                },
            }
        ]

    def _spend(self, cost: float) -> dict[str, Any] | None:
        now = time.monotonic()
        self.available = min(self.maximum, self.available + (now - self.stamp) * self.restore)
        self.stamp = now
        ok = self.available >= cost
        if ok:
            self.available -= cost
        else:
            self.throttled += 1
        status = {
            "maximumAvailable": self.maximum,
            "currentlyAvailable": int(self.available),
            "restoreRate": self.restore,
        }
        return (
            {"cost": {"requestedQueryCost": cost, "throttleStatus": status}}
            if ok
            else {
                "cost": {"requestedQueryCost": cost, "throttleStatus": status},
                "throttled": True,
            }
        )

    def route(
        self,
        method: str,
        path: str,
        query: dict[str, list[str]],
        headers: dict[str, str],
        body: bytes,
    ) -> Reply:
        if not path.endswith("/graphql.json") or method != "POST":
            return Reply(404, {"errors": "Not Found"})
        if headers.get("x-shopify-access-token") != self.token:
            return Reply(401, {"errors": "[API] Invalid API key or access token"})
        request = json.loads(body)
        text, variables = request["query"], request.get("variables") or {}
        cost = 10.0 if "mutation" in text else 2.0
        with self.lock:
            ext = self._spend(cost)
            assert ext is not None
            if ext.pop("throttled", False):
                return Reply(
                    200,
                    {
                        "errors": [{"message": "Throttled", "extensions": {"code": "THROTTLED"}}],
                        "extensions": ext,
                    },
                )
            data = self._answer(text, variables)
        return Reply(200, {"data": data, "extensions": ext})

    def _answer(self, text: str, variables: dict[str, Any]) -> dict[str, Any]:
        if "inventorySetQuantities" in text:
            return {"inventorySetQuantities": self._set(variables["input"])}
        if "productVariants" in text:
            start = int(variables.get("after") or 0)
            page = self.variants[start : start + 2]
            return {
                "productVariants": {
                    "nodes": [
                        {"sku": sku, "inventoryItem": {"id": _gid("InventoryItem", item)}}
                        for sku, item in page
                    ],
                    "pageInfo": {
                        "hasNextPage": start + 2 < len(self.variants),
                        "endCursor": str(start + 2),
                    },
                }
            }
        if "fulfillmentCreateV2" in text:
            f = variables["fulfillment"]
            self.fulfillments.append(f)
            for group in f["lineItemsByFulfillmentOrder"]:
                for orders in self.fulfillment_orders.values():
                    for fo in orders:
                        if fo["id"] == group["fulfillmentOrderId"]:
                            fo["status"] = "CLOSED"
            return {
                "fulfillmentCreateV2": {
                    "fulfillment": {"id": "gid://shopify/Fulfillment/1", "status": "SUCCESS"},
                    "userErrors": [],
                }
            }
        if "fulfillmentOrders" in text:
            nodes = self.fulfillment_orders.get(variables["id"])
            return {"order": {"fulfillmentOrders": {"nodes": nodes}} if nodes else None}
        if "inventoryItem" in text:
            q = self.levels.get((variables["item"], variables["location"]))
            level = (
                {"quantities": [{"name": "available", "quantity": q}]} if q is not None else None
            )
            return {"inventoryItem": {"inventoryLevel": level}}
        return {}

    def _set(self, data: dict[str, Any]) -> dict[str, Any]:
        if data.get("name") != "available":
            return {"userErrors": [{"code": "INVALID_NAME", "field": ["input", "name"]}]}
        quantities = data["quantities"]
        if not data.get("ignoreCompareQuantity"):
            for q in quantities:
                current = self.levels.get((q["inventoryItemId"], q["locationId"]), 0)
                if q.get("compareQuantity") != current:
                    return {
                        "inventoryAdjustmentGroup": None,
                        "userErrors": [
                            {
                                "code": "COMPARE_QUANTITY_STALE",
                                "field": ["input", "quantities", "0", "compareQuantity"],
                                "message": "The compareQuantity argument no longer matches.",
                            }
                        ],
                    }
        changes = []
        for q in quantities:
            key = (q["inventoryItemId"], q["locationId"])
            changes.append({"name": "available", "delta": q["quantity"] - self.levels.get(key, 0)})
            self.levels[key] = q["quantity"]
            self.record(f"{key[0]}@{key[1]}", q["quantity"])
        return {
            "inventoryAdjustmentGroup": {"reason": data.get("reason"), "changes": changes},
            "userErrors": [],
        }


def _gid(kind: str, value: str) -> str:
    return value if value.startswith("gid://") else f"gid://shopify/{kind}/{value}"
