"""Control characters are refused in every text field of a request, once, in Input; platforms'
orders are cleaned instead of refused (pure)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from podium.channels.intake import intake_for
from podium.channels.model import ChannelLine, ChannelOrder
from podium.orders.model import OrderIntake
from podium.validation import strip_control


def _body(**changes: object) -> dict[str, object]:
    body: dict[str, object] = {
        "channel": "web",
        "currency": "USD",
        "customer": {"email": "ann@example.com", "name": "Ann Example"},
        "shipping_address": {"line1": "1 Pike St", "city": "Seattle", "country": "US"},
        "lines": [{"sku": "TEE", "quantity": 1, "unit_price": "19.99"}],
    }
    body.update(changes)
    return body


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"customer": {"email": "ann@example.com", "name": "Ann\x00"}}, "customer.name"),
        (
            {"shipping_address": {"line1": "1 Pike\x1b[2J", "city": "Seattle", "country": "US"}},
            "shipping_address.line1",
        ),
        (
            {"shipping_address": {"line1": "1 Pike", "city": "Sea\nttle", "country": "US"}},
            "shipping_address.city",
        ),
        ({"tags": ["vip", "bad\x07tag"]}, "tags"),
        ({"note": "gift\x00wrap"}, "note"),
    ],
)
def test_control_characters_in_a_text_field_are_refused_naming_it(
    changes: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        OrderIntake.model_validate(_body(**changes))
    (error,) = refused.value.errors()
    assert error["type"] == "invalid_characters"
    assert ".".join(str(p) for p in error["loc"]) == field


def test_notes_keep_their_line_breaks_and_tabs() -> None:
    intake = OrderIntake.model_validate(_body(note="Leave at the door.\r\n\tRing twice."))
    assert intake.note == "Leave at the door.\n\tRing twice."


@given(st.text(alphabet=st.characters(categories=["Cc"]), min_size=1, max_size=3))
def test_any_control_character_in_a_name_is_refused(bad: str) -> None:
    name = f"Ann{bad}Example"
    with pytest.raises(ValidationError):
        OrderIntake.model_validate(_body(customer={"email": "a@example.com", "name": name}))


def test_a_platform_order_with_control_characters_is_cleaned_not_lost() -> None:
    order = ChannelOrder(
        external_id="1001",
        currency="USD",
        email="ann@example.com",
        name="Ann\x00 Example",
        phone=None,
        address={"line1": "1 Pike\x0bSt", "city": "Seattle", "country": "US"},
        lines=[ChannelLine(sku="TEE", name="Tee\x1b", quantity=1, unit_price=1999)],
        updated_at=None,
        status="paid",
    )
    intake = intake_for("shop", order, {})
    assert intake.customer.name == "Ann  Example"
    assert intake.shipping_address.line1 == "1 Pike St"
    assert strip_control({"note": "a\r\nb\x00"}) == {"note": "a\nb "}
