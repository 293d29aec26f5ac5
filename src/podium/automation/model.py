"""Automation rule sets (pure): reading and checking one, and deciding what it does to an order.

``{"rules": [{"name", "enabled", "trigger", "when", "then"}]}``, evaluated in order: every
enabled rule of the trigger whose ``when`` holds fires its ``then`` actions. Rules see the
order's facts as they were when the event arrived, plus the tags earlier rules added or took
off (so a later rule can test a tag an earlier one set).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from podium.automation.conditions import Condition, Invalid, read_condition
from podium.orders import RESERVED_TAG_PREFIXES

__all__ = [
    "ACTIONS",
    "HOLD_REASONS",
    "TRIGGERS",
    "WIRED_TRIGGERS",
    "Action",
    "Firing",
    "Rule",
    "RuleSet",
    "evaluate",
    "read_rule_set",
]

TRIGGERS = (
    "order.placed",
    "order.updated",
    "payment.changed",
    "shipment.late",
    "return.received",
    "stock.low",
)
# The triggers an event fires today; the others are accepted and fire nothing yet.
WIRED_TRIGGERS = ("order.placed", "order.updated", "payment.changed", "return.received")
HOLD_REASONS = ("manual", "fraud_review", "address", "payment", "risk")
SERVICE_LEVELS = ("standard", "express", "next_day")
MAX_RULES = 200
MAX_ACTIONS = 20
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9 _.:/-]{0,99}")
_TAG = re.compile(r"[^\s\x00-\x1f\x7f](?:[^\x00-\x1f\x7f]{0,62}[^\s\x00-\x1f\x7f])?")
_PRINTABLE = re.compile(r"[^\x00-\x08\x0b-\x1f\x7f]{1,500}")
_EVENT = re.compile(r"[a-z][a-z0-9_.]{0,63}")

# action -> its arguments: (name, required, checker) ; a checker returns an error or None
_Check = Any


def _text(pattern: re.Pattern[str], what: str) -> _Check:
    def check(v: Any) -> str | None:
        ok = isinstance(v, str) and pattern.fullmatch(v) is not None
        return None if ok else what

    return check


def _one_of(options: Sequence[str]) -> _Check:
    return lambda v: None if v in options else f"one of {', '.join(options)}"


def _note(v: Any) -> str | None:
    ok = isinstance(v, str) and _PRINTABLE.fullmatch(v) is not None
    return None if ok else "a text of 1 to 500 characters without control characters"


def _priority(v: Any) -> str | None:
    ok = isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 9
    return None if ok else "a whole number from 0 to 9"


def _tag(v: Any) -> str | None:
    if not isinstance(v, str) or _TAG.fullmatch(v) is None:
        return "a tag of 1 to 64 characters"
    if v.startswith(RESERVED_TAG_PREFIXES):
        return f"tags starting {', '.join(RESERVED_TAG_PREFIXES)} are Podium's own"
    return None


_TAG_CHECK = _tag
_CODE = _text(re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}"), "a warehouse code")
ACTIONS: dict[str, dict[str, tuple[bool, _Check]]] = {
    "add_tag": {"tag": (True, _TAG_CHECK)},
    "remove_tag": {"tag": (True, _TAG_CHECK)},
    "hold": {"reason": (False, _one_of(HOLD_REASONS)), "note": (False, _note)},
    "release": {"reason": (False, _one_of(HOLD_REASONS))},
    "set_priority": {"priority": (True, _priority)},
    "set_service_level": {"service_level": (True, _one_of(SERVICE_LEVELS))},
    "notify": {"event": (True, _text(_EVENT, "an event name such as vip.order"))},
    "cancel": {"reason": (False, _note)},
    "route_to": {"warehouse": (True, _CODE)},
    "exclude_warehouse": {"warehouse": (True, _CODE)},
}


@dataclass(frozen=True, slots=True)
class Action:
    kind: str
    args: Mapping[str, Any]

    def describe(self) -> str:
        said = ", ".join(f"{k}={v}" for k, v in self.args.items())
        return f"{self.kind}({said})" if said else self.kind


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    enabled: bool
    trigger: str
    when: Condition | None
    then: tuple[Action, ...]
    # (add_tag | remove_tag, tag) of ``then``, in order: what later rules see change
    tags: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class RuleSet:
    rules: tuple[Rule, ...] = ()
    raw: Mapping[str, Any] = field(default_factory=lambda: {"rules": []})


@dataclass(frozen=True, slots=True)
class Firing:
    """One rule that fired: its index, name and actions (in order)."""

    index: int
    rule: str
    actions: tuple[Action, ...]


def _action(raw: Any, path: str) -> Action:
    if not isinstance(raw, Mapping) or not isinstance(raw.get("action"), str):
        raise Invalid(
            f"{path}.action", f"an action is an object naming one of {', '.join(ACTIONS)}"
        )
    kind = raw["action"]
    spec = ACTIONS.get(kind)
    if spec is None:
        raise Invalid(f"{path}.action", f"unknown action {kind!r}; one of {', '.join(ACTIONS)}")
    args: dict[str, Any] = {}
    for name, value in raw.items():
        if name == "action":
            continue
        if name not in spec:
            raise Invalid(f"{path}.{name}", f"{kind} takes {', '.join(spec) or 'nothing'}")
        why = spec[name][1](value)
        if why is not None:
            raise Invalid(f"{path}.{name}", why)
        args[name] = value
    for name, (required, _) in spec.items():
        if required and name not in args:
            raise Invalid(f"{path}.{name}", f"{kind} needs {name}")
    return Action(kind, args)


def _rule(raw: Any, path: str, seen: set[str]) -> Rule:
    if not isinstance(raw, Mapping):
        raise Invalid(path, "a rule is an object")
    extra = set(raw) - {"name", "enabled", "trigger", "when", "then", "note"}
    if extra:
        raise Invalid(f"{path}.{sorted(extra)[0]}", "unknown rule field")
    name = raw.get("name")
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise Invalid(f"{path}.name", "a name of 1 to 100 letters, digits, spaces or _.:/-")
    if name in seen:
        raise Invalid(f"{path}.name", f"two rules are named {name!r}")
    seen.add(name)
    enabled = raw.get("enabled", True)
    if not isinstance(enabled, bool):
        raise Invalid(f"{path}.enabled", "enabled is true or false")
    trigger = raw.get("trigger")
    if trigger not in TRIGGERS:
        raise Invalid(f"{path}.trigger", f"one of {', '.join(TRIGGERS)}")
    when = raw.get("when")
    condition = None if when is None else read_condition(when, f"{path}.when")
    then = raw.get("then")
    if not isinstance(then, list) or not 0 < len(then) <= MAX_ACTIONS:
        raise Invalid(f"{path}.then", f"then takes a list of 1 to {MAX_ACTIONS} actions")
    actions = tuple(_action(a, f"{path}.then.{i}") for i, a in enumerate(then))
    tags = tuple((a.kind, a.args["tag"]) for a in actions if a.kind in ("add_tag", "remove_tag"))
    return Rule(name, enabled, trigger, condition, actions, tags)


def read_rule_set(raw: Any) -> RuleSet:
    """``raw`` (JSON) read and checked; ``Invalid.path`` names the rule and field at fault
    (``rules.2.when.all.0.op``)."""
    if not isinstance(raw, Mapping) or set(raw) - {"rules"}:
        raise Invalid("rules", 'a rule set is {"rules": [...]}')
    rules = raw.get("rules", [])
    if not isinstance(rules, list) or len(rules) > MAX_RULES:
        raise Invalid("rules", f"rules is a list of at most {MAX_RULES} rules")
    seen: set[str] = set()
    read = tuple(_rule(r, f"rules.{i}", seen) for i, r in enumerate(rules))
    return RuleSet(read, {"rules": list(rules)})


def evaluate(rules: RuleSet, trigger: str, facts: Mapping[str, Any]) -> list[Firing]:
    """The rules that fire for ``trigger`` over ``facts``, in order (pure, deterministic).
    ``add_tag``/``remove_tag`` of a rule that fired change the tags later rules see."""
    seen: Mapping[str, Any] = facts
    tags: list[Any] | None = None  # the tags as fired rules left them (copied on first change)
    fired: list[Firing] = []
    for index, rule in enumerate(rules.rules):
        if not rule.enabled or rule.trigger != trigger:
            continue
        if rule.when is not None and not rule.when.check(seen):
            continue
        fired.append(Firing(index, rule.name, rule.then))
        if rule.tags:
            if tags is None:
                tags = list(facts.get("tags") or [])
                seen = {**facts, "tags": tags}
            for kind, tag in rule.tags:
                if kind == "add_tag" and tag not in tags:
                    tags.append(tag)
                elif kind == "remove_tag" and tag in tags:
                    tags.remove(tag)
    return fired
