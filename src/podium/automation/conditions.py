"""Conditions of automation rules: a JSON tree read into frozen dataclasses, evaluated over
an order's facts (pure; never ``eval``).

A condition is ``{"all": [...]}``, ``{"any": [...]}``, ``{"not": {...}}`` or a test
``{"field", "op", "value"}``. Each field has a kind that decides the ops and values it takes:

- ``money`` (``total``, ``subtotal``): a decimal string in the order's currency (``"150.00"``),
  compared as a Decimal: ``== != > >= < <= in not_in``;
- ``number`` (``customer.orders_count``, ``risk.score``): an integer, the same ops;
- ``text`` (``currency``, ``channel``, ``customer.email``, addresses, ``payment_status``…):
  every op; ``== != in not_in contains starts_with`` ignore case, ``> >= < <=`` compare the
  text, ``matches`` is a regular expression from a safe subset (see ``safe_pattern``);
- ``texts`` (``tags``, ``lines.sku``) and ``numbers`` (``lines.quantity``): a list; a test holds
  when it holds for any element (``contains``: the list has the value), and ``!=`` / ``not_in``
  hold when no element is equal / in the list.

A field the order lacks (no e-mail, no risk score yet) makes every test on it false.
"""

from __future__ import annotations

import dataclasses
import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

__all__ = [
    "FIELDS",
    "OPS",
    "SHIPMENT_FIELDS",
    "STOCK_FIELDS",
    "All",
    "AnyOf",
    "Condition",
    "Invalid",
    "Not",
    "Test",
    "holds",
    "ops_of",
    "read_condition",
    "safe_pattern",
]

MONEY, NUMBER, TEXT, TEXTS, NUMBERS = "money", "number", "text", "texts", "numbers"
_ADDRESS = ("country", "region", "postal_code", "city")
FIELDS: dict[str, str] = {
    "total": MONEY,
    "subtotal": MONEY,
    "currency": TEXT,
    "channel": TEXT,
    "status": TEXT,
    "payment_status": TEXT,
    "service_level": TEXT,
    "tags": TEXTS,
    "customer.email": TEXT,
    "customer.orders_count": NUMBER,
    **{f"shipping_address.{p}": TEXT for p in _ADDRESS},
    **{f"billing_address.{p}": TEXT for p in _ADDRESS},
    "lines.sku": TEXTS,
    "lines.quantity": NUMBERS,
    "risk.score": NUMBER,
    "risk.level": TEXT,
}
# What a ``stock.low`` rule sees: one SKU at one warehouse, no order.
STOCK_FIELDS: dict[str, str] = {
    "sku": TEXT,
    "warehouse": TEXT,
    "available": NUMBER,
    "on_hand": NUMBER,
    "reserved": NUMBER,
    "threshold": NUMBER,
}
# What a ``shipment.late`` rule sees besides the order's facts: the late shipment.
SHIPMENT_FIELDS: dict[str, str] = {
    "shipment.warehouse": TEXT,
    "shipment.carrier": TEXT,
    "shipment.status": TEXT,
    "shipment.days_late": NUMBER,
}
OPS = ("==", "!=", ">", ">=", "<", "<=", "in", "not_in", "contains", "starts_with", "matches")
_ORDERED = {"==", "!=", ">", ">=", "<", "<=", "in", "not_in"}
_OPS_OF = {
    MONEY: _ORDERED,
    NUMBER: _ORDERED,
    NUMBERS: _ORDERED,
    TEXT: set(OPS),
    TEXTS: {"==", "!=", "in", "not_in", "contains", "starts_with", "matches"},
}
MAX_DEPTH = 8


def ops_of(field: str) -> tuple[str, ...]:
    """The ops a field takes, in ``OPS`` order (every op for a field not known)."""
    kind = FIELDS.get(field)
    return OPS if kind is None else tuple(o for o in OPS if o in _OPS_OF[kind])


MAX_PATTERN = 200
MAX_SUBJECT = 1000  # a regular expression reads at most this much of a value


