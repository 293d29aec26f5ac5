"""Automation rule sets: reading each action and trigger, the paths faults name, evaluation
order, and the properties (a disabled rule never fires; evaluation is deterministic)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from podium.automation.conditions import Invalid
from podium.automation.model import ACTIONS, TRIGGERS, evaluate, read_rule_set

FACTS: dict[str, Any] = {
    "total": Decimal("250.00"),
    "tags": [],
    "shipping_address.country": "US",
    "customer.orders_count": 1,
}
VALID_ACTIONS: dict[str, dict[str, Any]] = {
    "add_tag": {"tag": "vip"},
    "remove_tag": {"tag": "vip"},
    "hold": {"reason": "fraud_review", "note": "look"},
    "release": {"reason": "manual"},
    "set_priority": {"priority": 9},
    "set_service_level": {"service_level": "next_day"},
    "notify": {"event": "vip.order"},
    "cancel": {"reason": "blocked"},
    "route_to": {"warehouse": "EAST"},
    "exclude_warehouse": {"warehouse": "WEST"},
}
BAD_ARGUMENTS: dict[str, tuple[str, Any]] = {
    "add_tag": ("tag", ""),
    "remove_tag": ("tag", "x" * 65),
    "hold": ("reason", "whim"),
    "release": ("reason", "backorder"),
    "set_priority": ("priority", True),
    "set_service_level": ("service_level", "overnight"),
    "notify": ("event", "Has Spaces"),
    "cancel": ("reason", "line\x00break"),
}


def rule(name: str = "r", **overrides: Any) -> dict[str, Any]:
    base = {
        "name": name,
        "trigger": "order.placed",
        "when": {"field": "total", "op": ">", "value": "100"},
        "then": [{"action": "add_tag", "tag": "big"}],
    }
    return {**base, **overrides}


def fault(raw: Any) -> str:
    with pytest.raises(Invalid) as caught:
        read_rule_set(raw)
    return caught.value.path


def test_every_action_the_docs_list_is_read() -> None:
    assert set(VALID_ACTIONS) == set(ACTIONS)


@pytest.mark.parametrize("kind", sorted(VALID_ACTIONS))
def test_each_action_is_read_with_its_arguments_and_fires(kind: str) -> None:
    then = [{"action": kind, **VALID_ACTIONS[kind]}]
    rules = read_rule_set({"rules": [rule(then=then)]})
    (firing,) = evaluate(rules, "order.placed", FACTS)
    assert firing.actions[0].kind == kind
    assert dict(firing.actions[0].args) == VALID_ACTIONS[kind]


@pytest.mark.parametrize("kind", sorted(BAD_ARGUMENTS))
def test_each_action_refuses_a_bad_argument_naming_it(kind: str) -> None:
    name, value = BAD_ARGUMENTS[kind]
    then = [{"action": kind, **VALID_ACTIONS[kind], name: value}]
    assert fault({"rules": [rule(then=then)]}) == f"rules.0.then.0.{name}"


def test_an_action_missing_what_it_needs_or_given_more_is_refused() -> None:
    assert fault({"rules": [rule(then=[{"action": "add_tag"}])]}) == "rules.0.then.0.tag"
    extra = [{"action": "release", "colour": "red"}]
    assert fault({"rules": [rule(then=extra)]}) == "rules.0.then.0.colour"


def test_routing_actions_need_a_warehouse_code() -> None:
    for kind in ("route_to", "exclude_warehouse"):
        assert fault({"rules": [rule(then=[{"action": kind}])]}) == "rules.0.then.0.warehouse"
        then = [{"action": kind, "warehouse": "no such/code"}]
        assert fault({"rules": [rule(then=then)]}) == "rules.0.then.0.warehouse"


def test_every_trigger_is_accepted_and_others_are_not() -> None:
    for trigger in TRIGGERS:
        if trigger != "stock.low":
            read_rule_set({"rules": [rule(trigger=trigger)]})
    read_rule_set({"rules": [rule(trigger="stock.low", **LOW)]})
    assert fault({"rules": [rule(trigger="order.shipped")]}) == "rules.0.trigger"


LOW: dict[str, Any] = {
    "when": {"field": "available", "op": "<=", "value": 2},
    "then": [{"action": "notify", "event": "stock.reorder"}],
}


def test_a_stock_low_rule_tests_stock_facts_and_only_notifies() -> None:
    rules = read_rule_set({"rules": [rule(trigger="stock.low", **LOW)]})
    facts = {"sku": "TEE", "warehouse": "EAST", "available": 1, "threshold": 5}
    assert [f.rule for f in evaluate(rules, "stock.low", facts)] == ["r"]
    order_field = {**LOW, "when": {"field": "total", "op": ">", "value": "1"}}
    assert fault({"rules": [rule(trigger="stock.low", **order_field)]}) == "rules.0.when.field"
    tagging = {**LOW, "then": [{"action": "add_tag", "tag": "x"}]}
    assert fault({"rules": [rule(trigger="stock.low", **tagging)]}) == "rules.0.then.0.action"
    mail = {**LOW, "then": [{"action": "notify", "email_template": "x", "to": "a@b.co"}]}
    assert fault({"rules": [rule(trigger="stock.low", **mail)]}) == "rules.0.then.0.email_template"
    stock_field: dict[str, Any] = {"when": {"field": "available", "op": "<", "value": 3}}
    assert fault({"rules": [rule(**stock_field)]}) == "rules.0.when.field"


def test_a_shipment_late_rule_sees_the_order_and_the_shipment() -> None:
    when = {"all": [{"field": "shipment.days_late", "op": ">=", "value": 2}, BIG]}
    rules = read_rule_set({"rules": [rule(trigger="shipment.late", when=when)]})
    facts = {**FACTS, "shipment.days_late": 3}
    assert [f.rule for f in evaluate(rules, "shipment.late", facts)] == ["r"]
    assert evaluate(rules, "shipment.late", {**facts, "shipment.days_late": 1}) == []


BIG = {"field": "total", "op": ">", "value": "100"}


def test_notify_is_a_webhook_event_or_an_email_to_someone() -> None:
    def then(**args: Any) -> dict[str, Any]:
        return {"rules": [rule(then=[{"action": "notify", **args}])]}

    read_rule_set(then(email_template="order_update", to="customer"))
    read_rule_set(then(email_template="order_update", to="ops@example.com"))
    assert fault(then()) == "rules.0.then.0.event"
    assert fault(then(event="a.b", email_template="order_update", to="customer")) == (
        "rules.0.then.0.event"
    )
    assert fault(then(email_template="order_update")) == "rules.0.then.0.to"
    assert fault(then(email_template="order_update", to="nobody")) == "rules.0.then.0.to"
    assert fault(then(email_template="../etc", to="customer")) == "rules.0.then.0.email_template"
    assert fault(then(event="a.b", to="customer")) == "rules.0.then.0.to"


def test_stock_thresholds_are_per_sku_with_a_default() -> None:
    rules = read_rule_set({"rules": [], "stock_thresholds": {"default": 3, "skus": {"TEE": 10}}})
    assert (rules.threshold("TEE"), rules.threshold("MUG")) == (10, 3)
    assert read_rule_set({"rules": []}).threshold("MUG") == 5
    bad = {"rules": [], "stock_thresholds": {"skus": {"TEE": -1}}}
    assert fault(bad) == "stock_thresholds.skus.TEE"
    assert fault({"rules": [], "stock_thresholds": {"level": 1}}) == "stock_thresholds"


def test_rule_faults_name_the_rule_and_field() -> None:
    assert fault({"rules": [rule(), {**rule(), "name": None}]}) == "rules.1.name"
    assert fault({"rules": [rule(), rule()]}) == "rules.1.name"
    assert fault({"rules": [rule(enabled=1)]}) == "rules.0.enabled"
    assert fault({"rules": [rule(then=[])]}) == "rules.0.then"
    assert fault({"rules": [rule(extra=True)]}) == "rules.0.extra"
    assert fault({"rules": "all of them"}) == "rules"
    assert fault({"rules": [], "version": 3}) == "rules"


def test_rules_fire_in_order_and_see_tags_earlier_rules_set() -> None:
    tagged = {"field": "tags", "op": "contains", "value": "big"}
    rules = read_rule_set(
        {
            "rules": [
                rule("tags big"),
                rule("holds tagged", when=tagged, then=[{"action": "hold"}]),
                rule("untags", when=None, then=[{"action": "remove_tag", "tag": "big"}]),
                rule("sees no tag", when=tagged, then=[{"action": "notify", "event": "x"}]),
            ]
        }
    )
    fired = evaluate(rules, "order.placed", FACTS)
    assert [f.rule for f in fired] == ["tags big", "holds tagged", "untags"]


def test_only_rules_of_the_trigger_fire() -> None:
    rules = read_rule_set({"rules": [rule(trigger="payment.changed")]})
    assert evaluate(rules, "order.placed", FACTS) == []
    assert [f.rule for f in evaluate(rules, "payment.changed", FACTS)] == ["r"]


# --- properties ---------------------------------------------------------------------------

_TESTS = st.sampled_from(
    [
        {"field": "total", "op": ">", "value": "100"},
        {"field": "total", "op": "<=", "value": "300.50"},
        {"field": "shipping_address.country", "op": "in", "value": ["US", "CA"]},
        {"field": "tags", "op": "contains", "value": "big"},
        {"field": "customer.orders_count", "op": "==", "value": 1},
        {"field": "risk.score", "op": ">", "value": 50},
    ]
)
_CONDITIONS = st.recursive(
    _TESTS,
    lambda inner: st.one_of(
        st.builds(lambda parts: {"all": parts}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda parts: {"any": parts}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda part: {"not": part}, inner),
    ),
    max_leaves=6,
)
_ACTIONS = st.sampled_from([{"action": k, **v} for k, v in VALID_ACTIONS.items()])
_FACTS = st.fixed_dictionaries(
    {
        "total": st.decimals(min_value=0, max_value=10_000, places=2),
        "tags": st.lists(st.sampled_from(["big", "vip", "gift"]), max_size=3),
        "shipping_address.country": st.sampled_from(["US", "CA", "DE", None]),
        "customer.orders_count": st.one_of(st.none(), st.integers(1, 5)),
        "risk.score": st.one_of(st.none(), st.integers(0, 100)),
    }
)


@st.composite
def _rule_sets(draw: st.DrawFn) -> list[dict[str, Any]]:
    count = draw(st.integers(1, 6))
    return [
        {
            "name": f"rule {i}",
            "enabled": draw(st.booleans()),
            "trigger": draw(st.sampled_from(["order.placed", "order.updated"])),
            "when": draw(st.one_of(st.none(), _CONDITIONS)),
            "then": draw(st.lists(_ACTIONS, min_size=1, max_size=3)),
        }
        for i in range(count)
    ]


@given(_rule_sets(), _FACTS)
def test_a_disabled_rule_never_fires(raw: list[dict[str, Any]], facts: dict[str, Any]) -> None:
    rules = read_rule_set({"rules": raw})
    for trigger in ("order.placed", "order.updated"):
        for firing in evaluate(rules, trigger, facts):
            assert raw[firing.index]["enabled"] is True


@given(_rule_sets(), _FACTS)
def test_evaluation_is_deterministic(raw: list[dict[str, Any]], facts: dict[str, Any]) -> None:
    first = evaluate(read_rule_set({"rules": raw}), "order.placed", facts)
    again = evaluate(read_rule_set({"rules": raw}), "order.placed", dict(facts))
    assert first == again


@given(_rule_sets(), _FACTS)
def test_disabling_every_rule_fires_nothing(
    raw: list[dict[str, Any]], facts: dict[str, Any]
) -> None:
    off = [{**r, "enabled": False} for r in raw]
    assert evaluate(read_rule_set({"rules": off}), "order.placed", facts) == []


def test_rules_cannot_add_or_remove_podiums_own_tags() -> None:
    for kind in ("add_tag", "remove_tag"):
        then = [{"action": kind, "tag": "payment:channel"}]
        assert fault({"rules": [rule(then=then)]}) == "rules.0.then.0.tag"
