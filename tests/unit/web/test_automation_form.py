"""The automation rule editor's form (pure): rows from a saved rule set and back, posted
fields read in their numbered order, the buttons' edits, and a fault deep in the JSON traced
back to the input that made it."""

from __future__ import annotations

from typing import Any

import pytest

from podium.automation import ACTIONS, FIELDS, TRIGGERS
from podium.errors import ValidationFailed
from podium.web.automation_edits import apply_edit
from podium.web.automation_form import (
    ActionRow,
    Group,
    Row,
    RuleForm,
    read_form,
    rules_of,
)
from podium.web.automation_rule_set import input_of, rule_set

RULES: dict[str, Any] = {
    "rules": [
        {
            "name": "big first orders",
            "enabled": True,
            "trigger": "order.placed",
            "when": {
                "all": [
                    {"field": "total", "op": ">=", "value": "500.00"},
                    {
                        "any": [
                            {"field": "customer.orders_count", "op": "in", "value": [0, 1]},
                            {"field": "tags", "op": "contains", "value": "new"},
                        ]
                    },
                ]
            },
            "then": [
                {"action": "add_tag", "tag": "review"},
                {"action": "hold", "reason": "fraud_review", "note": "first big order"},
                {"action": "set_priority", "priority": 2},
            ],
            "note": "asked by ops",
        },
        {
            "name": "vip",
            "enabled": False,
            "trigger": "order.updated",
            "when": {"field": "shipping_address.country", "op": "in", "value": ["US", "CA"]},
            "then": [{"action": "set_service_level", "service_level": "express"}],
        },
        {
            "name": "every order",
            "enabled": True,
            "trigger": "payment.changed",
            "then": [{"action": "release"}],
        },
        {
            "name": "one group",
            "enabled": True,
            "trigger": "order.placed",
            "when": {
                "any": [
                    {"field": "risk.score", "op": ">", "value": 70},
                    {"field": "risk.level", "op": "==", "value": "high"},
                ]
            },
            "then": [{"action": "notify", "event": "risk.high"}],
        },
    ]
}


def _fields(rules: list[RuleForm]) -> dict[str, str]:
    """What the editor's template posts for ``rules`` (an unchecked box posts nothing)."""
    posted: dict[str, str] = {}
    for r, rule in enumerate(rules):
        posted |= {f"r{r}.name": rule.name, f"r{r}.trigger": rule.trigger}
        posted |= {f"r{r}.note": rule.note, f"r{r}.match": rule.match}
        if rule.enabled:
            posted[f"r{r}.enabled"] = "on"
        if rule.when_json is not None:
            posted[f"r{r}.when_json"] = rule.when_json
        for g, group in enumerate(rule.groups):
            posted[f"r{r}.g{g}.match"] = group.match
            for c, row in enumerate(group.rows):
                p = f"r{r}.g{g}.c{c}"
                posted |= {f"{p}.field": row.field, f"{p}.op": row.op, f"{p}.value": row.value}
        for a, act in enumerate(rule.actions):
            posted[f"r{r}.a{a}.action"] = act.action
            posted |= {f"r{r}.a{a}.arg.{k}": v for k, v in act.args.items()}
    return posted


def test_a_rule_set_shown_as_rows_reads_back_as_the_same_rule_set() -> None:
    rows = rules_of(RULES)
    assert rows[0].match == "all" and [g.match for g in rows[0].groups] == ["all", "any"]
    assert rows[0].groups[1].rows[0] == Row("customer.orders_count", "in", "0, 1")
    assert rows[1].enabled is False and rows[2].groups == []
    assert rule_set(rows)[0] == RULES


def test_a_group_of_one_condition_is_written_as_the_bare_condition() -> None:
    test = {"field": "risk.score", "op": ">", "value": 70}
    for when in ({"any": [test]}, {"all": [{"all": [test]}]}, test):
        raw = {"rules": [{**RULES["rules"][3], "when": when}]}
        assert rule_set(rules_of(raw))[0]["rules"][0]["when"] == test


def test_posted_fields_read_back_as_the_rows_and_the_rule_set() -> None:
    rows = rules_of(RULES)
    assert read_form(_fields(rows)) == rows
    assert rule_set(read_form(_fields(rows)))[0] == RULES


def test_rules_groups_rows_and_actions_come_in_their_numbered_order() -> None:
    posted = {
        "r7.name": "second",
        "r7.trigger": "order.placed",
        "r2.name": "first",
        "r2.trigger": "order.placed",
        "r2.g5.c9.field": "channel",
        "r2.g5.c9.op": "==",
        "r2.g5.c9.value": "web",
        "r2.g5.c1.field": "currency",
        "r2.g5.c1.op": "==",
        "r2.g5.c1.value": "USD",
        "r2.a3.action": "add_tag",
        "r2.a3.arg.tag": "b",
        "r2.a0.action": "add_tag",
        "r2.a0.arg.tag": "a",
        "csrf_token": "x",
        "note": "not a rule's",
    }
    first, second = read_form(posted)
    assert (first.name, second.name) == ("first", "second")
    assert [r.field for r in first.groups[0].rows] == ["currency", "channel"]
    assert [a.args["tag"] for a in first.actions] == ["a", "b"]
    assert first.enabled is False  # no box ticked


