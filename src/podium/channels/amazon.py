"""Amazon SP-API: orders polled (``getOrders`` with ``LastUpdatedAfter`` and ``NextToken``, then
``getOrderItems``) behind a durable cursor; stock through the Listings Items API
(``patchListingsItem``, ``fulfillment_availability``); shipments confirmed with tracking.

Rate limits are Amazon's documented defaults, kept per channel and operation: getOrders
0.0167 req/s (burst 20), getOrderItems 0.5/s (burst 30), listings 5/s (burst 10),
confirmShipment 2/s (burst 10); a 429 is waited out.

Money: an Amazon order is priced in one marketplace currency (``OrderTotal``'s, else the first
item's). An amount in another currency, or one that currency cannot hold exactly (``"25.99"``
JPY), is never converted or rounded: the order is captured with that amount left out, the
amounts as sent are written on its timeline, and it is held (reason ``payment``) for a human.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from podium.channels.connector import Fulfilment, Parsed, PlatformError, Unsupported
from podium.channels.http import Bucket, Caller
from podium.channels.model import ChannelLine, ChannelOrder, Delivery, LevelPush, PushResult
from podium.channels.parsing import MoneyReader, clean_sku, parse_time, text
from podium.channels.settings import AmazonSettings
from podium.channels.spec import ConnectorSpec
from podium.errors import ValidationFailed
from podium.payments import PaymentFact, TxKind

__all__ = ["SPEC", "AmazonConnector", "order_from_amazon"]

# Orders Amazon says not to ship (yet): payment pending, pre-orders. Polled again when they move.
NOT_YET = frozenset({"Pending", "PendingAvailability"})
MARKETPLACE_COUNTRY = {
    "ATVPDKIKX0DER": "US",
    "A2EUQ1WTGCTBG2": "CA",
    "A1AM78C64UM0Y8": "MX",
    "A1F83G8C2ARO7P": "GB",
    "A1PA6795UKMFR9": "DE",
    "A13V1IB3VIYZZH": "FR",
    "APJ6JRA9NG5V4": "IT",
    "A1RKKUPIHCS9HS": "ES",
    "A1VC38T7YXB528": "JP",
    "A39IBJ37TRP1C6": "AU",
}
_RATES = {
    "getOrders": (0.0167, 20.0),
    "getOrderItems": (0.5, 30.0),
    "listings": (5.0, 10.0),
    "confirmShipment": (2.0, 10.0),
}


def _money(m: Any) -> tuple[Any, str | None]:
    if not isinstance(m, dict):
        return None, None
    return m.get("Amount"), m.get("CurrencyCode")


def _address(raw: Any, marketplace: str | None) -> dict[str, Any]:
    if isinstance(raw, dict) and raw.get("CountryCode"):
        out = {
            "name": text(raw.get("Name")),
            "line1": text(raw.get("AddressLine1")),
            "line2": text(raw.get("AddressLine2")),
            "city": text(raw.get("City"), 100),
            "region": text(raw.get("StateOrRegion"), 100),
            "postal_code": text(raw.get("PostalCode"), 20),
            "country": str(raw["CountryCode"]).upper(),
            "phone": text(raw.get("Phone"), 50),
        }
        return {k: v for k, v in out.items() if v is not None}
    # Restricted data (no address role, or not shipped yet): the marketplace's country.
    return {"country": MARKETPLACE_COUNTRY.get(marketplace or "", "US")}


def order_from_amazon(order: dict[str, Any], items: Sequence[dict[str, Any]]) -> ChannelOrder:
    if "AmazonOrderId" not in order:
        raise ValidationFailed("Not an Amazon order.", code="invalid_payload")
    _, total_currency = _money(order.get("OrderTotal"))
    first_item = next((_money(i.get("ItemPrice"))[1] for i in items if i.get("ItemPrice")), None)
    currency = (total_currency or first_item or "USD").upper()
    money = MoneyReader(currency)

    def read(m: Any, what: str) -> int:
        amount, cur = _money(m)
        return money.read(amount, what, cur) if amount is not None else 0

    lines, shipping, tax, discount = [], 0, 0, 0
    for i, item in enumerate(items):
        quantity = int(item.get("QuantityOrdered") or 0)
        if quantity <= 0:
            continue
        line_total = read(item.get("ItemPrice"), f"item {item.get('SellerSKU')} ItemPrice")
        if line_total % quantity:
            money.problems.append(
                f"item {item.get('SellerSKU')} ItemPrice does not divide by its quantity"
            )
        remote = str(item.get("SellerSKU") or item.get("ASIN") or f"item:{i}")
        lines.append(
            ChannelLine(
                sku=clean_sku(item.get("SellerSKU"), f"asin:{item.get('ASIN')}"),
                name=text(item.get("Title"), 300) or remote,
                quantity=quantity,
                unit_price=line_total // quantity,  # ItemPrice is the line total
                remote_id=remote,
            )
        )
        shipping += read(item.get("ShippingPrice"), "ShippingPrice")
        shipping += read((item.get("BuyerInfo") or {}).get("GiftWrapPrice"), "GiftWrapPrice")
        tax += read(item.get("ItemTax"), "ItemTax") + read(item.get("ShippingTax"), "ShippingTax")
        discount += read(item.get("PromotionDiscount"), "PromotionDiscount")
        discount += read(item.get("ShippingDiscount"), "ShippingDiscount")
    total_amount, _ = _money(order.get("OrderTotal"))
    total = money.read(total_amount, "OrderTotal") if total_amount is not None else None
    buyer = order.get("BuyerInfo") if isinstance(order.get("BuyerInfo"), dict) else {}
    status = str(order.get("OrderStatus") or "Unshipped")
    address = _address(order.get("ShippingAddress"), order.get("MarketplaceId"))
    return ChannelOrder(
        external_id=str(order["AmazonOrderId"]),
        number=str(order["AmazonOrderId"]),
        currency=currency,
        lines=lines,
        updated_at=parse_time(order.get("LastUpdateDate")),
        status=status,
        cancelled=status == "Canceled",
        placed_at=parse_time(order.get("PurchaseDate")),
        email=text((buyer or {}).get("BuyerEmail"), 320),
        name=text((buyer or {}).get("BuyerName")) or address.get("name"),
        address=address,
        shipping=shipping,
        tax=tax,
        discount=discount,
        total=total,
        notes=list(money.problems),
        review="; ".join(money.problems)[:1000] or None,
        payments=_paid(status, total, str(order["AmazonOrderId"])),
        paid_by_channel=True,
    )


# Amazon collects the money: once an order is Unshipped or (Partially)Shipped, it is paid.
_PAID = {"Unshipped", "PartiallyShipped", "Shipped"}


def _paid(status: str, total: int | None, order_id: str) -> list[PaymentFact]:
    if status in _PAID and total:
        return [PaymentFact(TxKind.CAPTURE, total, reference=order_id)]
    return []


class AmazonConnector:
    type = "amazon"

    def __init__(self, caller: Caller, *, first_poll_days: int = 30) -> None:
        self.caller = caller
        self.first_poll = timedelta(days=first_poll_days)
        self._buckets: dict[tuple[str, str], Bucket] = {}

    def verify(self, settings: AmazonSettings, headers: Mapping[str, str], body: bytes) -> Delivery:
        raise Unsupported("Amazon orders are polled (podium channels poll), not pushed here.")

    def parse(self, topic: str, body: bytes) -> Parsed:
        return None

    def _call(
        self, channel: str, s: AmazonSettings, operation: str, method: str, path: str, **kw: Any
    ) -> Any:
        key = (channel, operation)
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = Bucket(*_RATES[operation])
        bucket.take(1, self.caller.sleep)
        headers = {"x-amz-access-token": s.access_token, "user-agent": "Podium/0.1"}
        response = self.caller.send(
            method, f"{s.endpoint}{path}", channel=channel, headers=headers, **kw
        )
        return response.json() if response.content else {}

    def fetch(
        self, channel: str, settings: AmazonSettings, cursor: str | None
    ) -> tuple[list[ChannelOrder], str | None]:
        since = cursor or (datetime.now(UTC) - self.first_poll).strftime("%Y-%m-%dT%H:%M:%SZ")
        params: dict[str, Any] = {
            "MarketplaceIds": settings.marketplace_id,
            "LastUpdatedAfter": since,
        }
        orders: list[ChannelOrder] = []
        newest = since
        while True:
            page = self._call(
                channel, settings, "getOrders", "GET", "/orders/v0/orders", params=params
            )
            payload = page.get("payload") or {}
            for raw in payload.get("Orders") or []:
                updated = str(raw.get("LastUpdateDate") or "")
                newest = max(newest, updated)
                if raw.get("OrderStatus") in NOT_YET:
                    continue
                items = self._items(channel, settings, str(raw["AmazonOrderId"]))
                orders.append(order_from_amazon(raw, items))
            token = payload.get("NextToken")
            if not token:
                break
            params = {"MarketplaceIds": settings.marketplace_id, "NextToken": token}
        return orders, newest

    def _items(self, channel: str, s: AmazonSettings, order_id: str) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        params: dict[str, Any] = {}
        while True:
            page = self._call(
                channel,
                s,
                "getOrderItems",
                "GET",
                f"/orders/v0/orders/{order_id}/orderItems",
                params=params,
            )
            payload = page.get("payload") or {}
            items.extend(payload.get("OrderItems") or [])
            token = payload.get("NextToken")
            if not token:
                return items
            params = {"NextToken": token}

    def push(
        self, channel: str, settings: AmazonSettings, pushes: Sequence[LevelPush]
    ) -> PushResult:
        for p in pushes:
            body = {
                "productType": settings.product_type,
                "patches": [
                    {
                        "op": "replace",
                        "path": "/attributes/fulfillment_availability",
                        "value": [{"fulfillment_channel_code": "DEFAULT", "quantity": p.quantity}],
                    }
                ],
            }
            answer = self._call(
                channel,
                settings,
                "listings",
                "PATCH",
                f"/listings/2021-08-01/items/{settings.seller_id}/{p.remote_id}",
                params={"marketplaceIds": settings.marketplace_id},
                json=body,
            )
            if answer.get("status") != "ACCEPTED":
                issue = (answer.get("issues") or [{}])[0].get("message", "not accepted")
                raise PlatformError(f"Amazon refused {p.remote_id}: {issue}")
        return PushResult([p.sku for p in pushes])

    def read_levels(
        self, channel: str, settings: AmazonSettings, listings: Sequence[LevelPush]
    ) -> dict[str, int | None]:
        shown: dict[str, int | None] = {}
        for p in listings:
            found = self._call(
                channel,
                settings,
                "listings",
                "GET",
                f"/listings/2021-08-01/items/{settings.seller_id}/{p.remote_id}",
                params={
                    "marketplaceIds": settings.marketplace_id,
                    "includedData": "fulfillmentAvailability",
                },
            )
            levels = found.get("fulfillmentAvailability") or []
            shown[p.sku] = next(
                (
                    int(x["quantity"])
                    for x in levels
                    if x.get("fulfillmentChannelCode") == "DEFAULT"
                ),
                None,
            )
        return shown

    def discover(self, channel: str, settings: AmazonSettings) -> list[tuple[str, str]]:
        raise Unsupported(
            "Amazon listings are keyed by your seller SKU: map them with "
            "PUT /channels/{code}/listings/{sku} and remote_id = the seller SKU."
        )

    def mark_shipped(self, channel: str, settings: AmazonSettings, f: Fulfilment) -> None:
        items = self._items(channel, settings, f.external_id)
        by_sku = {str(i.get("SellerSKU")): str(i["OrderItemId"]) for i in items}
        order_items = [
            {"orderItemId": by_sku[seller_sku], "quantity": q}
            for sku, q, remote in f.lines
            if (seller_sku := remote or sku) in by_sku
        ]
        body = {
            "marketplaceId": settings.marketplace_id,
            "packageDetail": {
                "packageReferenceId": "1",
                "carrierCode": f.carrier or "Other",
                "trackingNumber": f.tracking_number or "",
                "shipDate": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "orderItems": order_items,
            },
        }
        self._call(
            channel,
            settings,
            "confirmShipment",
            "POST",
            f"/orders/v0/orders/{f.external_id}/shipmentConfirmation",
            json=body,
        )


SPEC = ConnectorSpec(
    type="amazon",
    label="Amazon SP-API: orders polled, stock pushed to listings",
    settings=AmazonSettings,
    secret_fields=frozenset({"access_token"}),
    build=AmazonConnector,
    polled=True,
)
