"""The order and shipment status machines, and the derived fulfilment status."""

from __future__ import annotations

from itertools import product

import pytest

from podium.errors import Conflict, DomainError, InvalidTransition
from podium.orders.status import OrderStatus, check_transition, derive_fulfilment_status
from podium.shipments.model import (
    OPEN_STATUSES,
    SHIPPED_STATUSES,
    ShipmentStatus,
    check_shipment_transition,
)

# Written out independently of the modules' own tables, so a change to either is noticed.
ORDER_EXITS: dict[str, set[str]] = {
    "pending": {"ready", "on_hold", "cancelled"},
    "ready": {"on_hold", "partially_shipped", "shipped", "cancelled"},
    "on_hold": {"ready", "partially_shipped", "shipped", "cancelled"},  # shipped: partial cancel
    "partially_shipped": {"shipped", "on_hold"},
    "shipped": {"delivered"},
    "delivered": set(),
    "cancelled": set(),
}

SHIPMENT_EXITS: dict[str, set[str]] = {
    "pending": {"released", "picking", "packed", "shipped", "cancelled"},
    "released": {"pending", "picking", "packed", "shipped", "cancelled"},
    "picking": {"packed", "shipped", "cancelled"},
    "packed": {"shipped", "cancelled"},
    "shipped": {"in_transit", "out_for_delivery", "delivered", "exception"},
    "in_transit": {"out_for_delivery", "delivered", "exception"},
    "out_for_delivery": {"in_transit", "delivered", "exception"},
    "exception": {"in_transit", "out_for_delivery", "delivered", "returned_to_sender"},
    "delivered": set(),
    "returned_to_sender": set(),
    "cancelled": set(),
}

ORDER_PAIRS = list(product(ORDER_EXITS, repeat=2))
SHIPMENT_PAIRS = list(product(SHIPMENT_EXITS, repeat=2))


def test_the_expected_tables_name_every_status() -> None:
    assert set(ORDER_EXITS) == {s.value for s in OrderStatus}
    assert set(SHIPMENT_EXITS) == {s.value for s in ShipmentStatus}


# --- orders --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("current", "target"), [p for p in ORDER_PAIRS if p[1] in ORDER_EXITS[p[0]]]
)
def test_allowed_order_transition_returns_the_target_status(current: str, target: str) -> None:
    result = check_transition(current, target)

    assert result is OrderStatus(target)


@pytest.mark.parametrize(
    ("current", "target"), [p for p in ORDER_PAIRS if p[1] not in ORDER_EXITS[p[0]]]
)
def test_forbidden_order_transition_is_a_409_invalid_transition(current: str, target: str) -> None:
    with pytest.raises(InvalidTransition) as caught:
        check_transition(current, target)

    error = caught.value
    assert error.status == 409
    assert error.code == "invalid_transition"
    assert error.details == {"entity": "order", "from": current, "to": target}
    assert current in error.message
    assert target in error.message


def test_invalid_transition_is_a_conflict_and_a_domain_error() -> None:
    with pytest.raises(InvalidTransition) as caught:
        check_transition("delivered", "pending")

    assert isinstance(caught.value, Conflict)
    assert isinstance(caught.value, DomainError)


def test_order_transition_message_uses_the_right_article() -> None:
    with pytest.raises(InvalidTransition) as caught:
        check_transition("delivered", "pending")

    assert caught.value.message == "An order that is delivered cannot become pending."


def test_shipment_transition_message_names_both_statuses() -> None:
    with pytest.raises(InvalidTransition) as caught:
        check_shipment_transition("delivered", "picking")

    assert caught.value.message == "A shipment that is delivered cannot become picking."


@pytest.mark.parametrize("terminal", ["delivered", "cancelled"])
def test_terminal_order_statuses_have_no_exits(terminal: str) -> None:
    for target in OrderStatus:
        with pytest.raises(InvalidTransition):
            check_transition(terminal, target)


@pytest.mark.parametrize("status", list(OrderStatus))
def test_no_order_status_may_become_itself(status: OrderStatus) -> None:
    with pytest.raises(InvalidTransition):
        check_transition(status, status)


