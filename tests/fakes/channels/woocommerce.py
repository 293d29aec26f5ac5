"""A fake WooCommerce REST API (v3) that enforces what WooCommerce does: the REST authentication
rules, the batch limit and per-item batch errors; products and variations with batch updates,
orders and notes; plus signed webhook deliveries and the form-encoded first ping.

Authentication (WC_REST_Authentication): over HTTPS the API key is read from the
``consumer_key``/``consumer_secret`` query parameters first, else from HTTP Basic; over plain
HTTP only OAuth 1.0a is accepted, so both are refused with 401. ``https`` says how the site sees
requests on the fake's own socket (True: behind a TLS-terminating proxy); through ``transport``
(an ``httpx.MockTransport``) the request's own scheme decides.

Batches (WC_REST_Controller::batch_items): more than 100 items → 413
``woocommerce_rest_request_entity_too_large``; otherwise 200, with each refused item answered
in place as ``{"id": …, "error": {"code", "message", "data": {"status": 400}}}``.
"""

from __future__ import annotations

import base64
import json
import uuid
from typing import Any

import httpx

from fakes.channels.base import FakeServer, Reply, sign_b64

__all__ = ["FakeWooCommerce", "woo_webhook"]

BATCH_LIMIT = 100


def woo_webhook(
    topic: str,
    payload: Any,
    secret: str,
    delivery_id: str | None = None,
    webhook_id: str = "12",
) -> tuple[bytes, dict[str, str]]:
    body = json.dumps(payload).encode()
    return body, {
        "Content-Type": "application/json",
        "X-WC-Webhook-Source": "https://shop.example.com/",
        "X-WC-Webhook-Topic": topic,
        "X-WC-Webhook-Resource": topic.split(".")[0],
        "X-WC-Webhook-Event": topic.split(".")[-1],
        "X-WC-Webhook-Signature": sign_b64(secret, body),
        "X-WC-Webhook-ID": webhook_id,
        "X-WC-Webhook-Delivery-ID": delivery_id or uuid.uuid4().hex,
    }


ORDER_STATUSES = (
    "pending",
    "processing",
    "on-hold",
    "completed",
    "cancelled",
    "refunded",
    "failed",
    "trash",
)


def _invalid_param(field: str, why: str) -> Reply:
    return Reply(
        400,
        {
            "code": "rest_invalid_param",
            "message": f"Invalid parameter(s): {field}",
            "data": {"status": 400, "params": {field: f"{field} {why}."}},
        },
    )


def _item_error(item_id: Any, code: str, message: str) -> dict[str, Any]:
    return {"id": item_id, "error": {"code": code, "message": message, "data": {"status": 400}}}


