"""Reading the order and return pages' forms into the services' inputs (pure)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from podium.errors import ValidationFailed
from podium.orders.model import LineView, OrderView
from podium.web.order_forms import edit_input, live_quantities, return_input
from podium.web.return_forms import exchange_input, receive_input, refund_input


class FakeForm:
    """A posted form: each name maps to the list of values sent for it."""

    def __init__(self, **values: str | list[str]) -> None:
        self.values = {k: v if isinstance(v, list) else [v] for k, v in values.items()}

    def get(self, name: str, default: str = "") -> str:
        found = self.values.get(name)
        return found[0].strip() if found else default

    def all(self, name: str) -> list[str]:
        return list(self.values.get(name, []))


def _line(no: int, sku: str, quantity: int, cancelled: int = 0) -> LineView:
    return LineView(
        line_no=no,
        sku=sku,
        name=sku,
        quantity=quantity,
        unit_price="19.99",
        total="39.98",
        quantity_allocated=quantity,
        quantity_backordered=0,
        quantity_shipped=0,
        quantity_cancelled=cancelled,
    )


NOW = datetime(2026, 11, 25, tzinfo=UTC)
ORDER = OrderView(
    id="ord_1",
    number="PD-100001",
    channel="web",
    external_id=None,
    status="ready",
    currency="USD",
    subtotal="39.98",
    shipping_total="5.00",
    tax_total="0.00",
    discount_total="0.00",
    total="44.98",
    customer={"email": "ann@example.com"},
    shipping_address={"line1": "1 Pike St", "city": "Seattle", "country": "US", "latitude": 47.6},
    lines=[_line(1, "TEE", 2), _line(2, "MUG", 1, cancelled=1)],
    shipments=[],
    tags=[],
    holds=[],
    payment_status="paid",
    fulfillment_status="unfulfilled",
    placed_at=NOW,
    created_at=NOW,
    updated_at=NOW,
)
SAME_ADDRESS = {"address_line1": "1 Pike St", "address_city": "Seattle", "address_country": "US"}


def test_only_what_changed_goes_into_an_edit() -> None:
    assert live_quantities(ORDER) == {"TEE": 2}
    edit = edit_input(FakeForm(line_sku="TEE", line_quantity="3", **SAME_ADDRESS), ORDER)
    assert [(e.sku, e.quantity) for e in edit.lines] == [("TEE", 3)]
    assert edit.shipping_address is None and edit.shipping_total is None
    moved = edit_input(
        FakeForm(line_sku="TEE", line_quantity="2", **{**SAME_ADDRESS, "address_city": "Tacoma"}),
        ORDER,
    )
    assert moved.lines == [] and moved.shipping_address is not None
    assert moved.shipping_address.city == "Tacoma" and moved.shipping_address.latitude is None
    priced = edit_input(FakeForm(shipping_total="0.00", on_shortage="backorder"), ORDER)
    assert priced.shipping_total == "0.00" and priced.on_shortage == "backorder"
    added = edit_input(FakeForm(new_sku="CAP", new_quantity="", new_unit_price="5.00"), ORDER)
    assert [(e.sku, e.quantity, e.unit_price) for e in added.lines] == [("CAP", 1, "5.00")]


@pytest.mark.parametrize(
    ("form", "field", "words"),
    [
        ({"line_sku": "TEE", "line_quantity": "x"}, "quantity of TEE", "whole number"),
        ({"line_sku": "TEE", "line_quantity": "-2"}, "quantity of TEE", "negative"),
        ({"line_sku": ["TEE", "MUG"], "line_quantity": "1"}, "line_sku", "incomplete"),
        ({"line_sku": "HAT", "line_quantity": "1"}, "line_sku", "not on order PD-100001"),
        ({"new_sku": "TEE", "new_quantity": "1"}, "new_sku", "already on the order"),
        ({"new_sku": "bad sku!", "new_unit_price": "1"}, "lines.0.sku", "SKU"),
        ({"line_sku": "TEE", "line_quantity": "2", **SAME_ADDRESS}, "form", "Nothing to change"),
        ({"address_city": "Tacoma"}, "shipping_address.country", "Field required"),
    ],
)
def test_a_bad_edit_names_the_field(
    form: dict[str, str | list[str]], field: str, words: str
) -> None:
    with pytest.raises(ValidationFailed) as caught:
        edit_input(FakeForm(**form), ORDER)
    assert caught.value.details["field"] == field
    assert words in caught.value.message


def test_a_return_keeps_the_rows_with_units_and_refuses_an_empty_one() -> None:
    data = return_input(
        FakeForm(
            return_sku=["TEE", "MUG"],
            return_quantity=["1", "0"],
            return_reason=["size_fit", "other"],
            approve="yes",
        )
    )
    assert [(ln.sku, ln.quantity, ln.reason) for ln in data.lines] == [("TEE", 1, "size_fit")]
    assert data.approve and not data.ignore_window
    with pytest.raises(ValidationFailed, match="at least one unit"):
        return_input(FakeForm(return_sku="TEE", return_quantity="", return_reason="other"))
    with pytest.raises(ValidationFailed, match="whole number"):
        return_input(FakeForm(return_sku="TEE", return_quantity="1.5", return_reason="other"))


def test_receipts_refunds_and_exchanges_read_their_forms() -> None:
    received = receive_input(
        FakeForm(
            receive_sku=["TEE", "MUG"],
            receive_quantity=["2", "1"],
            receive_disposition=["restock", "damaged"],
            receive_warehouse=["", "EAST"],
        )
    )
    assert [(ln.sku, ln.quantity, ln.disposition.value, ln.warehouse) for ln in received.lines] == [
        ("TEE", 2, "restock", None),
        ("MUG", 1, "damaged", "EAST"),
    ]
    with pytest.raises(ValidationFailed) as caught:
        receive_input(
            FakeForm(
                receive_sku="TEE",
                receive_quantity="1",
                receive_disposition="burn",
                receive_warehouse="",
            )
        )
    assert caught.value.details["field"] == "lines.0.disposition"
    refund = refund_input(FakeForm(amount="", include_shipping="yes", method="store_credit"))
    assert refund.amount is None and refund.include_shipping and refund.method == "store_credit"
    with pytest.raises(ValidationFailed) as caught:
        refund_input(FakeForm(amount="ten"))
    assert caught.value.details["field"] == "amount"
    swap = exchange_input(FakeForm(sku="TEE", quantity="", advance="yes"))
    assert (swap.lines[0].sku, swap.lines[0].quantity, swap.lines[0].unit_price) == ("TEE", 1, "0")
    assert swap.advance
    with pytest.raises(ValidationFailed, match="replacement"):
        exchange_input(FakeForm(quantity="1"))
