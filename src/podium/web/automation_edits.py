"""The rule editor's buttons (pure): add, remove and move a rule, a group of conditions, a
condition row or an action, on the rows as posted; the page then shows the rows again.

A button posts ``edit`` as ``<verb>_<part>:<where>``: ``add_rule``, ``remove_rule:2``,
``up_action:0.1``, ``add_row:0.1`` (rule 0, group 1), ``down_row:0.1.2``… ``refresh`` changes
nothing (it shows the arguments of a newly picked action)."""

from __future__ import annotations

import re
from typing import Any

from podium.errors import ValidationFailed
from podium.web.automation_form import ActionRow, Group, Row, RuleForm

__all__ = ["apply_edit"]

_EDIT = re.compile(r"(add|remove|up|down)_(rule|group|row|action)(?::(\d{1,3}(?:\.\d{1,3}){0,2}))?")
_DEPTH = {"rule": 0, "group": 1, "row": 2, "action": 1}  # indices naming the list's owner


def _stale() -> ValidationFailed:
    return ValidationFailed(
        "The form changed under this button; reload the page.", details={"field": "edit"}
    )


def _items(rules: list[RuleForm], part: str, owner: list[int]) -> list[Any]:
    try:
        if part == "rule":
            return rules
        rule = rules[owner[0]]
        if part == "action":
            return rule.actions
        if part == "group":
            return rule.groups
        return rule.groups[owner[1]].rows
    except IndexError:
        raise _stale() from None


def _new(part: str) -> Any:
    made: dict[str, Any] = {"rule": RuleForm, "group": Group, "row": Row, "action": ActionRow}
    return made[part]()


def apply_edit(rules: list[RuleForm], command: str) -> list[RuleForm]:
    """``rules`` changed as the button ``command`` says (in place, and returned)."""
    if command == "refresh":
        return rules
    found = _EDIT.fullmatch(command)
    if found is None:
        raise _stale()
    verb, part = found[1], found[2]
    at = [int(i) for i in found[3].split(".")] if found[3] else []
    depth = _DEPTH[part]
    if len(at) != depth + (verb != "add"):
        raise _stale()
    items = _items(rules, part, at[:depth])
    if verb == "add":
        items.append(_new(part))
        return rules
    index = at[depth]
    if not 0 <= index < len(items):
        raise _stale()
    if verb == "remove":
        del items[index]
    else:
        other = index - 1 if verb == "up" else index + 1
        if 0 <= other < len(items):
            items[index], items[other] = items[other], items[index]
    return rules
