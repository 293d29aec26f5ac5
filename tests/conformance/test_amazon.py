"""Every request Podium sends to the SP-API, checked against Amazon's published models
(schemas/amazon, see SOURCES.md): getOrders' query (with NextToken), getOrderItems,
createRestrictedDataToken's body, confirmShipment's body, patchListingsItem's body and query,
getListingsItem's query."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import httpx
import pytest

from conformance.amazon_models import load_model, model_for, operation, request_errors
from fakes.channels.amazon import FakeAmazon
from podium.channels.amazon import AmazonConnector
from podium.channels.amazon_payloads import ORDER_STATUSES
from podium.channels.connector import Fulfilment
from podium.channels.http import Caller
from podium.channels.model import LevelPush
from podium.channels.settings import AmazonSettings

MODELS = ("ordersV0.json", "listingsItems_2021-08-01.json", "tokens_2021-03-01.json")


@pytest.fixture(autouse=True)
def _models_present() -> None:
    for name in MODELS:
        if load_model(name) is None:
            pytest.skip(f"The SP-API model {name} is not here; see tests/conformance/SOURCES.md.")


class Sent:
    def __init__(self) -> None:
        self.requests: list[tuple[str, str, dict[str, list[str]], Any]] = []

    def __call__(self, request: httpx.Request) -> None:
        url = urlsplit(str(request.url))
        if url.path.startswith("/auth/"):
            return  # Login with Amazon, not an SP-API operation
        body = json.loads(request.content) if request.content else None
        self.requests.append((request.method, url.path, parse_qs(url.query), body))

    def by_operation(self) -> dict[str, list[tuple[str, dict[str, list[str]], Any]]]:
        out: dict[str, list[tuple[str, dict[str, list[str]], Any]]] = {}
        for method, path, query, body in self.requests:
            model = model_for(path)
            assert model is not None, path
            found = operation(model, method, path)
            assert found is not None, f"{method} {path}"
            out.setdefault(found[1]["operationId"], []).append((path, query, body))
        return out


@pytest.fixture
def sent() -> Iterator[tuple[Sent, AmazonConnector, FakeAmazon]]:
    recorder = Sent()
    client = httpx.Client(timeout=10.0, event_hooks={"request": [recorder]})
    with client, FakeAmazon() as fake:
        yield recorder, AmazonConnector(Caller(client, sleep=lambda _: None)), fake


def _everything(connector: AmazonConnector, fake: FakeAmazon) -> None:
    """Podium's every SP-API call: a poll over two pages, a push, a read, two parcels."""
    settings = AmazonSettings.model_validate(fake.settings())
    for n, status in enumerate(["Unshipped", "Shipped", "Canceled"]):
        order_id = f"111-000000{n}-0000000"
        fake.orders.append(
            {
                "AmazonOrderId": order_id,
                "LastUpdateDate": f"2026-11-20T10:0{n}:00Z",
                "OrderStatus": status,
                "FulfillmentChannel": "MFN",
                "MarketplaceId": "ATVPDKIKX0DER",
            }
        )
        fake.items[order_id] = [
            {"OrderItemId": f"{n}1", "SellerSKU": "SKU#1", "QuantityOrdered": 1},
            {"OrderItemId": f"{n}2", "SellerSKU": "TEE/M", "QuantityOrdered": 1},
        ]
    connector.fetch("amz", settings, "2026-11-01T00:00:00Z")
    pushes = [LevelPush("MUG", "SKU#1", None, 3, None), LevelPush("TEE", "TEE/M", None, 0, None)]
    connector.push("amz", settings, pushes)
    connector.read_levels("amz", settings, pushes)
    for package, carrier in ((1, "ups"), (2, "acme-couriers")):
        connector.mark_shipped(
            "amz",
            settings,
            Fulfilment(
                external_id="111-0000000-0000000",
                lines=[("MUG", 1, "SKU#1"), ("TEE", 1, "TEE/M")],
                tracking_number=f"1Z{package}",
                carrier=carrier,
                tracking_url=None,
                package=package,
            ),
        )


def test_every_request_podium_sends_conforms_to_amazons_models(
    sent: tuple[Sent, AmazonConnector, FakeAmazon],
) -> None:
    recorder, connector, fake = sent
    _everything(connector, fake)
    problems = [
        e
        for method, path, query, body in recorder.requests
        for e in request_errors(method, path, query, body)
    ]
    assert problems == []
    assert fake.invalid == []
    exercised = recorder.by_operation()
    assert set(exercised) == {
        "createRestrictedDataToken",
        "getOrders",
        "getOrderItems",
        "patchListingsItem",
        "getListingsItem",
        "confirmShipment",
    }
    assert any("NextToken" in q for _, q, _ in exercised["getOrders"])  # the second page too


