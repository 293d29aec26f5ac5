"""Amazon over real HTTP: polling with a durable cursor and NextToken pages, stock through
patchListingsItem within rate limits, shipment confirmation."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from channel_support import drain
from fakes.channels.amazon import FakeAmazon
from podium import catalog
from podium.bootstrap import Podium
from support import Api, seed_store


@pytest.fixture
def amazon(api: Api, podium: Podium) -> Iterator[FakeAmazon]:
    with FakeAmazon() as fake:
        seed_store(api, {("MUG", "EAST"): 5, ("TEE-M", "EAST"): 5})
        settings = fake.settings()
        api.ok(
            "post",
            "/channels",
            {"code": "amz", "name": "Amazon US", "type": "amazon", "settings": settings},
        )
        for sku in ("MUG", "TEE-M"):
            r = api.client.put(
                f"/api/v1/channels/amz/listings/{sku}",
                json={"remote_id": f"S-{sku}"},
                headers=api.headers(),
            )
            assert r.status_code == 200
        drain(podium)
        yield fake


def _order(order_id: str, updated: str, status: str = "Unshipped") -> dict[str, Any]:
    return {
        "AmazonOrderId": order_id,
        "PurchaseDate": "2026-11-20T09:00:00Z",
        "LastUpdateDate": updated,
        "OrderStatus": status,
        "MarketplaceId": "ATVPDKIKX0DER",
        "OrderTotal": {"CurrencyCode": "USD", "Amount": "24.00"},
        "ShippingAddress": {
            "Name": "Ann",
            "AddressLine1": "1 Main",
            "City": "Austin",
            "StateOrRegion": "TX",
            "PostalCode": "78701",
            "CountryCode": "US",
        },
        "BuyerInfo": {"BuyerEmail": "ann@marketplace.amazon.com"},
    }


def _item(sku: str, qty: int) -> dict[str, Any]:
    return {
        "OrderItemId": f"item-{sku}",
        "SellerSKU": sku,
        "ASIN": "B000",
        "Title": sku,
        "QuantityOrdered": qty,
        "ItemPrice": {"CurrencyCode": "USD", "Amount": f"{12 * qty}.00"},
        "IsGift": "false",
    }


def test_listing_pushes_the_count_through_patch_listings_item(amazon: FakeAmazon) -> None:
    assert amazon.quantities == {"S-MUG": 5, "S-TEE-M": 5}


def test_polling_pages_through_next_token_and_keeps_a_durable_cursor(
    api: Api, podium: Podium, amazon: FakeAmazon
) -> None:
    for n in range(3):
        amazon.orders.append(_order(f"111-{n}", f"2026-11-20T10:0{n}:00Z"))
        amazon.items[f"111-{n}"] = [_item("S-MUG", 1)]
    amazon.orders.append(_order("111-9", "2026-11-20T10:05:00Z", status="Pending"))
    r = api.post("/channels/amz/poll", None, role="operator")
    assert r.status_code == 200, r.text
    assert r.json() == {"orders": 3, "created": 3, "updated": 0}
    assert any("NextToken" in q for q in amazon.queries)  # page size 2: a second page
    orders = api.ok("get", "/orders?channel=amz")["items"]
    assert sorted(o["external_id"] for o in orders) == ["111-0", "111-1", "111-2"]
    # the listing mapped S-MUG to MUG, so the order reserved MUG and the count went out
    drain(podium)
    assert amazon.quantities["S-MUG"] == 2
    amazon.queries.clear()
    again = api.post("/channels/amz/poll", None, role="operator").json()
    assert again["orders"] == 0
    # the Pending order was not asked for (OrderStatuses), so the cursor is the newest shown
    assert amazon.queries[0]["LastUpdatedAfter"] == ["2026-11-20T10:02:00Z"]
    health = api.ok("get", "/channels/amz/health")
    assert health["last_poll_at"] is not None and health["orders"] == 3


def test_a_canceled_amazon_order_releases_its_stock(
    api: Api, podium: Podium, amazon: FakeAmazon
) -> None:
    amazon.orders.append(_order("222-1", "2026-11-20T10:00:00Z"))
    amazon.items["222-1"] = [_item("S-TEE-M", 2)]
    api.post("/channels/amz/poll", None, role="operator")
    assert api.ok("get", "/inventory/TEE-M")["reserved"] == 2
    amazon.orders.append(_order("222-1", "2026-11-20T11:00:00Z", status="Canceled"))
    api.post("/channels/amz/poll", None, role="operator")
    assert api.ok("get", "/inventory/TEE-M")["reserved"] == 0


def test_shipping_confirms_the_amazon_shipment_with_tracking(
    api: Api, podium: Podium, amazon: FakeAmazon
) -> None:
    amazon.orders.append(_order("333-1", "2026-11-20T10:00:00Z"))
    amazon.items["333-1"] = [_item("S-MUG", 1)]
    api.post("/channels/amz/poll", None, role="operator")
    order = api.ok("get", "/orders?channel=amz")["items"][0]
    shipment = order["shipments"][0]["id"]
    api.ok(
        "post",
        f"/shipments/{shipment}/ship",
        {"tracking_number": "TBA123", "carrier": "UPS"},
        role="warehouse",
    )
    drain(podium)
    sent = amazon.confirmations[0]
    assert sent["order"] == "333-1"
    assert sent["packageDetail"]["trackingNumber"] == "TBA123"
    assert sent["packageDetail"]["orderItems"] == [{"orderItemId": "item-S-MUG", "quantity": 1}]
    # the order's first parcel, and Amazon's own code for the carrier
    assert sent["packageDetail"]["packageReferenceId"] == "1"
    assert sent["packageDetail"]["carrierCode"] == "UPS"
    assert amazon.invalid == []


def test_amazon_has_no_webhooks_here(api: Api, amazon: FakeAmazon) -> None:
    r = api.client.post("/api/v1/channels/amz/webhooks", content=b"{}")
    assert r.status_code == 409 and r.json()["error"]["code"] == "not_supported"


def test_amazon_429s_are_waited_out(api: Api, podium: Podium, amazon: FakeAmazon) -> None:
    amazon.force_429 = 2
    api.ok(
        "post",
        "/inventory/adjustments",
        {"sku": "MUG", "warehouse": "EAST", "quantity": 2, "reason": "receipt"},
    )
    drain(podium)
    assert amazon.quantities["S-MUG"] == 7 and amazon.throttled >= 2


def test_a_new_amazon_channel_must_sign_in_with_login_with_amazon(api: Api) -> None:
    fixed = {
        "endpoint": "https://sellingpartnerapi-na.amazon.com",
        "access_token": "Atza|fixed-0123456789",
        "seller_id": "A1SELLER",
        "marketplace_id": "ATVPDKIKX0DER",
    }
    r = api.post(
        "/channels", {"code": "amz2", "name": "Amazon", "type": "amazon", "settings": fixed}
    )
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_settings"
    assert "refresh_token" in r.json()["error"]["message"]
    half = {**fixed, "client_id": "amzn1.application-oa2-client.x"}
    r = api.post(
        "/channels", {"code": "amz2", "name": "Amazon", "type": "amazon", "settings": half}
    )
    assert r.status_code == 422 and "client_secret" in r.json()["error"]["message"]


def test_login_with_amazon_secrets_come_back_masked(api: Api, amazon: FakeAmazon) -> None:
    shown = api.ok("get", "/channels/amz")["settings"]
    assert shown["client_secret"] == "****" + amazon.client_secret[-4:]
    assert shown["refresh_token"] == "****" + amazon.refresh_token[-4:]
    assert shown["token_endpoint"].endswith("/auth/o2/token")
    assert "access_token" not in shown


def test_a_channel_stored_with_a_fixed_token_keeps_working_and_can_move_to_lwa(
    api: Api, podium: Podium, amazon: FakeAmazon
) -> None:
    catalog.add_channel(
        podium.db,
        code="old",
        name="Amazon (2025)",
        type_="amazon",
        warehouses=None,
        settings={
            "endpoint": amazon.url,
            "access_token": amazon.token,
            "seller_id": "A1SELLER",
            "marketplace_id": "ATVPDKIKX0DER",
        },
    )
    assert api.post("/channels/old/poll", None, role="operator").status_code == 200
    kept = api.patch("/channels/old/settings", {"product_type": "HOME"})
    assert kept.status_code == 200, kept.text  # its stored token may stay
    moved = api.patch(
        "/channels/old/settings",
        {k: amazon.settings()[k] for k in ("client_id", "client_secret", "refresh_token")}
        | {"access_token": None, "token_endpoint": f"{amazon.url}/auth/o2/token"},
    )
    assert moved.status_code == 200, moved.text
    assert api.post("/channels/old/poll", None, role="operator").status_code == 200
    assert amazon.exchanges >= 1


def test_without_the_buyer_data_role_the_order_is_captured_and_held_for_its_address(
    api: Api, podium: Podium, amazon: FakeAmazon
) -> None:
    amazon.pii_role = False
    amazon.orders.append(_order("444-1", "2026-11-20T10:00:00Z"))
    amazon.items["444-1"] = [_item("S-MUG", 1)]
    assert api.post("/channels/amz/poll", None, role="operator").json()["created"] == 1
    (listed,) = api.ok("get", "/orders?channel=amz")["items"]
    order = api.ok("get", f"/orders/{listed['id']}")
    assert [h["reason"] for h in order["holds"]] == ["address"]
    assert "Restricted Data Token" in order["holds"][0]["note"]


def test_with_an_rdt_the_order_has_the_buyer_and_street_address(
    api: Api, podium: Podium, amazon: FakeAmazon
) -> None:
    amazon.orders.append(_order("444-2", "2026-11-20T10:00:00Z"))
    amazon.items["444-2"] = [_item("S-MUG", 1)]
    api.post("/channels/amz/poll", None, role="operator")
    (listed,) = api.ok("get", "/orders?channel=amz")["items"]
    order = api.ok("get", f"/orders/{listed['id']}")
    assert order["holds"] == []
    assert amazon.rdt_requests == 1


def test_orders_shipped_or_cancelled_elsewhere_are_not_new_work(
    api: Api, podium: Podium, amazon: FakeAmazon
) -> None:
    amazon.orders.append(_order("555-1", "2026-11-20T10:00:00Z", status="Canceled"))
    amazon.orders.append(_order("555-2", "2026-11-20T10:01:00Z", status="Shipped"))
    r = api.post("/channels/amz/poll", None, role="operator").json()
    assert r["created"] == 0
    assert api.ok("get", "/orders?channel=amz")["items"] == []
    assert api.ok("get", "/inventory/MUG")["reserved"] == 0


def test_an_expired_token_mid_poll_is_refreshed_and_nothing_is_lost(
    api: Api, podium: Podium, amazon: FakeAmazon
) -> None:
    amazon.orders.append(_order("666-1", "2026-11-20T10:00:00Z"))
    amazon.items["666-1"] = [_item("S-MUG", 1)]
    api.post("/channels/amz/poll", None, role="operator")
    amazon.advance(2 * 3600)  # every token Amazon gave has expired
    amazon.orders.append(_order("666-2", "2026-11-20T11:00:00Z"))
    amazon.items["666-2"] = [_item("S-MUG", 1)]
    assert api.post("/channels/amz/poll", None, role="operator").json()["created"] == 1
    assert len(api.ok("get", "/orders?channel=amz")["items"]) == 2