class Invalid(ValueError):
    """A rule set that cannot be read: ``path`` names the field at fault (``when.all.0.op``)."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message


Check = Callable[[Mapping[str, Any]], bool]


@dataclass(frozen=True, slots=True)
class Test:
    field: str
    op: str
    value: Any  # Decimal, int, str, re.Pattern, or a tuple of these for in/not_in
    check: Check = dataclasses.field(compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class All:
    parts: tuple[Condition, ...]
    check: Check = dataclasses.field(compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class AnyOf:
    parts: tuple[Condition, ...]
    check: Check = dataclasses.field(compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class Not:
    part: Condition
    check: Check = dataclasses.field(compare=False, repr=False)


Condition = Test | All | AnyOf | Not


def safe_pattern(pattern: str) -> str | None:
    """Why ``pattern`` is refused, or None. The safe subset has no look-arounds, no
    back-references and no repeated group that itself repeats or alternates (``(a+)+``,
    ``(a|aa)*``), the shapes that backtrack for ever; it is at most 200 characters."""
    if len(pattern) > MAX_PATTERN:
        return f"a pattern is at most {MAX_PATTERN} characters"
    if re.search(r"\(\?<?[=!]|\\[1-9]|\(\?P=", pattern):
        return "look-arounds and back-references are not allowed"
    risky: list[bool] = []  # per open group: it contains a repeat or an alternation
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":  # a character class: skip to its end
            j = i + 1
            if j < len(pattern) and pattern[j] == "^":
                j += 1
            if j < len(pattern) and pattern[j] == "]":
                j += 1
            while j < len(pattern) and pattern[j] != "]":
                j += 2 if pattern[j] == "\\" else 1
            i = j + 1
            continue
        if c == "(":
            risky.append(False)
        elif c == ")" and risky:
            inner = risky.pop()
            repeated = i + 1 < len(pattern) and pattern[i + 1] in "*+?{"
            if inner and repeated:
                return "a repeated group may not itself repeat or alternate (e.g. (a+)+)"
            if risky:
                risky[-1] = risky[-1] or inner or repeated
        elif c in "*+{|" and risky:
            risky[-1] = True
        i += 1
    try:
        re.compile(pattern)
    except re.error as exc:
        return f"not a regular expression: {exc}"
    return None


def _money(raw: Any, path: str) -> Decimal:
    if not isinstance(raw, str) or not re.fullmatch(r"-?\d{1,15}(\.\d{1,4})?", raw):
        raise Invalid(path, 'money is a decimal string such as "150.00"')
    try:
        return Decimal(raw)
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
        raise Invalid(path, "not a decimal amount") from None


def _scalar(kind: str, op: str, raw: Any, path: str) -> Any:
    if kind == MONEY:
        return _money(raw, path)
    if kind in (NUMBER, NUMBERS):
        if isinstance(raw, bool) or not isinstance(raw, int) or abs(raw) > 2**53:
            raise Invalid(path, "this field compares with a whole number")
        return raw
    if not isinstance(raw, str) or not 0 < len(raw) <= 500:
        raise Invalid(path, "this field compares with a text of 1 to 500 characters")
    if op == "matches":
        why = safe_pattern(raw)
        if why is not None:
            raise Invalid(path, why)
        return re.compile(raw)
    return raw if op in (">", ">=", "<", "<=") else raw.casefold()


def _test(raw: Mapping[str, Any], path: str, fields: Mapping[str, str]) -> Test:
    extra = set(raw) - {"field", "op", "value"}
    if extra:
        raise Invalid(f"{path}.{sorted(extra)[0]}", "a test has only field, op and value")
    field, op = raw.get("field"), raw.get("op")
    if not isinstance(field, str) or field not in fields:
        raise Invalid(f"{path}.field", f"unknown field {field!r}; one of {', '.join(fields)}")
    kind = fields[field]
    if op not in _OPS_OF[kind]:
        allowed = " ".join(o for o in OPS if o in _OPS_OF[kind])
        raise Invalid(f"{path}.op", f"{field} takes the ops {allowed}")
    if "value" not in raw:
        raise Invalid(f"{path}.value", "a test needs a value")
    value = raw["value"]
    if op in ("in", "not_in"):
        if not isinstance(value, list) or not 0 < len(value) <= 500:
            raise Invalid(f"{path}.value", f"{op} takes a list of 1 to 500 values")
        items = tuple(_scalar(kind, op, v, f"{path}.value.{i}") for i, v in enumerate(value))
        return Test(field, op, items, _compile(field, kind, op, items))
    want = _scalar(kind, op, value, f"{path}.value")
    return Test(field, op, want, _compile(field, kind, op, want))


def read_condition(
    raw: Any, path: str = "when", depth: int = 0, fields: Mapping[str, str] = FIELDS
) -> Condition:
    """The condition tree ``raw`` (JSON) read and checked; ``Invalid`` names the path.
    ``fields``: the fields it may test (an order's, by default) and their kinds."""
    if depth > MAX_DEPTH:
        raise Invalid(path, f"conditions nest at most {MAX_DEPTH} deep")
    if not isinstance(raw, Mapping):
        raise Invalid(path, "a condition is an object: all, any, not, or field/op/value")
    for key in ("all", "any"):
        if key in raw:
            if len(raw) != 1:
                raise Invalid(path, f"{key} stands alone in its object")
            parts = raw[key]
            if not isinstance(parts, list) or not 0 < len(parts) <= 100:
                raise Invalid(f"{path}.{key}", f"{key} takes a list of 1 to 100 conditions")
            read = tuple(
                read_condition(p, f"{path}.{key}.{i}", depth + 1, fields)
                for i, p in enumerate(parts)
            )
            checks = tuple(p.check for p in read)
            return All(read, _all(checks)) if key == "all" else AnyOf(read, _any(checks))
    if "not" in raw:
        if len(raw) != 1:
            raise Invalid(path, "not stands alone in its object")
        part = read_condition(raw["not"], f"{path}.not", depth + 1, fields)
        return Not(part, lambda facts: not part.check(facts))
    return _test(raw, path, fields)


# Each condition is compiled once, when the rule set is read, into a closure over the facts:
# evaluating 100 rules then costs a few function calls per test, no dispatch on op or kind.
_BINARY: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq,
    ">": operator.gt,
    ">=": operator.ge,
    "<": operator.lt,
    "<=": operator.le,
}
_NEGATED = {"!=": "==", "not_in": "in"}


