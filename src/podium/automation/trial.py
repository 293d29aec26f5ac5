"""The dry run: what a rule set would have done to the last N orders, writing nothing.

Each order is read as it is now (its tags, status and payment today, not at placement) and
the rules of ``trigger`` (``order.placed`` by default) are evaluated over it; the answer lists,
per rule, the orders it would have fired on and the actions it would have taken.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from podium import orders
from podium.automation.apply import facts_in
from podium.automation.model import MAX_RULES, TRIGGERS, evaluate
from podium.automation.versions import active_rules, checked
from podium.db.database import Database
from podium.errors import ValidationFailed
from podium.numbers import JsonInt

__all__ = ["DryRunIn", "DryRunOrder", "DryRunReport", "DryRunRule", "dry_run"]


class DryRunIn(BaseModel):
    """``rules``: the rule set's rules to try (default: the active rule set); ``last``: how
    many of the newest orders to try them on; ``trigger``: the event to pretend happened."""

    model_config = ConfigDict(extra="forbid")

    rules: list[dict[str, Any]] | None = Field(default=None, max_length=MAX_RULES)
    last: JsonInt = Field(default=50, ge=1, le=1000)
    trigger: str = Field(default="order.placed", max_length=40)


class DryRunOrder(BaseModel):
    id: str
    number: str
    actions: list[str]


class DryRunRule(BaseModel):
    index: int
    name: str
    enabled: bool
    trigger: str
    fired: int
    orders: list[DryRunOrder]


class DryRunReport(BaseModel):
    trigger: str
    version: int | None = Field(description="The active version tried, or null for `rules`.")
    orders_tried: int
    orders_matched: int
    rules: list[DryRunRule]


def dry_run(db: Database, data: DryRunIn) -> DryRunReport:
    """What the rules would do to the newest ``data.last`` orders (read only)."""
    if data.trigger not in TRIGGERS:
        raise ValidationFailed(
            f"trigger is one of {', '.join(TRIGGERS)}.",
            code="invalid_trigger",
            details={"field": "trigger"},
        )
    with db.read() as conn:
        if data.rules is None:
            version: int | None
            version, rules = active_rules(conn)
        else:
            version, rules = None, checked({"rules": data.rules})
        recent = orders.latest_orders(conn, status=None, limit=data.last)
        per_rule: list[DryRunRule] = [
            DryRunRule(
                index=i, name=r.name, enabled=r.enabled, trigger=r.trigger, fired=0, orders=[]
            )
            for i, r in enumerate(rules.rules)
        ]
        matched = 0
        for order, facts in zip(recent, facts_in(conn, recent), strict=True):
            fired = evaluate(rules, data.trigger, facts)
            matched += bool(fired)
            for firing in fired:
                entry = per_rule[firing.index]
                entry.fired += 1
                said = [a.describe() for a in firing.actions]
                entry.orders.append(DryRunOrder(id=order.id, number=order.number, actions=said))
    return DryRunReport(
        trigger=data.trigger,
        version=version,
        orders_tried=len(recent),
        orders_matched=matched,
        rules=per_rule,
    )
