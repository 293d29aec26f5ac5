"""The automation rule editor's form (pure): posted fields read into rows, rows turned into the
rule set ``PUT /api/v1/automation/rules`` takes, and a rule set turned back into rows.

A rule is its name, enabled, trigger, an optional note, a condition and actions. The condition
is a list of groups joined by the rule's ``match`` (``all`` or ``any``), each group a list of
rows (``field``, ``op``, ``value``) joined by the group's own ``match``: ``{"all": [...]}`` of
groups, a group of one row written as the bare test. A condition the form cannot show (a
``not``, groups inside groups) is kept as JSON in the rule's ``when_json`` text. The inputs are
named ``r{rule}.name``, ``r{rule}.g{group}.c{row}.field``, ``r{rule}.a{action}.{argument}``…

``web.automation_rule_set`` turns the rows into the rule set.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["MATCHES", "ActionRow", "Group", "Row", "RuleForm", "read_form", "rules_of"]

MATCHES = ("all", "any")
_NAME = re.compile(r"r(\d{1,3})\.(.+)")
_PART = re.compile(r"([gca])(\d{1,3})\.(.+)")


@dataclass
class Row:
    field: str = ""
    op: str = "=="
    value: str = ""


@dataclass
class Group:
    match: str = "all"
    rows: list[Row] = field(default_factory=lambda: [Row()])


@dataclass
class ActionRow:
    action: str = "add_tag"
    args: dict[str, str] = field(default_factory=dict)


@dataclass
class RuleForm:
    name: str = ""
    enabled: bool = True
    trigger: str = "order.placed"
    note: str = ""
    match: str = "all"
    groups: list[Group] = field(default_factory=list)
    actions: list[ActionRow] = field(default_factory=lambda: [ActionRow()])
    when_json: str | None = None  # a condition the rows cannot show, as JSON


# -- rule set (JSON) -> rows -----------------------------------------------------------------


def _shown(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(_shown(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _row(raw: Any) -> Row | None:
    if not isinstance(raw, dict) or set(raw) - {"field", "op", "value"}:
        return None
    if not isinstance(raw.get("field"), str) or not isinstance(raw.get("op"), str):
        return None
    return Row(raw["field"], raw["op"], _shown(raw.get("value", "")))


def _group(raw: Any) -> Group | None:
    """A test (a group of one row) or ``all``/``any`` of tests; None for anything deeper."""
    single = _row(raw)
    if single is not None:
        return Group("all", [single])
    if not isinstance(raw, dict) or len(raw) != 1:
        return None
    match, parts = next(iter(raw.items()))
    if match not in MATCHES or not isinstance(parts, list) or not parts:
        return None
    rows = [_row(p) for p in parts]
    return None if any(r is None for r in rows) else Group(match, [r for r in rows if r])


def _condition(raw: Any) -> tuple[str, list[Group]] | None:
    if raw is None:
        return "all", []
    alone = _row(raw)
    if alone is not None:
        return "all", [Group("all", [alone])]
    if not isinstance(raw, dict) or len(raw) != 1:
        return None
    match, parts = next(iter(raw.items()))
    if match not in MATCHES or not isinstance(parts, list) or not parts:
        return None
    if all(_row(p) is not None for p in parts):  # one group: all/any of tests
        return "all", [Group(match, [r for r in map(_row, parts) if r])]
    groups = [_group(p) for p in parts]
    return None if any(g is None for g in groups) else (match, [g for g in groups if g])


def _action_row(raw: Any) -> ActionRow:
    if not isinstance(raw, dict):
        return ActionRow("", {})
    args = {k: _shown(v) for k, v in raw.items() if k != "action"}
    return ActionRow(str(raw.get("action", "")), args)


def rules_of(raw: Mapping[str, Any]) -> list[RuleForm]:
    """A saved rule set as the form's rows."""
    found: list[RuleForm] = []
    for rule in raw.get("rules") or []:
        if not isinstance(rule, dict):
            continue
        when = rule.get("when")
        condition = _condition(when)
        match, groups = condition or ("all", [])
        then = rule.get("then")
        found.append(
            RuleForm(
                name=str(rule.get("name", "")),
                enabled=rule.get("enabled", True) is not False,
                trigger=str(rule.get("trigger", "")),
                note=str(rule.get("note") or ""),
                match=match,
                groups=groups,
                actions=[_action_row(a) for a in then] if isinstance(then, list) else [],
                when_json=None if condition else json.dumps(when, indent=2),
            )
        )
    return found


# -- posted fields -> rows -------------------------------------------------------------------


def _at(items: dict[int, Any], index: int, make: Any) -> Any:
    if index not in items:
        items[index] = make()
    return items[index]


def _ordered(items: dict[int, Any]) -> list[Any]:
    return [items[i] for i in sorted(items)]


def read_form(posted: Mapping[str, str]) -> list[RuleForm]:
    """The rows as posted (nothing checked yet: ``rule_set`` checks). Rules, groups, rows and
    actions come in the order of their numbers, so a form may number them with gaps."""
    rules: dict[int, dict[str, Any]] = {}
    for name, value in posted.items():
        whole = _NAME.fullmatch(name)
        if whole is None:
            continue
        rule = _at(rules, int(whole[1]), lambda: {"groups": {}, "actions": {}, "fields": {}})
        rest = whole[2]
        part = _PART.fullmatch(rest)
        if part is None:
            rule["fields"][rest] = value
        elif part[1] == "a":
            act = _at(rule["actions"], int(part[2]), lambda: ActionRow("", {}))
            if part[3] == "action":
                act.action = value
            elif part[3].startswith("arg."):
                act.args[part[3][4:]] = value
        elif part[1] == "g":
            group = _at(rule["groups"], int(part[2]), lambda: {"match": "all", "rows": {}})
            inner = _PART.fullmatch(part[3])
            if inner is None:
                if part[3] == "match":
                    group["match"] = value
            elif inner[1] == "c" and inner[3] in ("field", "op", "value"):
                row = _at(group["rows"], int(inner[2]), lambda: Row("", "", ""))
                setattr(row, inner[3], value)
    found = []
    for rule in _ordered(rules):
        fields = rule["fields"]
        groups = [Group(g["match"], _ordered(g["rows"])) for g in _ordered(rule["groups"])]
        found.append(
            RuleForm(
                name=fields.get("name", "").strip(),
                enabled="enabled" in fields,
                trigger=fields.get("trigger", ""),
                note=fields.get("note", "").strip(),
                match=fields.get("match", "all"),
                groups=groups,
                actions=_ordered(rule["actions"]),
                when_json=fields.get("when_json"),
            )
        )
    return found
