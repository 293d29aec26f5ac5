"""Automation conditions: each op over each kind of field, absent facts, nesting, and the
regular expressions refused (pure)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from podium.automation.conditions import Invalid, holds, read_condition, safe_pattern

FACTS: dict[str, Any] = {
    "total": Decimal("150.00"),
    "subtotal": Decimal("140.00"),
    "currency": "USD",
    "channel": "web",
    "tags": ["VIP", "gift"],
    "customer.email": "ann@example.com",
    "customer.orders_count": 1,
    "shipping_address.country": "US",
    "shipping_address.postal_code": "98101",
    "lines.sku": ["TEE-M", "MUG"],
    "lines.quantity": [1, 6],
    "payment_status": "authorized",
    "risk.score": None,
    "risk.level": None,
}


def check(field: str, op: str, value: Any, facts: dict[str, Any] = FACTS) -> bool:
    return holds(read_condition({"field": field, "op": op, "value": value}), facts)


def test_money_compares_as_decimal_strings() -> None:
    assert check("total", "==", "150")
    assert check("total", "==", "150.00")
    assert check("total", "!=", "150.01")
    assert check("total", ">", "149.99")
    assert check("total", ">=", "150.00")
    assert not check("total", "<", "150.00")
    assert check("total", "<=", "150")
    assert check("subtotal", "in", ["10.00", "140.00"])
    assert check("subtotal", "not_in", ["10.00"])


def test_money_refuses_numbers_and_words() -> None:
    for bad in (150, 1.5, "lots", "1e3", True):
        with pytest.raises(Invalid) as caught:
            read_condition({"field": "total", "op": ">", "value": bad})
        assert caught.value.path == "when.value"


def test_numbers_compare_as_integers_and_refuse_booleans() -> None:
    assert check("customer.orders_count", "==", 1)
    assert check("customer.orders_count", "<", 2)
    assert not check("customer.orders_count", ">", 1)
    with pytest.raises(Invalid):
        read_condition({"field": "customer.orders_count", "op": "==", "value": True})


def test_text_equality_and_membership_ignore_case() -> None:
    assert check("currency", "==", "usd")
    assert check("channel", "!=", "amazon")
    assert check("shipping_address.country", "in", ["ca", "US"])
    assert check("shipping_address.country", "not_in", ["CA", "MX"])
    assert not check("shipping_address.country", "not_in", ["us"])


def test_text_contains_starts_with_and_matches() -> None:
    assert check("customer.email", "contains", "EXAMPLE")
    assert check("customer.email", "starts_with", "ann@")
    assert not check("customer.email", "starts_with", "bob")
    assert check("customer.email", "matches", r"@example\.com$")
    assert not check("customer.email", "matches", r"^bob")


def test_text_orders_as_text() -> None:
    assert check("shipping_address.postal_code", ">=", "98000")
    assert check("shipping_address.postal_code", "<", "99000")


def test_list_fields_hold_when_any_element_does() -> None:
    assert check("tags", "contains", "vip")
    assert not check("tags", "contains", "b2b")
    assert check("lines.sku", "==", "MUG")
    assert check("lines.sku", "starts_with", "tee")
    assert check("lines.sku", "in", ["MUG", "HAT"])
    assert check("lines.sku", "matches", "^TEE-")
    assert check("lines.quantity", ">", 5)
    assert not check("lines.quantity", ">", 6)
    assert check("lines.quantity", "in", [6])


def test_negated_ops_on_lists_hold_when_no_element_matches() -> None:
    assert check("lines.sku", "!=", "HAT")
    assert not check("lines.sku", "!=", "MUG")
    assert check("lines.sku", "not_in", ["HAT"])
    assert not check("lines.sku", "not_in", ["HAT", "mug"])


def test_an_absent_fact_makes_every_test_false() -> None:
    for op, value in (("==", 1), ("!=", 1), (">", 1), ("in", [1]), ("not_in", [1])):
        assert not check("risk.score", op, value)
    assert not check("risk.level", "!=", "high")
    assert not check("customer.email", "==", "x", {**FACTS, "customer.email": None})


def test_all_any_and_not_combine() -> None:
    big = {"field": "total", "op": ">", "value": "100"}
    us = {"field": "shipping_address.country", "op": "==", "value": "US"}
    ca = {"field": "shipping_address.country", "op": "==", "value": "CA"}
    assert holds(read_condition({"all": [big, us]}), FACTS)
    assert not holds(read_condition({"all": [big, ca]}), FACTS)
    assert holds(read_condition({"any": [ca, us]}), FACTS)
    assert holds(read_condition({"not": ca}), FACTS)
    assert not holds(read_condition({"not": {"any": [us]}}), FACTS)
    assert holds(None, FACTS)


def test_ops_a_field_does_not_take_are_refused_naming_the_op() -> None:
    for field, op in (("total", "contains"), ("lines.quantity", "matches"), ("tags", ">")):
        with pytest.raises(Invalid) as caught:
            read_condition({"field": field, "op": op, "value": "x"})
        assert caught.value.path == "when.op"


def test_malformed_trees_name_the_path() -> None:
    cases: list[tuple[Any, str]] = [
        ({"all": []}, "when.all"),
        ({"all": [{"field": "total"}]}, "when.all.0.op"),
        ({"any": [{"field": "nope", "op": "==", "value": 1}]}, "when.any.0.field"),
        ({"not": {"field": "total", "op": "==", "value": "1", "x": 1}}, "when.not.x"),
        ({"all": [], "any": []}, "when"),
        ({"field": "total", "op": "in", "value": "1"}, "when.value"),
        ({"field": "total", "op": "in", "value": ["1", "x"]}, "when.value.1"),
        ("total > 5", "when"),
        ({"field": "total", "op": "=="}, "when.value"),
    ]
    for raw, path in cases:
        with pytest.raises(Invalid) as caught:
            read_condition(raw)
        assert caught.value.path == path, raw


def test_conditions_nest_only_so_deep() -> None:
    tree: Any = {"field": "total", "op": ">", "value": "1"}
    for _ in range(10):
        tree = {"not": tree}
    with pytest.raises(Invalid):
        read_condition(tree)


@pytest.mark.parametrize(
    "pattern",
    ["(a+)+$", "(a*)*", "(a|aa)*", "(x+x+)+y", "(?=a)", "(a)\\1", "(?<!a)b", "x" * 201, "("],
)
def test_patterns_that_can_backtrack_for_ever_are_refused(pattern: str) -> None:
    assert safe_pattern(pattern) is not None
    with pytest.raises(Invalid):
        read_condition({"field": "customer.email", "op": "matches", "value": pattern})


@pytest.mark.parametrize(
    "pattern", [r"@example\.com$", r"^[A-Z]{2}-\d+$", r"(ab)+", r"(gmail|yahoo)\.com", r"[(+*]+"]
)
def test_ordinary_patterns_are_allowed(pattern: str) -> None:
    assert safe_pattern(pattern) is None


def test_a_long_value_is_matched_on_its_first_thousand_characters() -> None:
    facts = {**FACTS, "customer.email": "a" * 5000 + "@x.com"}
    assert not check("customer.email", "matches", r"@x\.com$", facts)
