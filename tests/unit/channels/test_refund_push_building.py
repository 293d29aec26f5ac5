"""A Podium refund as the platform is asked to make it (pure): units on the platform's line
ids, restocked where the return's disposition put them back, the WooCommerce request body,
and which platform answers are refusals."""

from __future__ import annotations

import json
from typing import Any

import pytest

from conftest import SHARED
from podium.channels.connector import PlatformError, RefundLinePush, RefundPush
from podium.channels.refund_push import build_refund_push, is_refusal
from podium.channels.woocommerce_money import META_KEY, refund_body, refund_made_for
from podium.errors import Conflict
from podium.returns import PushableRefund, RefundedUnits
from podium.returns.pushed import podium_refund_named

KEPT: list[dict[str, Any]] = [
    {"sku": "TEE-M", "platform_sku": "WOO-TEE", "line_id": "11", "quantity": 1},
    {"sku": "TEE-M", "platform_sku": "WOO-TEE", "line_id": "12", "quantity": 2},
    {"sku": "MUG", "platform_sku": "MUG", "line_id": None, "quantity": 1},
]


def _refund(lines: list[RefundedUnits], amount: int = 1500, shipping: int = 0) -> PushableRefund:
    return PushableRefund(
        refund_id="rfd_01TEST",
        order_id="ord_1",
        return_id="ret_1",
        currency="USD",
        amount=amount,
        shipping=shipping,
        method="original_payment",
        channel_refund_id=None,
        reason="damaged in transit",
        lines=lines,
    )


def test_refunded_units_spread_over_the_platform_lines_of_their_sku_in_order() -> None:
    push = build_refund_push(_refund([RefundedUnits("TEE-M", 3, 0)]), "501", KEPT)
    assert push.lines == [
        RefundLinePush("11", "WOO-TEE", 1, False),
        RefundLinePush("12", "WOO-TEE", 2, False),
    ]
    assert push.external_id == "501" and push.refund_id == "rfd_01TEST"


def test_restocked_units_and_the_others_go_as_separate_lines() -> None:
    push = build_refund_push(_refund([RefundedUnits("TEE-M", 2, 1)]), "501", KEPT)
    assert push.lines == [
        RefundLinePush("11", "WOO-TEE", 1, True),
        RefundLinePush("12", "WOO-TEE", 1, False),
    ]


def test_units_without_a_kept_line_id_go_by_platform_sku_without_an_id() -> None:
    push = build_refund_push(
        _refund([RefundedUnits("MUG", 1, 1), RefundedUnits("CAP", 1, 0)]),
        "501",
        KEPT,
        {"CAP": "WOO-CAP"},
    )
    assert push.lines == [
        RefundLinePush(None, "MUG", 1, True),
        RefundLinePush(None, "WOO-CAP", 1, False),
    ]


def test_the_platform_note_names_the_podium_refund_so_an_echo_is_recognised() -> None:
    push = build_refund_push(_refund([]), "501", KEPT)
    assert push.note == "Podium refund rfd_01TEST: damaged in transit"
    assert podium_refund_named(push.note) == "rfd_01TEST"
    assert podium_refund_named("Refunded by the shop") is None


def test_a_4xx_or_a_marked_refusal_is_not_retried_and_a_5xx_or_timeout_is() -> None:
    assert is_refusal(PlatformError("no", details={"status": 422}))
    assert is_refusal(PlatformError("no", details={"status": 500, "refused": True}))
    assert is_refusal(Conflict("not supported"))
    assert not is_refusal(PlatformError("down", details={"status": 503}))
    assert not is_refusal(PlatformError("throttled", details={"status": 429}))
    assert not is_refusal(PlatformError("timeout", details={"url": "https://x"}))


WOO_ORDER = {
    "id": 501,
    "total": "26.20",
    "line_items": [
        {
            "id": 11,
            "sku": "WOO-TEE",
            "quantity": 2,
            "total": "20.00",
            "taxes": [{"id": 7, "total": "1.600000", "subtotal": "1.6"}],
        },
        {"id": 13, "sku": "MUG", "quantity": 1, "total": "0.00", "taxes": []},
    ],
    "shipping_lines": [{"id": 15, "total": "4.00"}],
}


def _push(amount: int, shipping: int, lines: list[RefundLinePush]) -> RefundPush:
    return RefundPush("501", "rfd_01TEST", "USD", amount, shipping, lines, "Podium refund x")


def test_woo_refund_carries_woocommerces_own_line_and_tax_amounts_when_they_add_up() -> None:
    body = refund_body(_push(1480, 400, [RefundLinePush("11", "WOO-TEE", 1, True)]), WOO_ORDER)
    assert body["amount"] == "14.80"
    assert body["api_refund"] is True and body["api_restock"] is True
    assert body["line_items"] == [
        {
            "id": 11,
            "quantity": 1,
            "refund_total": "10.00",
            "refund_tax": [{"id": 7, "refund_total": "0.80"}],
        },
        {"id": 15, "refund_total": "4.00"},
    ]
    assert body["meta_data"] == [{"key": META_KEY, "value": "rfd_01TEST"}]


def test_woo_refund_of_another_amount_sends_the_units_and_the_money_at_the_refunds_level() -> None:
    lines = [RefundLinePush(None, "WOO-TEE", 1, False), RefundLinePush("99", "MUG", 1, True)]
    body = refund_body(_push(500, 0, lines), WOO_ORDER)
    assert body["amount"] == "5.00" and body["api_restock"] is False
    assert body["line_items"] == [
        {"id": 11, "quantity": 1, "refund_total": "0.00", "refund_tax": []},
        {"id": 13, "quantity": 1, "refund_total": "0.00", "refund_tax": []},
    ]


def _published(name: str) -> Any:
    path = SHARED / "fixtures" / "channels" / "woocommerce" / name
    if not path.exists():
        pytest.skip("shared channel fixtures are not here")
    return json.loads(path.read_text())


def test_woo_refund_of_a_published_order_finds_a_line_without_sku_and_its_tax() -> None:
    order = _published("order_retrieve_response_v3.json")  # line 315: no SKU, 2 × 3.00 + tax
    push = RefundPush(
        "727", "rfd_01TEST", "USD", 322, 0, [RefundLinePush(None, "wc:93", 1, True)], None
    )
    body = refund_body(push, order)
    assert body["amount"] == "3.22" and body["reason"] == "Podium refund rfd_01TEST"
    assert body["line_items"] == [
        {
            "id": 315,
            "quantity": 1,
            "refund_total": "3.00",
            "refund_tax": [{"id": 75, "refund_total": "0.22"}],
        }
    ]


def test_a_refund_podium_made_is_found_among_the_orders_published_refunds_by_its_meta() -> None:
    refunds = _published("order_refunds_list_response_v3.json")
    assert refund_made_for(refunds, "rfd_01TEST") is None
    ours = {
        **refunds[0],
        "id": 731,
        "meta_data": [{"id": 9, "key": META_KEY, "value": "rfd_01TEST"}],
    }
    assert refund_made_for([*refunds, ours], "rfd_01TEST") == "731"
