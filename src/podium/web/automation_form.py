"""The automation rule editor's form (pure): posted fields read into rows, rows turned into the
rule set ``PUT /api/v1/automation/rules`` takes, and a rule set turned back into rows.

A rule is its name, enabled, trigger, an optional note, a condition and actions. The condition
is a list of groups joined by the rule's ``match`` (``all`` or ``any``), each group a list of
rows (``field``, ``op``, ``value``) joined by the group's own ``match``: ``{"all": [...]}`` of
groups, a group of one row written as the bare test. A condition the form cannot show (a
``not``, groups inside groups) is kept as JSON in the rule's ``when_json`` text. The inputs are
named ``r{rule}.name``, ``r{rule}.g{group}.c{row}.field``, ``r{rule}.a{action}.{argument}``…

``rule_set`` also returns where each part of the JSON came from (``rules.0.when.all.1`` →
``r0.g0.c1``), so a fault the automation model finds deep in the JSON marks the input at fault.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from podium.automation import ACTIONS, FIELDS, WHOLE_NUMBER_ARGUMENTS
from podium.errors import ValidationFailed

__all__ = [
    "MATCHES",
    "ActionRow",
    "Group",
    "Row",
    "RuleForm",
    "input_of",
    "read_form",
    "rule_set",
    "rules_of",
]

MATCHES = ("all", "any")
MAX_VALUE = 10_000
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


# -- rows -> rule set (JSON) -----------------------------------------------------------------


def _fault(where: str, field_name: str, message: str) -> ValidationFailed:
    return ValidationFailed(
        f"{where}: {message}", code="invalid_rule_set", details={"field": field_name}
    )


def _value(row: Row, where: str, name: str) -> Any:
    if len(row.value) > MAX_VALUE:
        raise _fault(where, name, f"a value of at most {MAX_VALUE:,} characters.")
    whole = FIELDS.get(row.field) in ("number", "numbers")

    def one(text: str) -> Any:
        if whole and re.fullmatch(r"-?\d{1,16}", text):
            return int(text)
        return text

    if row.op in ("in", "not_in"):
        return [one(v.strip()) for v in row.value.split(",") if v.strip()]
    return one(row.value.strip())


def _test(row: Row, where: str, prefix: str) -> dict[str, Any]:
    return {"field": row.field, "op": row.op, "value": _value(row, where, f"{prefix}.value")}


def _when(rule: RuleForm, r: int, where: str, paths: dict[str, str]) -> Any:
    base = f"rules.{r}.when"
    if rule.when_json is not None:
        paths[base] = f"r{r}.when_json"
        try:
            return json.loads(rule.when_json) if rule.when_json.strip() else None
        except json.JSONDecodeError as exc:
            message = f"the condition is not valid JSON: {exc.msg} at line {exc.lineno}."
            raise _fault(where, f"r{r}.when_json", message) from None
    groups = []
    for g, group in enumerate(rule.groups):
        rows = [(c, row) for c, row in enumerate(group.rows) if row.field or row.value.strip()]
        if rows:
            groups.append((g, group, rows))
    if not groups:
        return None
    if len(groups) == 1:
        g, group, rows = groups[0]
        if len(rows) == 1:
            paths[base] = f"r{r}.g{g}.c{rows[0][0]}"
            return _test(rows[0][1], where, f"r{r}.g{g}.c{rows[0][0]}")
        paths[base] = f"r{r}.g{g}"
        for i, (c, _) in enumerate(rows):
            paths[f"{base}.{group.match}.{i}"] = f"r{r}.g{g}.c{c}"
        return {group.match: [_test(row, where, f"r{r}.g{g}.c{c}") for c, row in rows]}
    paths[base] = f"r{r}.match"
    parts: list[Any] = []
    for i, (g, group, rows) in enumerate(groups):
        at = f"{base}.{rule.match}.{i}"
        if len(rows) == 1:
            paths[at] = f"r{r}.g{g}.c{rows[0][0]}"
            parts.append(_test(rows[0][1], where, f"r{r}.g{g}.c{rows[0][0]}"))
            continue
        paths[at] = f"r{r}.g{g}"
        for j, (c, _) in enumerate(rows):
            paths[f"{at}.{group.match}.{j}"] = f"r{r}.g{g}.c{c}"
        parts.append({group.match: [_test(row, where, f"r{r}.g{g}.c{c}") for c, row in rows]})
    return {rule.match: parts}


def _then(rule: RuleForm, r: int, where: str, paths: dict[str, str]) -> list[dict[str, Any]]:
    then = []
    for a, act in enumerate(rule.actions):
        paths[f"rules.{r}.then.{a}"] = f"r{r}.a{a}"
        body: dict[str, Any] = {"action": act.action}
        takes = ACTIONS.get(act.action, {})
        for name, text in act.args.items():
            if name not in takes or not text.strip():
                continue  # an argument of another action, or an optional one left blank
            value: Any = text.strip() if name != "note" else text
            if (act.action, name) in WHOLE_NUMBER_ARGUMENTS:
                if not re.fullmatch(r"-?\d{1,6}", value):
                    raise _fault(where, f"r{r}.a{a}.arg.{name}", f"{name}: a whole number.")
                value = int(value)
            body[name] = value
        then.append(body)
    return then


def rule_set(rules: list[RuleForm]) -> tuple[dict[str, Any], dict[str, str]]:
    """The rule set the rows say, and where each part of it came from (JSON path prefix →
    input name). A value that cannot be read (a word where a whole number goes) is a
    ``ValidationFailed`` naming the rule and the input; the rest is for the automation model to
    check."""
    paths: dict[str, str] = {}
    out = []
    for r, rule in enumerate(rules):
        where = f"rule {r}" + (f" ({rule.name!r})" if rule.name else "")
        body: dict[str, Any] = {"name": rule.name, "enabled": rule.enabled}
        body["trigger"] = rule.trigger
        when = _when(rule, r, where, paths)
        if when is not None:
            body["when"] = when
        body["then"] = _then(rule, r, where, paths)
        if rule.note:
            body["note"] = rule.note
        for key in ("name", "enabled", "trigger", "note"):
            paths[f"rules.{r}.{key}"] = f"r{r}.{key}"
        paths[f"rules.{r}.then"] = f"r{r}.actions"
        paths[f"rules.{r}"] = f"r{r}.name"
        out.append(body)
    return {"rules": out}, paths


def input_of(path: str, paths: Mapping[str, str]) -> str:
    """The input at fault for a JSON path the model named (``rules.0.when.all.1.op`` →
    ``r0.g0.c1.op``): the longest known prefix, and the input under it."""
    parts = path.split(".")
    for cut in range(len(parts), 0, -1):
        known = paths.get(".".join(parts[:cut]))
        if known is None:
            continue
        rest = parts[cut:]
        if not rest:
            return known
        if re.search(r"\.a\d+$", known):
            return f"{known}.action" if rest[0] == "action" else f"{known}.arg.{rest[0]}"
        if re.search(r"\.c\d+$", known):
            return f"{known}.{rest[0]}"
        return known
    return "rules"
