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

from podium.automation.conditions import (
    FIELDS,
    SHIPMENT_FIELDS,
    STOCK_FIELDS,
    Condition,
    Invalid,
    read_condition,
)
from podium.orders import RESERVED_TAG_PREFIXES

__all__ = [
    "ACTIONS",
    "ARGUMENT_CHOICES",
    "HOLD_REASONS",
    "SERVICE_LEVELS",
    "TRIGGERS",
    "WHOLE_NUMBER_ARGUMENTS",
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
# The triggers that fire (all of them; kept for the API's sake).
WIRED_TRIGGERS = TRIGGERS
# The facts each trigger's conditions may test: an order's, a late shipment's order and the
# shipment, or one SKU at one warehouse.
FIELDS_OF: dict[str, Mapping[str, str]] = {
    **{t: FIELDS for t in TRIGGERS},
    "shipment.late": {**FIELDS, **SHIPMENT_FIELDS},
    "stock.low": STOCK_FIELDS,
}
# stock.low has no order: only these actions make sense for it.
STOCK_ACTIONS = ("notify",)
DEFAULT_LOW_STOCK = 5
MAX_THRESHOLD = 1_000_000
HOLD_REASONS = ("manual", "fraud_review", "address", "payment", "risk")
SERVICE_LEVELS = ("standard", "express", "next_day")
MAX_RULES = 200
MAX_ACTIONS = 20
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9 _.:/-]{0,99}")
_TAG = re.compile(r"[^\s\x00-\x1f\x7f](?:[^\x00-\x1f\x7f]{0,62}[^\s\x00-\x1f\x7f])?")
_PRINTABLE = re.compile(r"[^\x00-\x08\x0b-\x1f\x7f]{1,500}")
_EVENT = re.compile(r"[a-z][a-z0-9_.]{0,63}")
_TEMPLATE = re.compile(r"[a-z][a-z0-9_]{0,63}")
_ADDRESS = re.compile(r"[^@\s<>,;\x00-\x1f]{1,64}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")

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


def _recipient(v: Any) -> str | None:
    ok = v == "customer" or (isinstance(v, str) and _ADDRESS.fullmatch(v) is not None)
    return None if ok else '"customer" or an e-mail address'


_TAG_CHECK = _tag
_CODE = _text(re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}"), "a warehouse code")
ACTIONS: dict[str, dict[str, tuple[bool, _Check]]] = {
    "add_tag": {"tag": (True, _TAG_CHECK)},
    "remove_tag": {"tag": (True, _TAG_CHECK)},
    "hold": {"reason": (False, _one_of(HOLD_REASONS)), "note": (False, _note)},
    "release": {"reason": (False, _one_of(HOLD_REASONS))},
    "set_priority": {"priority": (True, _priority)},
    "set_service_level": {"service_level": (True, _one_of(SERVICE_LEVELS))},
    "notify": {
        "event": (False, _text(_EVENT, "an event name such as vip.order")),
        "email_template": (False, _text(_TEMPLATE, "a template name such as order_update")),
        "to": (False, _recipient),
    },
    "cancel": {"reason": (False, _note)},
    "route_to": {"warehouse": (True, _CODE)},
    "exclude_warehouse": {"warehouse": (True, _CODE)},
}
# For editors (the dashboard's form): the arguments picked from a list, and those that are
# whole numbers; every other argument is a text.
ARGUMENT_CHOICES: dict[tuple[str, str], tuple[str, ...]] = {
    ("hold", "reason"): HOLD_REASONS,
    ("release", "reason"): HOLD_REASONS,
    ("set_service_level", "service_level"): SERVICE_LEVELS,
}
WHOLE_NUMBER_ARGUMENTS = frozenset({("set_priority", "priority")})


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
    # stock.low: the available units at or below which a SKU is low at a warehouse
    low_stock: int = DEFAULT_LOW_STOCK
    low_stock_by_sku: Mapping[str, int] = field(default_factory=dict)

    def threshold(self, sku: str) -> int:
        return self.low_stock_by_sku.get(sku, self.low_stock)

    def listens(self, trigger: str) -> bool:
        return any(r.enabled and r.trigger == trigger for r in self.rules)


@dataclass(frozen=True, slots=True)
class Firing:
    """One rule that fired: its index, name and actions (in order)."""

    index: int
    rule: str
    actions: tuple[Action, ...]