def test_blank_rows_are_left_out_and_values_take_the_fields_type() -> None:
    rule = RuleForm(
        name="x",
        groups=[
            Group("all", [Row("", "==", " "), Row("lines.quantity", "in", "1, 2,, x")]),
            Group("any", [Row("", "==", "")]),
        ],
        actions=[ActionRow("set_priority", {"priority": " 4 ", "tag": "left over"})],
    )
    body = rule_set([rule])[0]["rules"][0]
    assert body["when"] == {"field": "lines.quantity", "op": "in", "value": [1, 2, "x"]}
    assert body["then"] == [{"action": "set_priority", "priority": 4}]


def test_optional_arguments_left_blank_are_left_out() -> None:
    rule = RuleForm(name="x", actions=[ActionRow("hold", {"reason": "", "note": ""})])
    assert rule_set([rule])[0]["rules"][0]["then"] == [{"action": "hold"}]


def test_a_word_where_a_whole_number_goes_names_the_rule_and_the_input() -> None:
    words = [ActionRow("add_tag", {"tag": "a"}), ActionRow("set_priority", {"priority": "hi"})]
    rule = RuleForm(name="prio", actions=words)
    with pytest.raises(ValidationFailed) as err:
        rule_set([rule])
    assert err.value.details == {"field": "r0.a1.arg.priority"}
    assert err.value.message == "rule 0 ('prio'): priority: a whole number."


def test_a_condition_deeper_than_the_form_is_kept_as_json() -> None:
    deep = {"not": {"any": [{"field": "tags", "op": "contains", "value": "x"}]}}
    raw = {"rules": [{**RULES["rules"][3], "when": deep}]}
    rows = rules_of(raw)
    assert rows[0].when_json is not None and rows[0].groups == []
    assert rule_set(read_form(_fields(rows)))[0] == raw


def test_broken_json_in_a_kept_condition_names_its_input() -> None:
    rule = RuleForm(name="deep", when_json='{"not": ')
    with pytest.raises(ValidationFailed) as err:
        rule_set([rule])
    assert err.value.details == {"field": "r0.when_json"}
    assert err.value.message.startswith("rule 0 ('deep'): the condition is not valid JSON")


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("rules.0.when.all.1.any.0.value.1", "r0.g1.c0.value"),
        ("rules.0.when.all.0.op", "r0.g0.c0.op"),
        ("rules.0.when.all.1.any", "r0.g1"),
        ("rules.0.then.1.reason", "r0.a1.arg.reason"),
        ("rules.0.then.2.action", "r0.a2.action"),
        ("rules.0.then", "r0.actions"),
        ("rules.1.when.op", "r1.g0.c0.op"),
        ("rules.3.when.any.0.value", "r3.g0.c0.value"),
        ("rules.1.trigger", "r1.trigger"),
        ("rules.2.name", "r2.name"),
        ("rules", "rules"),
    ],
)
def test_a_fault_in_the_json_marks_the_input_that_made_it(path: str, expected: str) -> None:
    assert input_of(path, rule_set(rules_of(RULES))[1]) == expected


def test_the_buttons_add_remove_and_move_parts() -> None:
    rows = rules_of(RULES)
    apply_edit(rows, "add_rule")
    assert len(rows) == 5 and rows[4] == RuleForm()
    apply_edit(rows, "up_rule:1")
    assert [r.name for r in rows[:2]] == ["vip", "big first orders"]
    apply_edit(rows, "up_rule:0")  # the first stays first
    assert rows[0].name == "vip"
    apply_edit(rows, "add_row:1.1")
    assert rows[1].groups[1].rows[-1] == Row()
    apply_edit(rows, "down_row:1.1.0")
    assert rows[1].groups[1].rows[1].field == "customer.orders_count"
    apply_edit(rows, "remove_group:1.0")
    assert [g.match for g in rows[1].groups] == ["any"]
    apply_edit(rows, "down_action:1.0")
    assert [a.action for a in rows[1].actions] == ["hold", "add_tag", "set_priority"]
    apply_edit(rows, "remove_action:1.2")
    apply_edit(rows, "add_action:1")
    assert [a.action for a in rows[1].actions] == ["hold", "add_tag", "add_tag"]
    apply_edit(rows, "remove_rule:4")
    assert len(rows) == 4
    assert apply_edit(rows, "refresh") is rows


@pytest.mark.parametrize(
    "command", ["remove_rule:9", "add_row:0", "up_row:0.0.5", "add_row:0.4", "drop_rule:0", ""]
)
def test_a_button_for_a_part_that_is_gone_asks_to_reload(command: str) -> None:
    with pytest.raises(ValidationFailed) as err:
        apply_edit(rules_of(RULES), command)
    assert err.value.details == {"field": "edit"}


def test_the_form_offers_the_models_lists() -> None:
    from podium.web.routes.settings_automation import lists

    offered = lists()
    assert offered["triggers"] == TRIGGERS and offered["fields"] == list(FIELDS)
    assert offered["actions"] == list(ACTIONS)  # route_to and exclude_warehouse too
    assert offered["arguments"]["hold"] == [("reason", False), ("note", False)]
    assert "fraud_review" in offered["choices"]["hold.reason"]


def test_each_field_offers_only_the_ops_it_takes() -> None:
    from podium.web.routes.settings_automation import lists

    ops = lists()["ops_of"]
    assert ops["total"] == ("==", "!=", ">", ">=", "<", "<=", "in", "not_in")
    assert "matches" in ops["customer.email"] and ">" not in ops["tags"]
    assert lists()["example"]["total"] == "150.00"