def _predicate(kind: str, op: str, want: Any) -> Callable[[Any], bool]:
    """The test on one value (``op`` positive: ``!=`` and ``not_in`` negate it)."""
    if kind in (TEXT, TEXTS):
        if op == "matches":
            return lambda h: want.search(str(h)[:MAX_SUBJECT]) is not None
        if op in (">", ">=", "<", "<="):
            compare = _BINARY[op]
            return lambda h: compare(str(h), want)
        if op == "contains":
            return lambda h: want in str(h).casefold()
        if op == "starts_with":
            return lambda h: str(h).casefold().startswith(want)
        if op == "in":
            members = frozenset(want)
            return lambda h: str(h).casefold() in members
        return lambda h: str(h).casefold() == want
    if op == "in":
        members = frozenset(want)  # Decimal("1.0") and Decimal("1") hash alike
        return lambda h: h in members
    compare = _BINARY[op]
    return lambda h: compare(h, want)


def _compile(name: str, kind: str, op: str, value: Any) -> Check:
    listed = kind in (TEXTS, NUMBERS)
    if listed and op == "contains":

        def has(facts: Mapping[str, Any]) -> bool:
            have = facts.get(name)
            if have is None:
                return False
            return value in have or any(str(h).casefold() == value for h in have)

        return has
    negated = op in _NEGATED
    test = _predicate(kind, _NEGATED.get(op, op), value)
    if listed:

        def each(facts: Mapping[str, Any]) -> bool:
            have = facts.get(name)
            if have is None:
                return False
            found = any(map(test, have))
            return not found if negated else found

        return each

    def one(facts: Mapping[str, Any]) -> bool:
        have = facts.get(name)
        if have is None:
            return False
        return not test(have) if negated else test(have)

    return one


def _all(checks: tuple[Check, ...]) -> Check:
    def check(facts: Mapping[str, Any]) -> bool:
        for c in checks:  # noqa: SIM110 (a loop: no generator per evaluation)
            if not c(facts):
                return False
        return True

    return check


def _any(checks: tuple[Check, ...]) -> Check:
    def check(facts: Mapping[str, Any]) -> bool:
        for c in checks:  # noqa: SIM110 (a loop: no generator per evaluation)
            if c(facts):
                return True
        return False

    return check


def holds(condition: Condition | None, facts: Mapping[str, Any]) -> bool:
    """Whether ``condition`` holds for ``facts`` (no condition: always)."""
    return condition is None or condition.check(facts)