def test_get_orders_asks_for_statuses_and_channels_amazon_defines(
    sent: tuple[Sent, AmazonConnector, FakeAmazon],
) -> None:
    recorder, connector, fake = sent
    _everything(connector, fake)
    order = load_model("ordersV0.json")["definitions"]["Order"]["properties"]  # type: ignore[index]
    first = recorder.by_operation()["getOrders"][0][1]
    statuses = first["OrderStatuses"][0].split(",")
    assert set(statuses) <= set(order["OrderStatus"]["enum"])
    assert statuses == list(ORDER_STATUSES)
    assert "Pending" not in statuses and "PendingAvailability" not in statuses
    # Amazon: Unshipped and PartiallyShipped must be asked for together
    assert {"Unshipped", "PartiallyShipped"} <= set(statuses)
    channels = first["FulfillmentChannels"][0].split(",")
    assert set(channels) == set(order["FulfillmentChannel"]["enum"])


def test_the_rdt_covers_get_orders_with_buyer_info_and_shipping_address(
    sent: tuple[Sent, AmazonConnector, FakeAmazon],
) -> None:
    recorder, connector, fake = sent
    _everything(connector, fake)
    ((_path, _, body),) = recorder.by_operation()["createRestrictedDataToken"]
    assert body == {
        "restrictedResources": [
            {
                "method": "GET",
                "path": "/orders/v0/orders",
                "dataElements": ["buyerInfo", "shippingAddress"],
            }
        ]
    }
    model = load_model("tokens_2021-03-01.json")
    described = model["definitions"]["RestrictedResource"]["properties"]["dataElements"]  # type: ignore[index]
    assert all(
        f"**{e}**" in described["description"]
        for e in body["restrictedResources"][0]["dataElements"]
    )


def test_confirm_shipment_names_each_package_and_a_carrier_name_for_other(
    sent: tuple[Sent, AmazonConnector, FakeAmazon],
) -> None:
    recorder, connector, fake = sent
    _everything(connector, fake)
    packages = [body["packageDetail"] for _, _, body in recorder.by_operation()["confirmShipment"]]
    assert [p["packageReferenceId"] for p in packages] == ["1", "2"]
    assert all(p["packageReferenceId"].isdigit() for p in packages)  # "positive numeric values"
    assert [p["carrierCode"] for p in packages] == ["UPS", "Other"]
    assert packages[1]["carrierName"] == "acme-couriers"
    assert packages[0]["orderItems"] == [
        {"orderItemId": "01", "quantity": 1},
        {"orderItemId": "02", "quantity": 1},
    ]


def test_listing_calls_encode_the_sku_and_merge_the_availability(
    sent: tuple[Sent, AmazonConnector, FakeAmazon],
) -> None:
    recorder, connector, fake = sent
    _everything(connector, fake)
    patches = recorder.by_operation()["patchListingsItem"]
    assert [p for p, _, _ in patches] == [
        "/listings/2021-08-01/items/A1SELLER/SKU%231",
        "/listings/2021-08-01/items/A1SELLER/TEE%2FM",
    ]
    assert [unquote(p.rsplit("/", 1)[1]) for p, _, _ in patches] == ["SKU#1", "TEE/M"]
    assert {b["patches"][0]["op"] for _, _, b in patches} == {"merge"}
    assert fake.quantities == {"SKU#1": 3, "TEE/M": 0}


def test_the_check_refuses_what_amazon_would() -> None:
    """The model check bites: a wrong op, a missing carrierCode, an unknown query parameter."""
    bad_patch = {
        "productType": "PRODUCT",
        "patches": [{"op": "upsert", "path": "/x", "value": [1]}],
    }
    assert (
        len(
            request_errors(
                "PATCH", "/listings/2021-08-01/items/S/K", {"marketplaceIds": "A"}, bad_patch
            )
        )
        == 2
    )
    bad_confirm = {
        "marketplaceId": "A",
        "packageDetail": {
            "packageReferenceId": "1",
            "trackingNumber": "T",
            "shipDate": "2026-01-01T00:00:00Z",
            "orderItems": [],
        },
    }
    assert request_errors("POST", "/orders/v0/orders/1/shipmentConfirmation", None, bad_confirm)
    assert request_errors("GET", "/orders/v0/orders", {"MarketplaceIds": "A", "Since": "x"})
    assert request_errors("GET", "/orders/v0/orders", {"LastUpdatedAfter": "x"})  # no marketplace