class FakeWooCommerce(FakeServer):
    def __init__(
        self,
        key: str = "ck_test",
        secret: str = "cs_test",
        products: tuple[str, ...] = (),
        *,
        https: bool = True,
    ) -> None:
        super().__init__()
        self.key, self.secret = key, secret
        self.auth = "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode()
        self.https = https
        self.products: set[str] = set(products)  # "93" or "93:317" (product:variation)
        self.stock: dict[str, int] = {}  # "93" or "93:317" -> stock_quantity
        self.orders: dict[str, dict[str, Any]] = {}
        self.notes: list[dict[str, Any]] = []
        self.catalogue: list[dict[str, Any]] = []  # products as GET /products lists them
        self.variations: dict[str, list[dict[str, Any]]] = {}
        self.seen_queries: list[dict[str, list[str]]] = []  # query strings received

    # --- transport --------------------------------------------------------------------------

    def transport(self) -> httpx.MockTransport:
        """The same API in-process, for an ``https://`` site (the scheme is the request's)."""

        def handle(request: httpx.Request) -> httpx.Response:
            headers = {k.lower(): v for k, v in request.headers.items()}
            headers["x-fake-scheme"] = request.url.scheme
            query: dict[str, list[str]] = {}
            for k, v in request.url.params.multi_items():
                query.setdefault(k, []).append(v)
            with self.lock:
                self.requests += 1
            reply = self.route(request.method, request.url.path, query, headers, request.content)
            return httpx.Response(reply.status, json=reply.body, headers=reply.headers)

        return httpx.MockTransport(handle)

    # --- the API ----------------------------------------------------------------------------

    def known(self) -> set[str]:
        """Every product and variation id the shop has."""
        found = set(self.products)
        found |= {str(p["id"]) for p in self.catalogue if "id" in p}
        for parent, variations in self.variations.items():
            found |= {f"{parent}:{v['id']}" for v in variations if "id" in v}
        return found

    def _authenticate(self, query: dict[str, list[str]], headers: dict[str, str]) -> Reply | None:
        secure = headers.get("x-fake-scheme", "https" if self.https else "http") == "https"
        if not secure:  # only OAuth 1.0a over plain HTTP
            return Reply(
                401,
                {
                    "code": "woocommerce_rest_cannot_view",
                    "message": "Sorry, you cannot list resources.",
                    "data": {"status": 401},
                },
            )
        key = (query.get("consumer_key") or [""])[0]
        secret = (query.get("consumer_secret") or [""])[0]
        if not (key and secret):  # the query string first, then HTTP Basic
            auth = headers.get("authorization", "")
            if auth.startswith("Basic "):
                try:
                    key, _, secret = base64.b64decode(auth[6:]).decode().partition(":")
                except ValueError:
                    key = secret = ""
        if key != self.key:
            return Reply(
                401,
                {
                    "code": "woocommerce_rest_cannot_view",
                    "message": "Sorry, you cannot list resources.",
                    "data": {"status": 401},
                },
            )
        if secret != self.secret:
            return Reply(
                401,
                {
                    "code": "woocommerce_rest_authentication_error",
                    "message": "Consumer secret is invalid.",
                    "data": {"status": 401},
                },
            )
        return None

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
        refused = self._authenticate(query, headers)
        if refused is not None:
            return refused
        self.seen_queries.append(query)
        parts = path[len(prefix) :].strip("/").split("/")
        try:
            data = json.loads(body) if body else {}
        except ValueError:
            return Reply(400, {"code": "rest_invalid_json", "message": "Invalid JSON body."})
        with self.lock:
            return self._answer(method, parts, data)

    def _batch(self, product: str | None, data: dict[str, Any]) -> Reply:
        for op in ("create", "update"):  # the route's args: arrays of objects
            listed = data.get(op)
            if listed is not None and not (
                isinstance(listed, list) and all(isinstance(i, dict) for i in listed)
            ):
                return _invalid_param(op, "is not of type array of objects")
        for u in data.get("update") or []:
            if isinstance(u.get("id"), bool) or not isinstance(u.get("id"), int):
                return _invalid_param("update", "items need an integer id")
            if "manage_stock" in u and not isinstance(u["manage_stock"], bool):
                return _invalid_param("update", "manage_stock is not of type boolean")
        items = [i for op in ("create", "update", "delete") for i in (data.get(op) or [])]
        if len(items) > BATCH_LIMIT:
            return Reply(
                413,
                {
                    "code": "woocommerce_rest_request_entity_too_large",
                    "message": f"Unable to accept more than {BATCH_LIMIT} items for this request.",
                    "data": {"status": 413},
                },
            )
        known = self.known()
        updated = []
        for u in data.get("update") or []:
            item_id = u.get("id") if isinstance(u, dict) else None
            key = f"{product}:{item_id}" if product else str(item_id)
            if key not in known:
                code = (
                    "woocommerce_rest_product_variation_invalid_id"
                    if product
                    else ("woocommerce_rest_product_invalid_id")
                )
                updated.append(_item_error(item_id, code, "Invalid ID."))
                continue
            quantity = u.get("stock_quantity")
            if u.get("manage_stock") is True and quantity is not None:
                try:
                    count = int(quantity)
                except (TypeError, ValueError):
                    updated.append(
                        _item_error(
                            item_id, "rest_invalid_param", "Invalid parameter(s): stock_quantity"
                        )
                    )
                    continue
                self.stock[key] = count
                self.record(key, count)
            updated.append(
                {"id": item_id, "manage_stock": True, "stock_quantity": self.stock.get(key)}
            )
        return Reply(200, {"update": updated})

    def _answer(self, method: str, parts: list[str], data: dict[str, Any]) -> Reply:
        if parts[0] == "products" and parts[-1] == "batch" and method == "POST":
            return self._batch(parts[1] if len(parts) == 4 else None, data)
        if parts == ["products"] and method == "GET":
            return Reply(200, self.catalogue)
        if parts[0] == "products" and parts[-1] == "variations" and method == "GET":
            return Reply(200, self.variations.get(parts[1], []))
        if parts[0] == "products" and method == "GET":
            key = parts[1] if len(parts) == 2 else f"{parts[1]}:{parts[3]}"
            if key not in self.known():
                return Reply(404, {"code": "woocommerce_rest_product_invalid_id"})
            return Reply(
                200, {"id": int(key.split(":")[-1]), "stock_quantity": self.stock.get(key)}
            )
        if parts[0] == "orders" and len(parts) == 2 and method == "PUT":
            if "status" in data and data["status"] not in ORDER_STATUSES:
                return _invalid_param("status", f"is not one of {', '.join(ORDER_STATUSES)}")
            self.orders.setdefault(parts[1], {}).update(data)
            return Reply(200, {"id": int(parts[1]), **self.orders[parts[1]]})
        if parts[0] == "orders" and len(parts) == 3 and parts[2] == "notes":
            if not isinstance(data.get("note"), str) or not data["note"]:
                return Reply(
                    400,
                    {
                        "code": "rest_missing_callback_param",
                        "message": "Missing parameter(s): note",
                        "data": {"status": 400, "params": ["note"]},
                    },
                )
            self.notes.append({"order": parts[1], **data})
            return Reply(201, {"id": len(self.notes), **data})
        return Reply(404, {"code": "rest_no_route"})
