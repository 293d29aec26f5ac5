"""The Amazon connector against a fake SP-API that enforces what Amazon does: Login with Amazon,
expiring tokens, restricted data, Amazon's models, rate limits, percent-encoded SKU paths."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from fakes.channels.amazon import FakeAmazon
from podium.channels.amazon import AmazonConnector
from podium.channels.connector import Fulfilment, PlatformError
from podium.channels.http import Bucket, Caller
from podium.channels.model import LevelPush
from podium.channels.settings import AmazonSettings


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def fake() -> Iterator[FakeAmazon]:
    with FakeAmazon() as server:
        yield server
    assert server.invalid == []  # nothing Podium sent broke Amazon's models


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def connector(clock: Clock) -> Iterator[AmazonConnector]:
    caller = Caller(sleep=lambda s: time.sleep(min(s, 0.1)))
    with caller.client:
        yield AmazonConnector(caller, clock=clock)


def _settings(fake: FakeAmazon, **extra: Any) -> AmazonSettings:
    return AmazonSettings.model_validate(fake.settings(**extra))


def _order(order_id: str, updated: str, **extra: Any) -> dict[str, Any]:
    return {
        "AmazonOrderId": order_id,
        "PurchaseDate": "2026-11-20T09:00:00Z",
        "LastUpdateDate": updated,
        "OrderStatus": "Unshipped",
        "FulfillmentChannel": "MFN",
        "MarketplaceId": "ATVPDKIKX0DER",
        "OrderTotal": {"CurrencyCode": "USD", "Amount": "12.00"},
        "ShippingAddress": {
            "Name": "Ann",
            "AddressLine1": "1 Main",
            "City": "Austin",
            "StateOrRegion": "TX",
            "PostalCode": "78701",
            "CountryCode": "US",
        },
        "BuyerInfo": {"BuyerEmail": "ann@marketplace.amazon.com", "BuyerName": "Ann"},
        **extra,
    }


def _item(order_id: str, sku: str = "S-MUG") -> dict[str, Any]:
    return {
        "OrderItemId": f"{order_id}-{sku}",
        "SellerSKU": sku,
        "QuantityOrdered": 1,
        "ItemPrice": {"CurrencyCode": "USD", "Amount": "12.00"},
    }


def _push(
    connector: AmazonConnector, fake: FakeAmazon, remote: str = "S-MUG", qty: int = 4
) -> None:
    connector.push("amz", _settings(fake), [LevelPush(remote, remote, None, qty, None)])


def test_the_access_token_comes_from_login_with_amazon_and_is_reused(
    connector: AmazonConnector, fake: FakeAmazon
) -> None:
    for qty in (1, 2, 3):
        _push(connector, fake, qty=qty)
    assert fake.exchanges == 1 and fake.quantities["S-MUG"] == 3


def test_a_token_near_its_expiry_is_refreshed_before_amazon_refuses_it(
    connector: AmazonConnector, fake: FakeAmazon, clock: Clock
) -> None:
    _push(connector, fake)
    clock.now += 3600 - 59  # within the last minute of the token's hour
    _push(connector, fake)
    assert fake.exchanges == 2


def test_an_expired_token_answered_403_is_refreshed_once_and_the_call_goes_through(
    connector: AmazonConnector, fake: FakeAmazon
) -> None:
    _push(connector, fake, qty=1)
    fake.advance(3601)  # Amazon's clock: the token has expired, Podium's cache did not know
    _push(connector, fake, qty=7)
    assert fake.exchanges == 2 and fake.quantities["S-MUG"] == 7


def test_a_wrong_client_secret_is_a_clear_auth_failure(
    connector: AmazonConnector, fake: FakeAmazon
) -> None:
    with pytest.raises(PlatformError) as refused:
        connector.push(
            "amz",
            _settings(fake, client_secret="wrong-secret"),
            [LevelPush("S-MUG", "S-MUG", None, 1, None)],
        )
    assert refused.value.code == "platform_auth_failed"
    assert "invalid_client" in refused.value.message and fake.exchanges == 0


def test_a_stored_fixed_token_still_works_and_its_refusal_says_how_to_move_on(
    connector: AmazonConnector, fake: FakeAmazon
) -> None:
    legacy = AmazonSettings.model_validate(
        {
            "endpoint": fake.url,
            "access_token": fake.token,
            "seller_id": "A1SELLER",
            "marketplace_id": "ATVPDKIKX0DER",
        }
    )
    connector.push("old", legacy, [LevelPush("S-MUG", "S-MUG", None, 2, None)])
    assert fake.quantities["S-MUG"] == 2 and fake.exchanges == 0
    fake.fixed_token = "Atza|rotated"
    with pytest.raises(PlatformError) as refused:
        connector.push("old", legacy, [LevelPush("S-MUG", "S-MUG", None, 3, None)])
    assert "Login with Amazon" in refused.value.message


def test_orders_arrive_with_buyer_and_address_through_a_restricted_data_token(
    connector: AmazonConnector, fake: FakeAmazon
) -> None:
    fake.orders.append(_order("111-1", "2026-11-20T10:00:00Z"))
    fake.items["111-1"] = [_item("111-1")]
    orders, cursor = connector.fetch("amz", _settings(fake), "2026-11-01T00:00:00Z")
    (order,) = orders
    assert order.email == "ann@marketplace.amazon.com" and order.name == "Ann"
    assert order.address["line1"] == "1 Main" and order.review is None
    assert order.lines[0].line_id == "111-1-S-MUG"
    assert cursor == "2026-11-20T10:00:00Z" and fake.rdt_requests == 1
    query = fake.queries[0]
    assert query["OrderStatuses"][0].split(",")[:2] == ["Unshipped", "PartiallyShipped"]
    assert query["FulfillmentChannels"] == ["MFN,AFN"]


def test_without_the_pii_role_orders_are_still_captured_and_held_for_the_address(
    connector: AmazonConnector, fake: FakeAmazon
) -> None:
    fake.pii_role = False
    fake.orders.append(_order("111-2", "2026-11-20T10:00:00Z"))
    fake.items["111-2"] = [_item("111-2")]
    settings = _settings(fake)
    (order,), _ = connector.fetch("amz", settings, "2026-11-01T00:00:00Z")
    assert order.email is None and "line1" not in order.address
    assert order.address["postal_code"] == "78701"
    assert order.review_reason == "address" and "Restricted Data Token" in (order.review or "")
    asked = fake.rdt_requests
    connector.fetch("amz", settings, "2026-11-01T00:00:00Z")
    assert fake.rdt_requests == asked  # the refusal is remembered for a while, not asked again


def test_fba_shipped_and_cancelled_orders_are_sorted_from_work_to_ship(
    connector: AmazonConnector, fake: FakeAmazon
) -> None:
    fake.page_size = 10
    fake.orders += [
        _order("1-work", "2026-11-20T10:00:00Z"),
        _order("2-fba", "2026-11-20T10:01:00Z", FulfillmentChannel="AFN", OrderStatus="Shipped"),
        _order("3-shipped", "2026-11-20T10:02:00Z", OrderStatus="Shipped"),
        _order("4-cancelled", "2026-11-20T10:03:00Z", OrderStatus="Canceled"),
        _order("5-pending", "2026-11-20T10:04:00Z", OrderStatus="Pending"),
    ]
    for o in fake.orders:
        fake.items[o["AmazonOrderId"]] = [_item(o["AmazonOrderId"])]
    orders, _ = connector.fetch("amz", _settings(fake), "2026-11-01T00:00:00Z")
    seen = {o.external_id: (o.handed_over, o.only_if_known, o.cancelled) for o in orders}
    assert seen == {
        "1-work": (None, False, False),
        "2-fba": ("by_channel", False, False),
        "3-shipped": (None, True, False),
        "4-cancelled": (None, True, True),
    }  # Pending is not asked for at all
    by_id = {o.external_id: o for o in orders}
    assert by_id["2-fba"].lines and not by_id["3-shipped"].lines  # news needs no items


@pytest.mark.parametrize("sku", ["SKU#1", "A/B", "RED SHIRT", "WHAT?", "100%"])
def test_skus_are_percent_encoded_in_listing_paths(
    connector: AmazonConnector, fake: FakeAmazon, sku: str
) -> None:
    _push(connector, fake, remote=sku, qty=9)
    assert fake.quantities == {sku: 9}
    shown = connector.read_levels("amz", _settings(fake), [LevelPush(sku, sku, None, 9, None)])
    assert shown == {sku: 9}


def test_a_stock_push_merges_and_keeps_handling_time_and_restock_date(
    connector: AmazonConnector, fake: FakeAmazon
) -> None:
    fake.availability["S-MUG"] = {
        "fulfillment_channel_code": "DEFAULT",
        "quantity": 1,
        "lead_time_to_ship_max_days": 3,
        "restock_date": "2026-12-24",
    }
    _push(connector, fake, qty=5)
    assert fake.availability["S-MUG"] == {
        "fulfillment_channel_code": "DEFAULT",
        "quantity": 5,
        "lead_time_to_ship_max_days": 3,
        "restock_date": "2026-12-24",
    }


def test_a_burst_answered_429_is_waited_out_and_amazons_rate_is_adopted(
    fake: FakeAmazon,
) -> None:
    caller = Caller()  # Amazon sends no Retry-After: the caller waits 1 s
    connector = AmazonConnector(caller)
    fake.limits["listings"] = Bucket(2.0, 2.0)
    for n in range(5):
        _push(connector, fake, remote=f"S-{n}", qty=n)
    assert fake.throttled >= 1 and len(fake.quantities) == 5
    assert connector.api.buckets[("amz", "listings")].rate == 2.0
    caller.client.close()


def _fulfilment(order_id: str, package: int, carrier: str | None, name: str | None) -> Fulfilment:
    return Fulfilment(
        external_id=order_id,
        lines=[("S-MUG", 1, "S-MUG")],
        tracking_number=f"TRK{package}",
        carrier=carrier,
        tracking_url=None,
        package=package,
        carrier_name=name,
    )


def test_each_parcel_is_confirmed_with_its_own_reference_and_amazons_carrier_code(
    connector: AmazonConnector, fake: FakeAmazon
) -> None:
    fake.items["111-5"] = [_item("111-5"), _item("111-5", "S-TEE")]
    settings = _settings(fake)
    connector.mark_shipped("amz", settings, _fulfilment("111-5", 1, "easypost", "FedEx"))
    connector.mark_shipped("amz", settings, _fulfilment("111-5", 2, "acme-couriers", None))
    first, second = (c["packageDetail"] for c in fake.confirmations)
    assert (first["packageReferenceId"], first["carrierCode"]) == ("1", "FedEx")
    assert "carrierName" not in first
    assert (second["packageReferenceId"], second["carrierCode"]) == ("2", "Other")
    assert second["carrierName"] == "acme-couriers"
    assert first["orderItems"] == [{"orderItemId": "111-5-S-MUG", "quantity": 1}]


def test_amazon_refuses_a_package_reference_used_twice(
    connector: AmazonConnector, fake: FakeAmazon
) -> None:
    fake.items["111-6"] = [_item("111-6")]
    settings = _settings(fake)
    connector.mark_shipped("amz", settings, _fulfilment("111-6", 1, "ups", None))
    with pytest.raises(PlatformError):
        connector.mark_shipped("amz", settings, _fulfilment("111-6", 1, "ups", None))
    fake.invalid.clear()  # that refusal was the point
