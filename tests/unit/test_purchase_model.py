"""Purchase order and transfer status rules and receipt maths (planning.purchase_model)."""

from __future__ import annotations

from datetime import date

import pytest

from podium.errors import InvalidTransition, ValidationFailed
from podium.planning.purchase_model import (
    LineState,
    after_receipt,
    cover_day,
    po_move,
    receive,
    transfer_move,
)

LINES = {"TEE": LineState("TEE", 10, 4), "MUG": LineState("MUG", 5, 0)}


def test_a_receipt_books_what_is_open_and_the_status_follows() -> None:
    booked = receive(LINES, {"TEE": 6})
    assert booked == {"TEE": 6}
    assert after_receipt(LINES, booked) == "partially_received"
    assert after_receipt(LINES, receive(LINES, {"TEE": 6, "MUG": 5})) == "received"


def test_more_than_is_open_is_refused_naming_the_sku_unless_allowed() -> None:
    with pytest.raises(ValidationFailed) as refused:
        receive(LINES, {"TEE": 7})
    assert refused.value.code == "over_receipt"
    assert refused.value.details == {"field": "lines", "sku": "TEE", "open": 6, "received": 7}
    assert receive(LINES, {"TEE": 7}, allow_over=True) == {"TEE": 7}
    assert after_receipt(LINES, {"TEE": 7, "MUG": 5}) == "received"


@pytest.mark.parametrize(
    ("wanted", "code"),
    [({}, "empty_receipt"), ({"CAP": 1}, "unknown_line"), ({"TEE": 0}, "invalid_quantity")],
)
def test_empty_unknown_and_zero_receipts_are_refused(wanted: dict[str, int], code: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        receive(LINES, wanted)
    assert refused.value.code == code


def test_a_line_received_beyond_its_quantity_has_nothing_open() -> None:
    assert LineState("TEE", 3, 5).open == 0


@pytest.mark.parametrize(
    ("status", "action", "allowed"),
    [
        ("draft", "send", True),
        ("sent", "send", True),
        ("received", "send", False),
        ("draft", "receive", True),
        ("partially_received", "receive", True),
        ("received", "receive", False),
        ("cancelled", "receive", False),
        ("sent", "cancel", True),
        ("partially_received", "cancel", False),
    ],
)
def test_purchase_order_moves(status: str, action: str, allowed: bool) -> None:
    if allowed:
        po_move(status, action)
    else:
        with pytest.raises(InvalidTransition):
            po_move(status, action)


@pytest.mark.parametrize(
    ("status", "action", "allowed"),
    [
        ("draft", "ship", True),
        ("in_transit", "ship", False),
        ("draft", "receive", False),
        ("in_transit", "receive", True),
        ("partially_received", "receive", True),
        ("draft", "cancel", True),
        ("in_transit", "cancel", False),
    ],
)
def test_transfer_moves(status: str, action: str, allowed: bool) -> None:
    if allowed:
        transfer_move(status, action)
    else:
        with pytest.raises(InvalidTransition):
            transfer_move(status, action)


def test_a_preorder_is_promised_for_the_first_day_the_incoming_waves_cover_it() -> None:
    waves = [(date(2027, 2, 1), 5), (date(2027, 1, 10), 3)]
    assert cover_day(waves, 3) == date(2027, 1, 10)
    assert cover_day(waves, 4) == date(2027, 2, 1)
    assert cover_day(waves, 8) == date(2027, 2, 1)
    assert cover_day(waves, 9) is None
    assert cover_day([], 1) is None