def _action(raw: Any, path: str, trigger: str) -> Action:
    if not isinstance(raw, Mapping) or not isinstance(raw.get("action"), str):
        raise Invalid(
            f"{path}.action", f"an action is an object naming one of {', '.join(ACTIONS)}"
        )
    kind = raw["action"]
    spec = ACTIONS.get(kind)
    if spec is None:
        raise Invalid(f"{path}.action", f"unknown action {kind!r}; one of {', '.join(ACTIONS)}")
    if trigger == "stock.low" and kind not in STOCK_ACTIONS:
        raise Invalid(
            f"{path}.action",
            f"{kind} acts on an order; stock.low rules have no order and may only "
            + ", ".join(STOCK_ACTIONS),
        )
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
    if kind == "notify":
        _check_notify(args, path, trigger)
    return Action(kind, args)


def _check_notify(args: Mapping[str, Any], path: str, trigger: str) -> None:
    """A webhook event or an e-mail, not both; an e-mail says to whom. A stock.low event may
    also go by e-mail (the low-stock alert) to the address in ``to``."""
    if ("event" in args) == ("email_template" in args):
        raise Invalid(f"{path}.event", "notify takes an event (webhook) or an email_template")
    if "email_template" in args:
        if trigger == "stock.low":
            raise Invalid(f"{path}.email_template", "stock.low rules notify by webhook event")
        if "to" not in args:
            raise Invalid(f"{path}.to", 'an e-mail needs to: "customer" or an address')
    elif "to" in args:
        if trigger != "stock.low":
            raise Invalid(f"{path}.to", "to is for an e-mail (email_template)")
        if args["to"] == "customer":
            raise Invalid(f"{path}.to", "stock.low has no customer: give an e-mail address")


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
    fields = FIELDS_OF[trigger]
    condition = None if when is None else read_condition(when, f"{path}.when", 0, fields)
    then = raw.get("then")
    if not isinstance(then, list) or not 0 < len(then) <= MAX_ACTIONS:
        raise Invalid(f"{path}.then", f"then takes a list of 1 to {MAX_ACTIONS} actions")
    actions = tuple(_action(a, f"{path}.then.{i}", trigger) for i, a in enumerate(then))
    tags = tuple((a.kind, a.args["tag"]) for a in actions if a.kind in ("add_tag", "remove_tag"))
    return Rule(name, enabled, trigger, condition, actions, tags)


def read_rule_set(raw: Any) -> RuleSet:
    """``raw`` (JSON) read and checked; ``Invalid.path`` names the rule and field at fault
    (``rules.2.when.all.0.op``)."""
    if not isinstance(raw, Mapping) or set(raw) - {"rules", "stock_thresholds"}:
        raise Invalid("rules", 'a rule set is {"rules": [...], "stock_thresholds"?: {...}}')
    rules = raw.get("rules", [])
    if not isinstance(rules, list) or len(rules) > MAX_RULES:
        raise Invalid("rules", f"rules is a list of at most {MAX_RULES} rules")
    seen: set[str] = set()
    read = tuple(_rule(r, f"rules.{i}", seen) for i, r in enumerate(rules))
    thresholds = raw.get("stock_thresholds")
    default, by_sku = _thresholds(thresholds)
    kept: dict[str, Any] = {"rules": list(rules)}
    if thresholds is not None:
        kept["stock_thresholds"] = thresholds
    return RuleSet(read, kept, default, by_sku)


def _count(v: Any, path: str) -> int:
    if isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= MAX_THRESHOLD:
        return v
    raise Invalid(path, f"a whole number from 0 to {MAX_THRESHOLD}")


def _thresholds(raw: Any) -> tuple[int, dict[str, int]]:
    """``{"default": 5, "skus": {"TEE": 10}}``: when stock.low fires (available at or below)."""
    path = "stock_thresholds"
    if raw is None:
        return DEFAULT_LOW_STOCK, {}
    if not isinstance(raw, Mapping) or set(raw) - {"default", "skus"}:
        raise Invalid(path, 'stock_thresholds is {"default"?: N, "skus"?: {"SKU": N}}')
    default = _count(raw.get("default", DEFAULT_LOW_STOCK), f"{path}.default")
    skus = raw.get("skus", {})
    if not isinstance(skus, Mapping) or len(skus) > 10_000:
        raise Invalid(f"{path}.skus", "skus maps at most 10,000 SKUs to their threshold")
    return default, {str(k): _count(v, f"{path}.skus.{k}") for k, v in skus.items()}


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
