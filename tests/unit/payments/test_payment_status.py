"""Payment status is derived from the transactions on the order, never set by hand."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from podium.payments.model import (
    CapturePolicy,
    PaymentStatus,
    Transaction,
    TxKind,
    capture_target,
    derive_status,
    payment_policy,
)

A, C, R, V = TxKind.AUTHORIZE, TxKind.CAPTURE, TxKind.REFUND, TxKind.VOID


def status(*txs: Transaction, total: int = 1000) -> str:
    return derive_status(total, txs).value


def test_each_status_follows_from_the_transactions() -> None:
    assert status() == "pending"
    assert status(Transaction(A, 1000, succeeded=False)) == "failed"
    assert status(Transaction(A, 1000)) == "authorized"
    assert status(Transaction(A, 1000), Transaction(V, 0)) == "voided"
    assert status(Transaction(C, 400)) == "partially_paid"
    assert status(Transaction(C, 400), Transaction(C, 600)) == "paid"
    assert status(Transaction(C, 1000), Transaction(R, 1)) == "partially_refunded"
    assert status(Transaction(C, 1000), Transaction(R, 1000)) == "refunded"
    assert status(Transaction(C, 1000), Transaction(R, 500, succeeded=False)) == "paid"


def test_channel_policy_defaults_to_capture_on_placement_with_the_manual_gateway() -> None:
    assert payment_policy({}).capture is CapturePolicy.ON_PLACEMENT
    assert payment_policy({}).gateway == "manual"
    on_ship = payment_policy({"payment": {"capture": "on_shipment", "gateway": "stripe"}})
    assert (on_ship.capture, on_ship.gateway) == (CapturePolicy.ON_SHIPMENT, "stripe")
    assert (
        payment_policy({"payment": {"capture": "whenever"}}).capture is CapturePolicy.ON_PLACEMENT
    )


@given(st.integers(0, 10**9), st.integers(1, 50), st.data())
def test_capturing_as_units_ship_captures_exactly_the_total_once_all_shipped(
    total: Any, units: Any, data: Any
) -> None:
    shipped = 0
    captured = 0
    while shipped < units:
        shipped += data.draw(st.integers(1, units - shipped))
        due = capture_target(total, shipped, units) - captured
        assert due >= 0
        captured += due
    assert captured == total


@given(st.lists(st.tuples(st.sampled_from(list(TxKind)), st.integers(0, 10**6), st.booleans())))
def test_status_is_always_one_of_the_eight(txs: Any) -> None:
    assert derive_status(10**5, [Transaction(k, a, ok) for k, a, ok in txs]) in set(PaymentStatus)
