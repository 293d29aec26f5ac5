"""The rule editor's rows turned into the rule set ``PUT /api/v1/automation/rules`` takes
(pure), with where each part of the JSON came from (``rules.0.when.all.1`` → ``r0.g0.c1``),
so a fault the automation model finds deep in the JSON marks the input that made it.

One group of one row is written as the bare test, one group as ``{"all"|"any": [tests]}``,
several as the rule's ``match`` of them; blank rows and empty groups are left out, and a rule
without rows has no ``when`` (it fires on every order of its trigger)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from podium.automation import ACTIONS, FIELDS, WHOLE_NUMBER_ARGUMENTS
from podium.errors import ValidationFailed
from podium.web.automation_form import Row, RuleForm

__all__ = ["MAX_VALUE", "input_of", "rule_set"]

MAX_VALUE = 10_000


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
