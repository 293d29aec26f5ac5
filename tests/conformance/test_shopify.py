"""Shopify Admin GraphQL 2026-04: every document Podium sends, with realistic variables, is one
Shopify accepts (schema, variables, @idempotent where the version requires it) and asks for at
most 1,000 cost points by Shopify's published rules."""

from __future__ import annotations

import gzip
import json
from typing import Any

import pytest

from conformance.shopify_schema import (
    MAX_COST,
    document_errors,
    idempotent_required,
    missing_idempotency,
    requested_cost,
    schema_path,
)
from fakes.channels.shopify import FakeShopify
from podium.channels.settings import SHOPIFY_API_VERSION
from podium.channels.shopify_carriers import SHOPIFY_COMPANIES, shopify_company
from podium.channels.shopify_graphql import COSTS, DOCUMENTS
from shopify_admin_support import run_everything

VERSION = SHOPIFY_API_VERSION
ORDER = "gid://shopify/Order/5678901234"

# What the connector sends each document with (shapes as shopify.py / shopify_orders.py build).
REALISTIC: dict[str, dict[str, Any]] = {
    "inventorySetQuantities": {
        "input": {
            "name": "available",
            "reason": "correction",
            "referenceDocumentUri": "podium://channel-sync",
            "quantities": [
                {
                    "inventoryItemId": "gid://shopify/InventoryItem/501",
                    "locationId": "gid://shopify/Location/1001",
                    "quantity": 7,
                    "changeFromQuantity": 5,
                },
                {
                    "inventoryItemId": "gid://shopify/InventoryItem/502",
                    "locationId": "gid://shopify/Location/1001",
                    "quantity": 3,
                    "changeFromQuantity": None,
                },
            ],
        },
        "key": "podium-stock-0123456789abcdef-5f0c",
    },
    "level": {"item": "gid://shopify/InventoryItem/501", "location": "gid://shopify/Location/1"},
    "fulfilmentOrders": {"id": ORDER, "after": None},
    "fulfilmentOrderLines": {"id": "gid://shopify/FulfillmentOrder/1", "after": "eyJsYXN0In0="},
    "fulfillmentCreate": {
        "fulfillment": {
            "lineItemsByFulfillmentOrder": [
                {
                    "fulfillmentOrderId": "gid://shopify/FulfillmentOrder/1",
                    "fulfillmentOrderLineItems": [
                        {"id": "gid://shopify/FulfillmentOrderLineItem/11", "quantity": 2}
                    ],
                }
            ],
            "trackingInfo": {
                "number": "1Z999AA10123456784",
                "company": "UPS",
                "url": "https://www.ups.com/track?tracknum=1Z999AA10123456784",
            },
            "notifyCustomer": True,
        },
        "message": "Podium shipment 01J0000000",
    },
    "variants": {"after": None},
    "orderPayments": {"id": ORDER},
    "refundCreate": {
        "input": {
            "orderId": ORDER,
            "refundLineItems": [
                {
                    "lineItemId": "gid://shopify/LineItem/1000000000000000000",
                    "quantity": 1,
                    "restockType": "RETURN",
                    "locationId": "gid://shopify/Location/1001",
                },
                {
                    "lineItemId": "gid://shopify/LineItem/1000000000000000001",
                    "quantity": 1,
                    "restockType": "NO_RESTOCK",
                },
            ],
            "transactions": [
                {
                    "orderId": ORDER,
                    "parentId": "gid://shopify/OrderTransaction/1",
                    "gateway": "shopify_payments",
                    "kind": "REFUND",
                    "amount": "15.00",
                }
            ],
            "shipping": {"amount": "5.00"},
            "note": "Damaged in transit",
            "notify": False,
        },
        "key": "podium-refund-01J0000000",
    },
    "orderCancel": {
        "orderId": ORDER,
        "reason": "CUSTOMER",
        "restock": True,
        "staffNote": "Cancelled in Podium: customer request",
    },
}

# Podium's fulfilment-order query before 2026-04: 20 × 100 lines, refused by Shopify.
OLD_FULFILMENT_ORDERS = """
query fulfilmentOrders($id: ID!) {
  order(id: $id) {
    fulfillmentOrders(first: 20) {
      nodes { id status lineItems(first: 100) { nodes { id sku remainingQuantity } } }
    }
  }
}"""
OLD_SET_QUANTITIES = """
mutation inventorySetQuantities($input: InventorySetQuantitiesInput!) {
  inventorySetQuantities(input: $input) {
    inventoryAdjustmentGroup { reason changes { name delta } }
    userErrors { code field message }
  }
}"""


