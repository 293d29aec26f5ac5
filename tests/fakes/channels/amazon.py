"""A fake SP-API: getOrders (LastUpdatedAfter, NextToken pages), getOrderItems, the Listings
Items API and confirmShipment, with access-token checks and per-operation rate limits (429)."""

from __future__ import annotations

import json
from typing import Any

from fakes.channels.base import FakeServer, Reply
from podium.channels.http import Bucket

__all__ = ["FakeAmazon"]


class FakeAmazon(FakeServer):
    def __init__(self, token: str = "Atza|test", page_size: int = 2) -> None:
        super().__init__()
        self.token = token
        self.page_size = page_size
        self.orders: list[dict[str, Any]] = []
        self.items: dict[str, list[dict[str, Any]]] = {}
        self.quantities: dict[str, int] = {}  # seller SKU -> quantity
        self.confirmations: list[dict[str, Any]] = []
        self.queries: list[dict[str, list[str]]] = []
        self.limits = {"getOrders": Bucket(100.0, 20.0), "listings": Bucket(5.0, 10.0)}

    def route(
        self,
        method: str,
        path: str,
        query: dict[str, list[str]],
        headers: dict[str, str],
        body: bytes,
    ) -> Reply:
        if headers.get("x-amz-access-token") != self.token:
            return Reply(403, {"errors": [{"code": "Unauthorized", "message": "Access denied"}]})
        parts = path.strip("/").split("/")
        operation = "listings" if parts[0] == "listings" else "getOrders"
        with self.lock:
            if not self.limits[operation].try_take():
                self.throttled += 1
                return Reply(429, {"errors": [{"code": "QuotaExceeded"}]}, {"Retry-After": "0.05"})
            return self._answer(method, parts, query, json.loads(body) if body else {})

    def _answer(
        self, method: str, parts: list[str], query: dict[str, list[str]], data: dict[str, Any]
    ) -> Reply:
        if parts[:3] == ["orders", "v0", "orders"] and len(parts) == 3:
            self.queries.append(query)
            if "NextToken" in query:
                since, start = query["NextToken"][0].split("|")
            else:
                since, start = query["LastUpdatedAfter"][0], "0"
            matching = [o for o in self.orders if o["LastUpdateDate"] > since]
            begin = int(start)
            page = matching[begin : begin + self.page_size]
            payload: dict[str, Any] = {"Orders": page}
            if begin + self.page_size < len(matching):
                payload["NextToken"] = f"{since}|{begin + self.page_size}"
            return Reply(200, {"payload": payload})
        if parts[:3] == ["orders", "v0", "orders"] and parts[-1] == "orderItems":
            return Reply(
                200,
                {
                    "payload": {
                        "AmazonOrderId": parts[3],
                        "OrderItems": self.items.get(parts[3], []),
                    }
                },
            )
        if parts[:3] == ["orders", "v0", "orders"] and parts[-1] == "shipmentConfirmation":
            self.confirmations.append({"order": parts[3], **data})
            return Reply(204, {})
        if parts[0] == "listings":
            sku = parts[-1]
            if method == "PATCH":
                value = data["patches"][0]["value"][0]["quantity"]
                self.quantities[sku] = int(value)
                self.record(sku, int(value))
                return Reply(
                    200, {"sku": sku, "status": "ACCEPTED", "submissionId": "s1", "issues": []}
                )
            if sku not in self.quantities:
                return Reply(404, {"errors": [{"code": "NOT_FOUND"}]})
            return Reply(
                200,
                {
                    "sku": sku,
                    "fulfillmentAvailability": [
                        {"fulfillmentChannelCode": "DEFAULT", "quantity": self.quantities[sku]}
                    ],
                },
            )
        return Reply(404, {"errors": [{"code": "NotFound"}]})
