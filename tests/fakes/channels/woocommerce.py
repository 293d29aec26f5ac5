"""A fake WooCommerce REST API (v3): basic-auth checks, products and variations with batch
updates, orders and notes; plus signed webhook deliveries and the form-encoded first ping."""

from __future__ import annotations

import base64
import json
import uuid
from typing import Any

from fakes.channels.base import FakeServer, Reply, sign_b64

__all__ = ["FakeWooCommerce", "woo_webhook"]


def woo_webhook(
    topic: str, payload: Any, secret: str, delivery_id: str | None = None
) -> tuple[bytes, dict[str, str]]:
    body = json.dumps(payload).encode()
    return body, {
        "Content-Type": "application/json",
        "X-WC-Webhook-Source": "https://shop.example.com/",
        "X-WC-Webhook-Topic": topic,
        "X-WC-Webhook-Resource": topic.split(".")[0],
        "X-WC-Webhook-Event": topic.split(".")[-1],
        "X-WC-Webhook-Signature": sign_b64(secret, body),
        "X-WC-Webhook-ID": "12",
        "X-WC-Webhook-Delivery-ID": delivery_id or uuid.uuid4().hex,
    }


class FakeWooCommerce(FakeServer):
    def __init__(self, key: str = "ck_test", secret: str = "cs_test") -> None:
        super().__init__()
        self.auth = "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode()
        self.stock: dict[str, int] = {}  # "93" or "93:317" -> stock_quantity
        self.orders: dict[str, dict[str, Any]] = {}
        self.notes: list[dict[str, Any]] = []
        self.catalogue: list[dict[str, Any]] = []  # products as GET /products lists them
        self.variations: dict[str, list[dict[str, Any]]] = {}

    def route(
        self,
        method: str,
        path: str,
        query: dict[str, list[str]],
        headers: dict[str, str],
        body: bytes,
    ) -> Reply:
        prefix = "/wp-json/wc/v3"
        if not path.startswith(prefix):
            return Reply(404, {"code": "rest_no_route"})
        if headers.get("authorization") != self.auth:
            return Reply(401, {"code": "woocommerce_rest_cannot_view", "message": "Sorry."})
        parts = path[len(prefix) :].strip("/").split("/")
        data = json.loads(body) if body else {}
        with self.lock:
            return self._answer(method, parts, data)

    def _answer(self, method: str, parts: list[str], data: dict[str, Any]) -> Reply:
        if parts[0] == "products" and parts[-1] == "batch" and method == "POST":
            product = parts[1] if len(parts) == 4 else None
            updated = []
            for u in data.get("update", []):
                key = f"{product}:{u['id']}" if product else str(u["id"])
                self.stock[key] = int(u["stock_quantity"])
                self.record(key, int(u["stock_quantity"]))
                updated.append({"id": u["id"], "stock_quantity": u["stock_quantity"]})
            return Reply(200, {"update": updated})
        if parts == ["products"] and method == "GET":
            return Reply(200, self.catalogue)
        if parts[0] == "products" and parts[-1] == "variations" and method == "GET":
            return Reply(200, self.variations.get(parts[1], []))
        if parts[0] == "products" and method == "GET":
            key = parts[1] if len(parts) == 2 else f"{parts[1]}:{parts[3]}"
            if key not in self.stock:
                return Reply(404, {"code": "woocommerce_rest_product_invalid_id"})
            return Reply(200, {"id": int(key.split(":")[-1]), "stock_quantity": self.stock[key]})
        if parts[0] == "orders" and len(parts) == 2 and method == "PUT":
            self.orders.setdefault(parts[1], {}).update(data)
            return Reply(200, {"id": int(parts[1]), **self.orders[parts[1]]})
        if parts[0] == "orders" and len(parts) == 3 and parts[2] == "notes":
            self.notes.append({"order": parts[1], **data})
            return Reply(201, {"id": len(self.notes), **data})
        return Reply(404, {"code": "rest_no_route"})
