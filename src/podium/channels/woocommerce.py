"""WooCommerce: webhooks (``X-WC-Webhook-Topic``/``-Signature``, the form-encoded first ping)
and stock through the REST API batch endpoints (products and variations, 100 per call).

A listing's ``remote_id`` is the product id, or ``<product id>:<variation id>`` for a variation.
Shipping marks the order ``completed`` and adds a customer note with the tracking number
(WooCommerce has no tracking field of its own).

A batch is answered 200 even when some of its items were refused: each refused item comes back
as ``{"id": …, "error": {"code", "message", "data"}}``. Those SKUs are reported as failed (the
sync retries them and channel health shows why), never as pushed.

The API key travels as HTTP Basic or, for servers that strip ``Authorization``, as the
``consumer_key``/``consumer_secret`` query parameters (``auth: "query"``, HTTPS only). Either
way the key never appears in an error message or a log line.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import parse_qs

from podium.channels import woocommerce_money
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
from podium.channels.settings import WooCommerceSettings
from podium.channels.spec import ConnectorSpec
from podium.channels.woocommerce_payloads import (
    cancellation_from_woo,
    order_from_woo,
    refund_from_woo,
)
from podium.channels.woocommerce_rest import (
    count_of,
    credentials,
    listing_ids,
    redact_http_logs,
    refused,
    without_secrets,
)
from podium.errors import DomainError, ValidationFailed

__all__ = ["SPEC", "WooCommerceConnector", "order_from_woo", "refund_from_woo"]

ORDER_TOPICS = frozenset({"order.created", "order.updated", "order.restored"})
TRASHED = "order.deleted"  # the order went to the trash; the body is ``{"id": N}``
_BATCH = 100  # WooCommerce's default ``woocommerce_rest_batch_items_limit``; more is a 413
_KEY_LEN = 200  # the deliveries table's delivery id


def _delivery_key(webhook_id: str, delivery_id: str, body: bytes) -> str:
    """WooCommerce's delivery id is ``wp_hash(webhook id . time())``: one value per webhook per
    second, so two different events in the same second share it. The key adds the SHA-256 of
    the body: a redelivery of the same body is one delivery, a different body is another."""
    key = f"{webhook_id}:{delivery_id}:{hashlib.sha256(body).hexdigest()}"
    return key if len(key) <= _KEY_LEN else "sha256:" + hashlib.sha256(key.encode()).hexdigest()


def _is_ping(headers: Mapping[str, str], body: bytes) -> str | None:
    if b"{" in body[:1] or len(body) > 200:
        return None
    form = parse_qs(body.decode("latin-1"))
    ids = form.get("webhook_id")
    return ids[0] if ids and ids[0].isdigit() else None


class WooCommerceConnector:
    type = "woocommerce"

    def __init__(self, caller: Caller) -> None:
        self.caller = caller
        self._buckets: dict[str, Bucket] = {}
        redact_http_logs()

    def verify(
        self, settings: WooCommerceSettings, headers: Mapping[str, str], body: bytes
    ) -> Delivery:
        ping = _is_ping(headers, body)
        if ping is not None:  # the first delivery on creating a webhook: nothing to store
            return Delivery("ping", f"ping-{ping}")
        secrets = (settings.webhook_secret, settings.previous_webhook_secret)
        if not hmac_b64_matches(secrets, body, headers.get("x-wc-webhook-signature")):
            raise BadSignature("The X-WC-Webhook-Signature signature does not match.")
        topic = headers.get("x-wc-webhook-topic")
        delivery = headers.get("x-wc-webhook-delivery-id")
        if not topic or not delivery:
            raise ValidationFailed(
                "X-WC-Webhook-Topic and X-WC-Webhook-Delivery-ID are required.",
                code="missing_header",
                details={
                    "field": "X-WC-Webhook-Topic" if not topic else "X-WC-Webhook-Delivery-ID"
                },
            )
        webhook = headers.get("x-wc-webhook-id", "").strip()
        return Delivery(topic.strip(), _delivery_key(webhook, delivery.strip(), body))

    def parse(self, topic: str, body: bytes) -> Parsed:
        if topic in ORDER_TOPICS:
            return order_from_woo(as_json(body))
        if topic == TRASHED:
            return cancellation_from_woo(as_json(body))
        return None

    def fetch(
        self, channel: str, settings: WooCommerceSettings, cursor: str | None
    ) -> tuple[list[ChannelOrder], str | None]:
        raise Unsupported("WooCommerce orders arrive by webhook; there is nothing to poll.")

    def push_budget(self, channel: str) -> PushBudget:
        """The client-side limit every call keeps to (10 a second, 20 at once), each stock
        call carrying up to 100 items."""
        return PushBudget(10.0, 20.0, _BATCH)

    def _send(self, channel: str, s: WooCommerceSettings, method: str, path: str, **kw: Any) -> Any:
        bucket = self._buckets.setdefault(channel, Bucket(rate=10.0, burst=20.0))
        bucket.take(1, self.caller.sleep)
        kw = credentials(s.auth, s.consumer_key, s.consumer_secret, **kw)
        try:
            response = self.caller.send(
                method, f"{s.site_url}/wp-json/wc/v3{path}", channel=channel, **kw
            )
        except DomainError as exc:
            raise without_secrets(exc, (s.consumer_key, s.consumer_secret)) from None
        try:
            return response.json()
        except ValueError:  # e.g. a security plugin's HTML page answered 200
            raise PlatformError(
                f"{method} {path} on {s.site_url}: WooCommerce's answer is not JSON "
                f"({response.headers.get('content-type', 'no content type')}).",
                details={"status": response.status_code},
            ) from None

    def push(
        self, channel: str, settings: WooCommerceSettings, pushes: Sequence[LevelPush]
    ) -> PushResult:
        """Products through ``products/batch``, variations through their parent's
        ``products/{parent}/variations/batch``, at most 100 items a call. An item the answer
        refuses (or leaves out) is failed with WooCommerce's code and message."""
        products: list[tuple[str, dict[str, Any]]] = []
        variations: dict[str, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
        failed: dict[str, str] = {}
        for p in pushes:
            ids = listing_ids(p.remote_id)
            if ids is None:
                failed[p.sku] = f"listing remote id {p.remote_id!r} is not <product>[:<variation>]"
                continue
            product, variation = ids
            update = {
                "id": int(variation or product),
                "manage_stock": True,
                "stock_quantity": p.quantity,
            }
            if variation:
                variations[product].append((p.sku, update))
            else:
                products.append((p.sku, update))
        calls = [("/products/batch", products)] + [
            (f"/products/{product}/variations/batch", items)
            for product, items in variations.items()
        ]
        for path, items in calls:
            for start in range(0, len(items), _BATCH):
                chunk = items[start : start + _BATCH]
                answer = self._send(
                    channel, settings, "POST", path, json={"update": [u for _, u in chunk]}
                )
                failed.update(refused(chunk, answer))
        return PushResult([p.sku for p in pushes], failed=failed)

    def read_levels(
        self, channel: str, settings: WooCommerceSettings, listings: Sequence[LevelPush]
    ) -> dict[str, int | None]:
        """What each listing shows; None where the platform has no such product (404) or the
        listing's id cannot name one (never put in a URL as it is)."""
        shown: dict[str, int | None] = {}
        for p in listings:
            shown[p.sku] = None
            ids = listing_ids(p.remote_id)
            if ids is None:
                continue
            product, variation = ids
            path = f"/products/{product}" + (f"/variations/{variation}" if variation else "")
            try:
                found = self._send(channel, settings, "GET", path)
            except DomainError as exc:
                if exc.details.get("status") in (400, 404):  # gone from the shop
                    continue
                raise
            q = found.get("stock_quantity") if isinstance(found, dict) else None
            shown[p.sku] = count_of(q)
        return shown

    def discover(self, channel: str, settings: WooCommerceSettings) -> list[tuple[str, str]]:
        found: list[tuple[str, str]] = []
        page = 1
        while True:
            products = self._send(
                channel, settings, "GET", "/products", params={"per_page": 100, "page": page}
            )
            for p in products:
                if p.get("sku"):
                    found.append((str(p["sku"]), str(p["id"])))
                if p.get("variations"):
                    variations = self._send(
                        channel,
                        settings,
                        "GET",
                        f"/products/{p['id']}/variations",
                        params={"per_page": 100},
                    )
                    found += [
                        (str(v["sku"]), f"{p['id']}:{v['id']}") for v in variations if v.get("sku")
                    ]
            if len(products) < 100:
                return found
            page += 1

    def mark_shipped(self, channel: str, settings: WooCommerceSettings, f: Fulfilment) -> None:
        self._send(
            channel, settings, "PUT", f"/orders/{f.external_id}", json={"status": "completed"}
        )
        tracking = (
            f" Tracking: {f.carrier or ''} {f.tracking_number}".rstrip()
            if f.tracking_number
            else ""
        )
        note = f"Shipped: {', '.join(f'{q} × {s}' for s, q, _ in f.lines)}.{tracking}"
        if f.tracking_url:
            note += f" {f.tracking_url}"
        self._send(
            channel,
            settings,
            "POST",
            f"/orders/{f.external_id}/notes",
            json={"note": note, "customer_note": True},
        )

    def refund(self, channel: str, settings: WooCommerceSettings, push: RefundPush) -> str:
        return woocommerce_money.refund(self, channel, settings, push)

    def cancel(
        self, channel: str, settings: WooCommerceSettings, external_id: str, reason: str | None
    ) -> None:
        woocommerce_money.cancel(self, channel, settings, external_id, reason)


# WooCommerce's consumer key is half of its API credential pair (it authenticates REST calls
# with the secret), so it is masked like the secret.
SPEC = ConnectorSpec(
    type="woocommerce",
    label="WooCommerce: orders by webhook, stock pushed by REST",
    settings=WooCommerceSettings,
    secret_fields=frozenset(
        {"consumer_key", "consumer_secret", "webhook_secret", "previous_webhook_secret"}
    ),
    build=WooCommerceConnector,
)