def test_every_document_has_realistic_variables_here() -> None:
    assert set(REALISTIC) == set(DOCUMENTS) == set(COSTS)


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_every_document_is_accepted_by_the_2026_04_schema(name: str) -> None:
    assert document_errors(DOCUMENTS[name], REALISTIC[name], VERSION) == []


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_every_document_asks_for_at_most_1000_points_and_its_cost_hint_is_exact(
    name: str,
) -> None:
    cost = requested_cost(DOCUMENTS[name], REALISTIC[name], VERSION)
    assert cost <= MAX_COST
    assert COSTS[name] == cost  # what the connector's bucket waits for


def test_the_old_fulfilment_order_query_asked_for_more_than_shopify_allows() -> None:
    assert requested_cost(OLD_FULFILMENT_ORDERS, {"id": ORDER}, VERSION) == 2063
    assert requested_cost(DOCUMENTS["fulfilmentOrders"], {"id": ORDER}, VERSION) == 528


def test_requested_cost_follows_shopifys_published_rules() -> None:
    # scalars and enums 0, an object 1
    assert requested_cost("{ shop { id name currencyCode } }", {}, VERSION) == 1
    # connection: 2 + first × (node object 1 + its objects)
    doc = "{ products(first: 10) { nodes { id title featuredMedia { id } } } }"
    assert requested_cost(doc, {}, VERSION) == 2 + 10 * 2
    # first from a variable, edges { node } counted like nodes, pageInfo free
    doc = """query q($n: Int!) { orders(first: $n) { edges { node { id } }
             pageInfo { hasNextPage } } }"""
    assert requested_cost(doc, {"n": 25}, VERSION) == 2 + 25
    # a mutation field costs 10, plus what its payload selects
    assert requested_cost(OLD_SET_QUANTITIES, {}, VERSION) == 13


def test_mutations_that_2026_04_makes_idempotent_carry_the_directive() -> None:
    required = idempotent_required(VERSION)
    assert {"inventorySetQuantities", "inventoryAdjustQuantities", "refundCreate"} <= required
    sent = [d for d in DOCUMENTS.values() if d.lstrip().startswith("mutation")]
    for document in sent:
        assert missing_idempotency(document, VERSION) == []
    assert "@idempotent(key: $key)" in DOCUMENTS["inventorySetQuantities"]
    assert "@idempotent(key: $key)" in DOCUMENTS["refundCreate"]
    assert missing_idempotency(OLD_SET_QUANTITIES, VERSION) == [
        "inventorySetQuantities requires the @idempotent(key:) directive in 2026-04"
    ]


def test_the_2024_04_stock_mutation_is_refused_by_2026_04() -> None:
    old = {
        "input": {
            "name": "available",
            "reason": "correction",
            "ignoreCompareQuantity": True,
            "quantities": [
                {
                    "inventoryItemId": "gid://shopify/InventoryItem/1",
                    "locationId": "gid://shopify/Location/1",
                    "quantity": 1,
                    "compareQuantity": 0,
                }
            ],
        }
    }
    errors = document_errors(OLD_SET_QUANTITIES, old, VERSION)
    assert any("ignoreCompareQuantity" in e for e in errors)
    assert any("compareQuantity" in e for e in errors)


def test_everything_the_connector_actually_sends_is_valid_and_within_the_cost_cap() -> None:
    with FakeShopify(restore=2000.0) as fake:  # a Plus shop's restore rate: no waiting
        run_everything(fake)
    assert fake.refused == []
    assert {v for v in fake.versions} == {VERSION}
    known = set(DOCUMENTS.values())
    names = set()
    for document, variables in fake.sent:
        assert document in known
        assert document_errors(document, variables, VERSION) == []
        assert requested_cost(document, variables, VERSION) <= MAX_COST
        names.add(next(n for n, d in DOCUMENTS.items() if d == document))
    assert names == set(DOCUMENTS)  # every document was exercised


def _tracking_companies() -> str:
    path = schema_path(VERSION)
    if not path.exists():
        pytest.skip(f"{path} is not here")
    with gzip.open(path) as fh:
        raw = json.load(fh)
    types = {t["name"]: t for t in raw.get("data", raw)["__schema"]["types"]}
    field = next(f for f in types["FulfillmentTrackingInfo"]["fields"] if f["name"] == "company")
    return str(field["description"])


def test_every_tracking_company_podium_sends_is_in_shopifys_list() -> None:
    listed = {
        line.strip()[2:].strip()
        for line in _tracking_companies().splitlines()
        if line.strip().startswith("* ")
    }
    assert SHOPIFY_COMPANIES.issubset(listed)
    for carrier in ("UPS", "USPS", "FedEx", "DHLExpress", "CanadaPost", "RoyalMail"):
        assert shopify_company(carrier) in listed
