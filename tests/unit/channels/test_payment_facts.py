"""What each platform says about the money, read into exact payment facts and refund lines
(pure): Shopify financial_status and transactions, WooCommerce date_paid/status, Amazon."""

from __future__ import annotations

import json
from typing import Any

import pytest

from conftest import SHARED
from podium.channels.amazon import order_from_amazon
from podium.channels.shopify_payloads import order_from_shopify, refund_from_shopify
from podium.channels.woocommerce import order_from_woo, refund_from_woo
from podium.payments.model import PaymentFact, TxKind
from podium.returns.channel_subscriber import refund_lines

FIXTURES = SHARED / "fixtures" / "channels"


def _published(path: str) -> Any:
    if not (FIXTURES / path).exists():
        pytest.skip("shared/fixtures is not present")
    return json.loads((FIXTURES / path).read_text())


def _shopify(**extra: Any) -> dict[str, Any]:
    body = {
        "id": 2**60 + 1,
        "currency": "KWD",
        "financial_status": "paid",
        "total_price": "10.125",
        "total_tax": "0.000",
        "total_discounts": "0.000",
        "line_items": [{"sku": "TEE", "quantity": 1, "price": "10.125", "variant_id": 7}],
    }
    return body | extra


@pytest.mark.parametrize(
    ("status", "facts"),
    [
        ("paid", [PaymentFact(TxKind.CAPTURE, 10125)]),
        ("partially_refunded", [PaymentFact(TxKind.CAPTURE, 10125)]),
        ("refunded", [PaymentFact(TxKind.CAPTURE, 10125)]),
        ("authorized", [PaymentFact(TxKind.AUTHORIZE, 10125)]),
        ("voided", [PaymentFact(TxKind.AUTHORIZE, 10125), PaymentFact(TxKind.VOID, 0)]),
        ("pending", []),
        ("expired", []),
    ],
)
def test_shopify_financial_status_becomes_exact_payment_facts(status: str, facts: Any) -> None:
    order = order_from_shopify(_shopify(financial_status=status))
    assert order.paid_by_channel is True
    assert order.payments == facts


def test_shopify_partially_paid_captures_the_total_less_what_is_outstanding() -> None:
    order = order_from_shopify(_shopify(financial_status="partially_paid", total_outstanding="4.1"))
    assert order.payments == [PaymentFact(TxKind.CAPTURE, 6025)]


def test_shopify_transactions_win_over_financial_status_and_refunds_are_left_to_refunds() -> None:
    txs = [
        {"id": 1, "kind": "authorization", "status": "success", "amount": "10.125"},
        {"id": 2, "kind": "capture", "status": "failure", "amount": "10.125"},
        {"id": 3, "kind": "capture", "status": "success", "amount": "10.125"},
        {"id": 4, "kind": "refund", "status": "success", "amount": "1.000"},
        {"id": 5, "kind": "sale", "status": "pending", "amount": "1.000"},
    ]
    order = order_from_shopify(_shopify(financial_status="pending", transactions=txs))
    assert order.payments == [
        PaymentFact(TxKind.AUTHORIZE, 10125, True, "1"),
        PaymentFact(TxKind.CAPTURE, 10125, False, "2"),
        PaymentFact(TxKind.CAPTURE, 10125, True, "3"),
    ]


@pytest.mark.parametrize(
    ("restock_type", "restock", "expected"),
    [
        ("return", None, True),
        ("cancel", None, True),
        ("legacy_restock", None, True),
        ("no_restock", True, False),
        (None, True, True),
        (None, False, False),
    ],
)
def test_shopify_refund_lines_say_whether_units_went_back(
    restock_type: Any, restock: Any, expected: bool
) -> None:
    refund = refund_from_shopify(
        {
            "id": 9,
            "order_id": 1,
            "restock": restock,
            "refund_line_items": [
                {
                    "quantity": 1,
                    "restock_type": restock_type,
                    "line_item": {"sku": "TEE", "variant_id": 7},
                }
            ],
            "transactions": [
                {"kind": "refund", "status": "success", "amount": "5.00", "currency": "USD"}
            ],
        }
    )
    assert refund.lines[0]["restock"] is expected
    assert refund.lines[0]["remote_id"] == "7"


