"""WooCommerce: webhooks (``X-WC-Webhook-Topic``/``-Signature``, the form-encoded first ping)
and stock through the REST API batch endpoints (products and variations, 100 per call).

A listing's ``remote_id`` is the product id, or ``<product id>:<variation id>`` for a variation.
Shipping marks the order ``completed`` and adds a customer note with the tracking number
(WooCommerce has no tracking field of its own).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import parse_qs

from podium.channels import woocommerce_money
from podium.channels.connector import BadSignature, Fulfilment, Parsed, RefundPush, Unsupported
from podium.channels.http import Bucket, Caller
from podium.channels.model import (
    ChannelLine,
    ChannelOrder,
    ChannelRefund,
    Delivery,
    LevelPush,
    PushResult,
    exact_minor,
)
from podium.channels.parsing import (
    MoneyReader,
    as_json,
    clean_sku,
    hmac_b64_matches,
    parse_time,
    text,
)
from podium.channels.settings import WooCommerceSettings
from podium.channels.spec import ConnectorSpec
from podium.errors import ValidationFailed
from podium.payments import PaymentFact, TxKind

__all__ = ["SPEC", "WooCommerceConnector", "order_from_woo", "refund_from_woo"]

ORDER_TOPICS = frozenset({"order.created", "order.updated", "order.restored"})
CANCELLED = frozenset({"cancelled", "trash", "failed"})
_BATCH = 100


def _address(raw: Any) -> dict[str, Any] | None:
    if not isinstance(raw, dict) or not str(raw.get("country") or "").strip():
        return None
    name = " ".join(p for p in (text(raw.get("first_name")), text(raw.get("last_name"))) if p)
    out = {
        "name": name or None,
        "company": text(raw.get("company")),
        "line1": text(raw.get("address_1")),
        "line2": text(raw.get("address_2")),
        "city": text(raw.get("city"), 100),
        "region": text(raw.get("state"), 100),
        "postal_code": text(raw.get("postcode"), 20),
        "country": str(raw["country"]).strip().upper(),
        "phone": text(raw.get("phone"), 50),
    }
    return {k: v for k, v in out.items() if v is not None}


def _remote(item: dict[str, Any]) -> str:
    product, variation = item.get("product_id"), item.get("variation_id")
    return f"{product}:{variation}" if variation else str(product)


def _unit_price(item: dict[str, Any], quantity: int, money: MoneyReader, i: int) -> int:
    """The line ``subtotal`` (string, before discounts) over the quantity when exact, else the
    numeric ``price``."""
    subtotal = exact_minor(item.get("subtotal"), money.currency)
    if subtotal is not None and quantity and subtotal % quantity == 0:
        return subtotal // quantity
    return money.read(item.get("price"), f"line {i + 1} price")


def order_from_woo(data: Any) -> ChannelOrder:
    if not isinstance(data, dict) or "id" not in data or not data.get("currency"):
        raise ValidationFailed(
            "Not a WooCommerce order.", code="invalid_payload", details={"field": "id"}
        )
    currency = str(data["currency"]).upper()
    money = MoneyReader(currency)
    lines = []
    for i, item in enumerate(data.get("line_items") or []):
        quantity = int(item.get("quantity") or 0)
        if quantity <= 0:
            continue
        remote = _remote(item)
        lines.append(
            ChannelLine(
                sku=clean_sku(item.get("sku"), f"wc:{remote}"),
                name=text(item.get("name"), 300) or f"wc:{remote}",
                quantity=quantity,
                unit_price=_unit_price(item, quantity, money, i),
                remote_id=remote,
            )
        )
    shipping = money.read(data.get("shipping_total"), "shipping_total")
    tax = money.read(data.get("total_tax"), "total_tax")
    discount = money.read(data.get("discount_total"), "discount_total")
    total = money.read(data.get("total"), "total")
    billing: dict[str, Any] = data["billing"] if isinstance(data.get("billing"), dict) else {}
    address = _address(data.get("shipping")) or _address(billing)
    notes = list(money.problems)
    computed = sum(ln.unit_price * ln.quantity for ln in lines) + shipping + tax - discount
    if total and computed != total:
        notes.append(f"WooCommerce's total {data.get('total')} ≠ the lines' sum")
    status = str(data.get("status") or "pending")
    return ChannelOrder(
        external_id=str(data["id"]),
        number=text(data.get("number")),
        currency=currency,
        lines=lines,
        # date_*_gmt is UTC without a zone; date_* is the site's local time: never use it.
        updated_at=parse_time(data.get("date_modified_gmt")),
        status=status,
        cancelled=status in CANCELLED,
        placed_at=parse_time(data.get("date_created_gmt")),
        email=text(billing.get("email"), 320),
        name=(address or {}).get("name"),
        phone=text(billing.get("phone"), 50),
        address=address or {},
        shipping=shipping,
        tax=tax,
        discount=discount,
        total=total,
        notes=notes,
        review="; ".join(money.problems) or None,
        refunds=[
            ChannelRefund(
                external_id=str(data["id"]),
                refund_id=str(r.get("id")),
                currency=currency,
                amount=abs(exact_minor(r.get("total"), currency) or 0),  # listed negative
                lines=[],
                note=text(r.get("reason"), 1000),
                created_at=None,
            )
            for r in (data.get("refunds") or [])
            if isinstance(r, dict) and r.get("id") is not None
        ],
        payments=_paid(data, status, total),
        paid_by_channel=True,
    )


# Statuses of an order WooCommerce's gateway has taken the money for.
_PAID = {"processing", "completed", "refunded"}


def _paid(data: dict[str, Any], status: str, total: int) -> list[PaymentFact]:
    """``date_paid`` (or a paid status) means the total was captured; ``failed``, that the
    payment failed; pending and on-hold orders are not paid yet."""
    reference = text(data.get("transaction_id")) or None
    if total and (data.get("date_paid_gmt") or data.get("date_paid") or status in _PAID):
        return [PaymentFact(TxKind.CAPTURE, total, reference=reference)]
    if status == "failed":
        return [PaymentFact(TxKind.CAPTURE, total, succeeded=False, reference=reference)]
    return []


def refund_from_woo(data: Any, currency: str = "USD") -> ChannelRefund:
    """A refund as the REST API returns it; its order id is in ``_links.up``."""
    if not isinstance(data, dict) or "amount" not in data:
        raise ValidationFailed("Not a WooCommerce refund.", code="invalid_payload")
    up = ((data.get("_links") or {}).get("up") or [{}])[0].get("href", "")
    order_id = up.rstrip("/").rsplit("/", 1)[-1] if up else str(data.get("order_id", ""))
    money = MoneyReader(currency)
    return ChannelRefund(
        external_id=order_id,
        refund_id=str(data.get("id")),
        currency=currency,
        amount=money.read(data.get("amount"), "refund amount"),
        lines=[
            {  # refund lines come negative
                "sku": li.get("sku"),
                "remote_id": _remote(li),
                "quantity": abs(int(li.get("quantity") or 0)),
                "total": str(li.get("total")),
                # WooCommerce restocks refunded items unless told not to (``api_restock``).
                "restock": data.get("api_restock") is not False,
            }
            for li in (data.get("line_items") or [])
        ],
        note=text(data.get("reason"), 1000),
        created_at=parse_time(data.get("date_created_gmt")),
    )


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
        return Delivery(topic.strip(), f"{headers.get('x-wc-webhook-id', '')}:{delivery.strip()}")

    def parse(self, topic: str, body: bytes) -> Parsed:
        if topic in ORDER_TOPICS:
            return order_from_woo(as_json(body))
        return None

    def fetch(
        self, channel: str, settings: WooCommerceSettings, cursor: str | None
    ) -> tuple[list[ChannelOrder], str | None]:
        raise Unsupported("WooCommerce orders arrive by webhook; there is nothing to poll.")

    def _send(self, channel: str, s: WooCommerceSettings, method: str, path: str, **kw: Any) -> Any:
        bucket = self._buckets.setdefault(channel, Bucket(rate=10.0, burst=20.0))
        bucket.take(1, self.caller.sleep)
        response = self.caller.send(
            method,
            f"{s.site_url}/wp-json/wc/v3{path}",
            channel=channel,
            auth=(s.consumer_key, s.consumer_secret),
            **kw,
        )
        return response.json()

    def push(
        self, channel: str, settings: WooCommerceSettings, pushes: Sequence[LevelPush]
    ) -> PushResult:
        products: list[dict[str, Any]] = []
        variations: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for p in pushes:
            product, _, variation = p.remote_id.partition(":")
            update = {
                "id": int(variation or product),
                "manage_stock": True,
                "stock_quantity": p.quantity,
            }
            if variation:
                variations[product].append(update)
            else:
                products.append(update)
        for start in range(0, len(products), _BATCH):
            self._send(
                channel,
                settings,
                "POST",
                "/products/batch",
                json={"update": products[start : start + _BATCH]},
            )
        for product, updates in variations.items():
            for start in range(0, len(updates), _BATCH):
                self._send(
                    channel,
                    settings,
                    "POST",
                    f"/products/{product}/variations/batch",
                    json={"update": updates[start : start + _BATCH]},
                )
        return PushResult([p.sku for p in pushes])

    def read_levels(
        self, channel: str, settings: WooCommerceSettings, listings: Sequence[LevelPush]
    ) -> dict[str, int | None]:
        shown: dict[str, int | None] = {}
        for p in listings:
            product, _, variation = p.remote_id.partition(":")
            path = f"/products/{product}" + (f"/variations/{variation}" if variation else "")
            found = self._send(channel, settings, "GET", path)
            q = found.get("stock_quantity") if isinstance(found, dict) else None
            shown[p.sku] = int(q) if q is not None else None
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
