"""Stock rules: availability, movement kinds, and adjustment/transfer inputs."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from podium.inventory.model import (
    MAX_QUANTITY,
    AdjustmentIn,
    Level,
    MovementKind,
    SafetyStockIn,
    TransferIn,
    kind_for_reason,
)


def level(on_hand: int, reserved: int = 0, safety_stock: int = 0) -> Level:
    return Level("SKU-1", "MAIN", on_hand, reserved, safety_stock)


def error_types(
    model: type[AdjustmentIn | TransferIn | SafetyStockIn], data: dict[str, Any]
) -> list[tuple[tuple[int | str, ...], str]]:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    return [(e["loc"], e["type"]) for e in caught.value.errors()]


# --- availability --------------------------------------------------------------------------


def test_available_is_on_hand_less_reserved_less_safety_stock() -> None:
    assert level(10, reserved=3, safety_stock=2).available == 5


def test_available_is_zero_when_reservations_and_safety_stock_use_everything() -> None:
    assert level(5, reserved=3, safety_stock=2).available == 0


def test_available_is_zero_not_negative_when_over_reserved() -> None:
    assert level(2, reserved=5).available == 0
    assert level(2, safety_stock=9).available == 0
    assert level(-4).available == 0


@settings(max_examples=100)
@given(
    on_hand=st.integers(min_value=-MAX_QUANTITY, max_value=MAX_QUANTITY),
    reserved=st.integers(min_value=0, max_value=MAX_QUANTITY),
    safety=st.integers(min_value=0, max_value=MAX_QUANTITY),
)
def test_available_is_never_below_zero(on_hand: int, reserved: int, safety: int) -> None:
    available = level(on_hand, reserved, safety).available

    assert available >= 0
    assert available == max(0, on_hand - reserved - safety)
    assert available <= max(0, on_hand)


# --- movement kinds ------------------------------------------------------------------------


def test_receipt_reason_is_a_receipt_movement() -> None:
    assert kind_for_reason("receipt") is MovementKind.RECEIPT


def test_return_reason_is_a_return_movement() -> None:
    assert kind_for_reason("return") is MovementKind.RETURN


@pytest.mark.parametrize(
    "reason", ["adjustment", "cycle_count", "damaged", "shrinkage", "Receipt", "returns", ""]
)
def test_any_other_reason_is_an_adjustment(reason: str) -> None:
    assert kind_for_reason(reason) is MovementKind.ADJUSTMENT


# --- AdjustmentIn --------------------------------------------------------------------------


def test_adjustment_defaults_its_reason_and_reference() -> None:
    adjustment = AdjustmentIn.model_validate({"sku": "SKU-1", "warehouse": "MAIN", "quantity": 5})

    assert adjustment.reason == "adjustment"
    assert adjustment.reference is None


@pytest.mark.parametrize("quantity", [-MAX_QUANTITY, -1, 0, 1, MAX_QUANTITY])
def test_adjustment_quantity_is_signed_within_the_limit(quantity: int) -> None:
    data = {"sku": "SKU-1", "warehouse": "MAIN", "quantity": quantity}

    assert AdjustmentIn.model_validate(data).quantity == quantity


@pytest.mark.parametrize(
    ("quantity", "kind"),
    [
        (MAX_QUANTITY + 1, "less_than_equal"),
        (-MAX_QUANTITY - 1, "greater_than_equal"),
        (1.5, "int_type"),
        ("lots", "int_type"),
    ],
)
def test_adjustment_quantity_out_of_range_or_not_whole_is_refused(quantity: Any, kind: str) -> None:
    data = {"sku": "SKU-1", "warehouse": "MAIN", "quantity": quantity}

    assert error_types(AdjustmentIn, data) == [(("quantity",), kind)]


def test_adjustment_quantity_refuses_a_boolean() -> None:
    data = {"sku": "SKU-1", "warehouse": "MAIN", "quantity": True}

    assert error_types(AdjustmentIn, data) == [(("quantity",), "int_type")]


@pytest.mark.parametrize("reason", ["receipt", "return", "cycle_count", "r2d2"])
def test_adjustment_reason_is_a_snake_case_word(reason: str) -> None:
    data = {"sku": "SKU-1", "warehouse": "MAIN", "quantity": 1, "reason": reason}

    assert AdjustmentIn.model_validate(data).reason == reason


@pytest.mark.parametrize("reason", ["", "Receipt", "cycle count", "2nd_count", "_x", "a" * 65])
def test_adjustment_reason_that_is_not_snake_case_is_refused(reason: str) -> None:
    data = {"sku": "SKU-1", "warehouse": "MAIN", "quantity": 1, "reason": reason}

    assert error_types(AdjustmentIn, data) == [(("reason",), "invalid_reason")]


def test_adjustment_rejects_bad_sku_and_warehouse_codes() -> None:
    data = {"sku": " ", "warehouse": "main street", "quantity": 1}

    assert error_types(AdjustmentIn, data) == [
        (("sku",), "invalid_sku"),
        (("warehouse",), "invalid_code"),
    ]


def test_adjustment_refuses_unknown_fields() -> None:
    data = {"sku": "SKU-1", "warehouse": "MAIN", "quantity": 1, "note": "hi"}

    assert error_types(AdjustmentIn, data) == [(("note",), "extra_forbidden")]


def test_adjustment_reference_is_limited_to_200_characters() -> None:
    data = {"sku": "SKU-1", "warehouse": "MAIN", "quantity": 1, "reference": "r" * 201}

    assert error_types(AdjustmentIn, data) == [(("reference",), "string_too_long")]


# --- TransferIn ----------------------------------------------------------------------------


def test_transfer_reads_its_warehouses_from_the_from_and_to_keys() -> None:
    transfer = TransferIn.model_validate(
        {"sku": "SKU-1", "from": "EAST", "to": "WEST", "quantity": 3, "reference": "PO-9"}
    )

    assert transfer.from_warehouse == "EAST"
    assert transfer.to_warehouse == "WEST"
    assert transfer.quantity == 3
    assert transfer.model_dump(by_alias=True) == {
        "sku": "SKU-1",
        "from": "EAST",
        "to": "WEST",
        "quantity": 3,
        "reference": "PO-9",
    }


def test_transfer_field_names_are_not_accepted_in_place_of_the_aliases() -> None:
    data = {"sku": "SKU-1", "from_warehouse": "EAST", "to_warehouse": "WEST", "quantity": 1}

    assert sorted(error_types(TransferIn, data)) == [
        (("from",), "missing"),
        (("from_warehouse",), "extra_forbidden"),
        (("to",), "missing"),
        (("to_warehouse",), "extra_forbidden"),
    ]


@pytest.mark.parametrize(
    ("quantity", "kind"),
    [(0, "greater_than_equal"), (-2, "greater_than_equal"), (MAX_QUANTITY + 1, "less_than_equal")],
)
def test_transfer_quantity_is_positive_within_the_limit(quantity: int, kind: str) -> None:
    data = {"sku": "SKU-1", "from": "EAST", "to": "WEST", "quantity": quantity}

    assert error_types(TransferIn, data) == [(("quantity",), kind)]


def test_transfer_quantity_refuses_a_boolean() -> None:
    data = {"sku": "SKU-1", "from": "EAST", "to": "WEST", "quantity": True}

    assert error_types(TransferIn, data) == [(("quantity",), "int_type")]


def test_transfer_warehouses_must_be_codes() -> None:
    data = {"sku": "SKU-1", "from": "", "to": "W/2", "quantity": 1}

    assert error_types(TransferIn, data) == [
        (("from",), "invalid_code"),
        (("to",), "invalid_code"),
    ]


# --- SafetyStockIn -------------------------------------------------------------------------


def test_safety_stock_is_zero_or_more_within_the_limit() -> None:
    assert SafetyStockIn.model_validate({"safety_stock": 0}).safety_stock == 0
    assert SafetyStockIn.model_validate({"safety_stock": MAX_QUANTITY}).safety_stock == MAX_QUANTITY
    assert error_types(SafetyStockIn, {"safety_stock": -1}) == [
        (("safety_stock",), "greater_than_equal")
    ]