def test_the_published_partially_refunded_order_carries_its_refund() -> None:
    order = order_from_shopify(_published("shopify/order_get_by_id_2024-04_docs_example.json"))
    assert order.payments == [PaymentFact(TxKind.CAPTURE, 59894)]
    [refund] = order.refunds
    assert (refund.refund_id, refund.amount, refund.currency) == ("509562969", 20900, "USD")
    assert [ln["restock"] for ln in refund.lines] == [True, True]  # legacy_restock


def test_the_published_authorized_order_is_authorized_not_paid() -> None:
    order = order_from_shopify(_published("shopify/python_api_order.json"))
    assert order.payments == [PaymentFact(TxKind.AUTHORIZE, 40994)]


def _woo(**extra: Any) -> dict[str, Any]:
    body = {
        "id": 727,
        "status": "processing",
        "currency": "JPY",
        "total": "1500",
        "shipping_total": "0",
        "total_tax": "0",
        "discount_total": "0",
        "date_paid_gmt": "2026-11-20T10:00:00",
        "transaction_id": "ch_1",
        "line_items": [{"product_id": 93, "quantity": 1, "subtotal": "1500", "sku": "TEE"}],
    }
    return body | extra


def test_a_paid_woo_order_is_captured_for_its_total() -> None:
    assert order_from_woo(_woo()).payments == [PaymentFact(TxKind.CAPTURE, 1500, True, "ch_1")]


@pytest.mark.parametrize(
    ("status", "expected"),
    [("pending", []), ("on-hold", []), ("failed", [PaymentFact(TxKind.CAPTURE, 1500, False)])],
)
def test_an_unpaid_woo_order_records_no_capture(status: str, expected: Any) -> None:
    order = order_from_woo(_woo(status=status, date_paid_gmt=None, transaction_id=""))
    assert order.payments == expected


def test_the_published_woo_order_is_paid() -> None:
    order = order_from_woo(_published("woocommerce/order_retrieve_response_v3.json"))
    assert order.payments == [PaymentFact(TxKind.CAPTURE, 2935)]


def test_woo_refund_lines_come_negative_and_become_restocked_units() -> None:
    refund = refund_from_woo(
        {
            "id": 5,
            "amount": "12.00",
            "order_id": 727,
            "line_items": [{"sku": "TEE", "product_id": 93, "quantity": -2, "total": "-12.00"}],
        }
    )
    assert refund.amount == 1200
    assert [(ln["quantity"], ln["restock"], ln["remote_id"]) for ln in refund.lines] == [
        (2, True, "93")
    ]


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("Unshipped", [PaymentFact(TxKind.CAPTURE, 1299, reference="A-1")]),
        ("Shipped", [PaymentFact(TxKind.CAPTURE, 1299, reference="A-1")]),
        ("Pending", []),
        ("Canceled", []),
    ],
)
def test_amazon_collects_the_money_once_an_order_is_unshipped(status: str, expected: Any) -> None:
    order = order_from_amazon(
        {
            "AmazonOrderId": "A-1",
            "OrderStatus": status,
            "OrderTotal": {"CurrencyCode": "USD", "Amount": "12.99"},
        },
        [
            {
                "SellerSKU": "TEE",
                "QuantityOrdered": 1,
                "ItemPrice": {"CurrencyCode": "USD", "Amount": "12.99"},
            }
        ],
    )
    assert order.payments == expected


def test_an_amazon_order_without_order_total_records_no_payment() -> None:
    order = order_from_amazon({"AmazonOrderId": "A-2", "OrderStatus": "Shipped"}, [])
    assert order.payments == []


def test_refund_events_raised_before_refund_lines_existed_are_still_read() -> None:
    old = {
        "lines": [
            {"sku": "TEE", "quantity": 1, "restock_type": "return"},
            {"sku": "MUG", "quantity": 2, "restock_type": "no_restock"},
            {"sku": None, "quantity": 1},
        ]
    }
    assert [(ln.sku, ln.quantity, ln.restock) for ln in refund_lines(old)] == [
        ("TEE", 1, True),
        ("MUG", 2, False),
    ]
    new = {"refund_lines": [{"sku": "TEE", "quantity": 3, "restock": True}], "lines": []}
    assert [(ln.sku, ln.quantity, ln.restock) for ln in refund_lines(new)] == [("TEE", 3, True)]