def test_a_partly_shipped_order_can_no_longer_be_cancelled() -> None:
    with pytest.raises(InvalidTransition):
        check_transition("partially_shipped", "cancelled")


def test_transition_accepts_enum_members_as_well_as_strings() -> None:
    assert check_transition(OrderStatus.READY, OrderStatus.SHIPPED) is OrderStatus.SHIPPED


def test_unknown_order_status_is_not_a_transition_error() -> None:
    with pytest.raises(ValueError, match="bogus"):
        check_transition("bogus", "ready")
    with pytest.raises(ValueError, match="bogus"):
        check_transition("ready", "bogus")


# --- shipments -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("current", "target"), [p for p in SHIPMENT_PAIRS if p[1] in SHIPMENT_EXITS[p[0]]]
)
def test_allowed_shipment_transition_returns_the_target_status(current: str, target: str) -> None:
    assert check_shipment_transition(current, target) is ShipmentStatus(target)


@pytest.mark.parametrize(
    ("current", "target"), [p for p in SHIPMENT_PAIRS if p[1] not in SHIPMENT_EXITS[p[0]]]
)
def test_forbidden_shipment_transition_is_a_409_invalid_transition(
    current: str, target: str
) -> None:
    with pytest.raises(InvalidTransition) as caught:
        check_shipment_transition(current, target)

    assert caught.value.status == 409
    assert caught.value.code == "invalid_transition"
    assert caught.value.details == {"entity": "shipment", "from": current, "to": target}


@pytest.mark.parametrize("terminal", ["delivered", "returned_to_sender", "cancelled"])
def test_terminal_shipment_statuses_have_no_exits(terminal: str) -> None:
    for target in ShipmentStatus:
        with pytest.raises(InvalidTransition):
            check_shipment_transition(terminal, target)


@pytest.mark.parametrize("status", sorted(SHIPPED_STATUSES))
def test_a_shipment_that_left_the_warehouse_cannot_be_cancelled(status: str) -> None:
    with pytest.raises(InvalidTransition):
        check_shipment_transition(status, "cancelled")


@pytest.mark.parametrize("status", sorted(OPEN_STATUSES))
def test_an_open_shipment_can_ship_or_be_cancelled(status: str) -> None:
    assert check_shipment_transition(status, "shipped") is ShipmentStatus.SHIPPED
    assert check_shipment_transition(status, "cancelled") is ShipmentStatus.CANCELLED


def test_open_and_shipped_statuses_partition_all_but_cancelled() -> None:
    assert OPEN_STATUSES.isdisjoint(SHIPPED_STATUSES)
    assert OPEN_STATUSES | SHIPPED_STATUSES | {ShipmentStatus.CANCELLED} == set(ShipmentStatus)


def test_unknown_shipment_status_is_not_a_transition_error() -> None:
    with pytest.raises(ValueError, match="lost"):
        check_shipment_transition("shipped", "lost")


# --- derived fulfilment status -------------------------------------------------------------


@pytest.mark.parametrize(
    ("ordered", "shipped", "delivered", "expected"),
    [
        (3, 0, 0, "unfulfilled"),
        (3, 1, 0, "partially_fulfilled"),
        (3, 2, 1, "partially_fulfilled"),
        (3, 3, 0, "fulfilled"),
        (3, 3, 2, "fulfilled"),
        (3, 3, 3, "delivered"),
        (3, 4, 0, "fulfilled"),
        (3, 4, 5, "delivered"),
        (1, 0, 0, "unfulfilled"),
        (1, 1, 1, "delivered"),
        (0, 0, 0, "unfulfilled"),
    ],
)
def test_fulfilment_status_is_derived_from_line_counts(
    ordered: int, shipped: int, delivered: int, expected: str
) -> None:
    assert derive_fulfilment_status(ordered, shipped, delivered) == expected


def test_nothing_ordered_is_never_fulfilled_or_delivered() -> None:
    assert derive_fulfilment_status(0, 0, 0) == "unfulfilled"
    assert derive_fulfilment_status(0, 0, 5) == "unfulfilled"
