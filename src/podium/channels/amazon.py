"""Amazon SP-API: orders polled (``getOrders`` with ``LastUpdatedAfter`` and ``NextToken``, then
``getOrderItems``) behind a durable cursor; stock through the Listings Items API
(``patchListingsItem``, ``merge`` on ``fulfillment_availability``); shipments confirmed with
tracking, one package reference per parcel.

Auth is Login with Amazon (see ``amazon_auth``): a cached access token, refreshed once when
Amazon answers 401/403. Buyer name, e-mail and address come with a Restricted Data Token for
getOrders; when Amazon refuses one, orders are still captured and held for their address.

Rate limits are Amazon's documented defaults, kept per channel and operation (and moved to
what Amazon's ``x-amzn-RateLimit-Limit`` header says): getOrders 0.0167 req/s (burst 20),
getOrderItems 0.5/s (burst 30), listings 5/s (burst 10), confirmShipment 2/s (burst 10),
createRestrictedDataToken 1/s (burst 10); a 429 is waited out.

Which orders are work, and how money is read: see ``amazon_payloads``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

from podium.channels.amazon_payloads import (
    NOT_YET,
    ORDER_STATUSES,
    amazon_carrier,
    is_news_only,
    order_from_amazon,
)
from podium.channels.amazon_session import ORDERS_PATH, SpApi
from podium.channels.connector import Fulfilment, Parsed, PlatformError, Unsupported
from podium.channels.http import Caller
from podium.channels.model import ChannelOrder, Delivery, LevelPush, PushResult
from podium.channels.pacing import PushBudget
from podium.channels.settings import AmazonSettings
from podium.channels.spec import ConnectorSpec

__all__ = ["SPEC", "AmazonConnector", "order_from_amazon"]

log = logging.getLogger("podium.channels.amazon")


def _path(value: str) -> str:
    """One URL path segment: ``SKU#1`` → ``SKU%231`` (also ``/``, space, ``?``, ``%``)."""
    return quote(value, safe="")


class AmazonConnector:
    type = "amazon"

    def __init__(
        self,
        caller: Caller,
        *,
        first_poll_days: int = 30,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.api = SpApi(caller, clock)
        self.first_poll = timedelta(days=first_poll_days)

    def verify(self, settings: AmazonSettings, headers: Mapping[str, str], body: bytes) -> Delivery:
        raise Unsupported("Amazon orders are polled (podium channels poll), not pushed here.")

    def parse(self, topic: str, body: bytes) -> Parsed:
        return None

    # --- orders --------------------------------------------------------------------------------

    def fetch(
        self, channel: str, settings: AmazonSettings, cursor: str | None
    ) -> tuple[list[ChannelOrder], str | None]:
        since = cursor or (datetime.now(UTC) - self.first_poll).strftime("%Y-%m-%dT%H:%M:%SZ")
        params: dict[str, Any] = {
            "MarketplaceIds": settings.marketplace_id,
            "LastUpdatedAfter": since,
            "OrderStatuses": ",".join(ORDER_STATUSES),
            "FulfillmentChannels": "MFN,AFN",
        }
        orders: list[ChannelOrder] = []
        newest = since
        while True:
            rdt = self.api.restricted_token(channel, settings)
            page = self._orders_page(channel, settings, params, rdt)
            payload = page.get("payload") or {}
            for raw in payload.get("Orders") or []:
                if not isinstance(raw, dict) or not raw.get("AmazonOrderId"):
                    log.warning("channel %s: an order without AmazonOrderId: %r", channel, raw)
                    continue
                newest = max(newest, str(raw.get("LastUpdateDate") or ""))
                if raw.get("OrderStatus") in NOT_YET:
                    continue
                news = is_news_only(raw)  # applied to known orders only: items not needed
                items = [] if news else self._items(channel, settings, str(raw["AmazonOrderId"]))
                orders.append(order_from_amazon(raw, items, restricted_refused=rdt is None))
            token = payload.get("NextToken")
            if not token:
                break
            params = {"MarketplaceIds": settings.marketplace_id, "NextToken": token}
        return orders, newest

    def _orders_page(
        self, channel: str, s: AmazonSettings, params: dict[str, Any], rdt: str | None
    ) -> Any:
        if rdt is None:
            return self.api.call(channel, s, "getOrders", "GET", ORDERS_PATH, params=params)
        try:
            return self.api.call(
                channel, s, "getOrders", "GET", ORDERS_PATH, params=params, token=rdt
            )
        except PlatformError as exc:
            if exc.details.get("status") not in (401, 403):
                raise
            # The RDT expired early or was revoked: a fresh one, once.
            self.api.drop_restricted(channel, s)
            fresh = self.api.restricted_token(channel, s)
            return self.api.call(
                channel, s, "getOrders", "GET", ORDERS_PATH, params=params, token=fresh
            )

    def _items(self, channel: str, s: AmazonSettings, order_id: str) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        params: dict[str, Any] = {}
        while True:
            page = self.api.call(
                channel,
                s,
                "getOrderItems",
                "GET",
                f"{ORDERS_PATH}/{_path(order_id)}/orderItems",
                params=params,
            )
            payload = page.get("payload") or {}
            items.extend(i for i in payload.get("OrderItems") or [] if isinstance(i, dict))
            token = payload.get("NextToken")
            if not token:
                return items
            params = {"NextToken": token}

    # --- stock ---------------------------------------------------------------------------------

    def _listing_path(self, s: AmazonSettings, remote_id: str) -> str:
        return f"/listings/2021-08-01/items/{_path(s.seller_id)}/{_path(remote_id)}"

    def push_budget(self, channel: str) -> PushBudget:
        """One listings PATCH per SKU at 5 a second (burst 10): calls of 10 SKUs, one every
        two seconds."""
        return PushBudget(0.5, 1.0, 10)

    def push(
        self, channel: str, settings: AmazonSettings, pushes: Sequence[LevelPush]
    ) -> PushResult:
        for p in pushes:
            # ``merge`` keeps what the listing says besides the count (handling time, restock
            # date); ``replace`` would wipe them.
            body = {
                "productType": settings.product_type,
                "patches": [
                    {
                        "op": "merge",
                        "path": "/attributes/fulfillment_availability",
                        "value": [{"fulfillment_channel_code": "DEFAULT", "quantity": p.quantity}],
                    }
                ],
            }
            answer = self.api.call(
                channel,
                settings,
                "listings",
                "PATCH",
                self._listing_path(settings, p.remote_id),
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
            found = self.api.call(
                channel,
                settings,
                "listings",
                "GET",
                self._listing_path(settings, p.remote_id),
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

    # --- shipments -----------------------------------------------------------------------------

    def mark_shipped(self, channel: str, settings: AmazonSettings, f: Fulfilment) -> None:
        items = self._items(channel, settings, f.external_id)
        by_sku = {str(i.get("SellerSKU")): str(i["OrderItemId"]) for i in items}
        order_items = [
            {"orderItemId": by_sku[seller_sku], "quantity": q}
            for sku, q, remote in f.lines
            if (seller_sku := remote or sku) in by_sku
        ]
        code, name = amazon_carrier(f.carrier_name, f.carrier)
        package: dict[str, Any] = {
            "packageReferenceId": str(f.package or 1),  # unique per parcel of the order
            "carrierCode": code,
            "trackingNumber": f.tracking_number or "",
            "shipDate": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "orderItems": order_items,
        }
        if name is not None:
            package["carrierName"] = name
        body = {"marketplaceId": settings.marketplace_id, "packageDetail": package}
        self.api.call(
            channel,
            settings,
            "confirmShipment",
            "POST",
            f"{ORDERS_PATH}/{_path(f.external_id)}/shipmentConfirmation",
            json=body,
        )


SPEC = ConnectorSpec(
    type="amazon",
    label="Amazon SP-API: orders polled, stock pushed to listings",
    settings=AmazonSettings,
    secret_fields=frozenset({"access_token", "client_secret", "refresh_token"}),
    build=AmazonConnector,
    polled=True,
)
