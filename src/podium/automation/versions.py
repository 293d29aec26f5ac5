"""The versioned automation rule set: save, read, history, rollback (as routing rules are).

The active rule set is cached per process for ``TTL`` seconds and dropped at once when this
process saves a new version, so the relay's subscriber reads no rules row per event.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Connection, Engine

from podium.automation.conditions import Invalid
from podium.automation.model import MAX_RULES, RuleSet, read_rule_set
from podium.db.database import Database
from podium.db.tables import automation_rule_sets
from podium.db.versioned import Versions
from podium.errors import ValidationFailed

__all__ = [
    "TTL",
    "RuleSetIn",
    "RuleSetVersion",
    "active_rules",
    "cached_rules",
    "checked",
    "get_rules",
    "rollback",
    "rule_history",
    "rule_version",
    "save_rules",
]

TTL = 2.0
_EXAMPLE: dict[str, Any] = {
    "rules": [
        {
            "name": "big first orders",
            "enabled": True,
            "trigger": "order.placed",
            "when": {
                "all": [
                    {"field": "total", "op": ">=", "value": "500.00"},
                    {"field": "customer.orders_count", "op": "==", "value": 1},
                ]
            },
            "then": [
                {"action": "add_tag", "tag": "review"},
                {"action": "hold", "reason": "fraud_review", "note": "first big order"},
            ],
        }
    ]
}


class RuleSetIn(BaseModel):
    """A rule set: ``rules`` evaluated in order, each ``{"name", "enabled", "trigger",
    "when", "then"}`` (see docs/operations.md). Checked as a whole: the first fault is a 422
    ``invalid_rule_set`` whose ``details`` name the rule (``rule``, ``name``) and ``field``."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [_EXAMPLE]})

    rules: list[dict[str, Any]] = Field(default_factory=list, max_length=MAX_RULES)
    stock_thresholds: dict[str, Any] | None = None


class RuleSetVersion(BaseModel):
    """A saved rule set. Version 0 is the empty rule set (nothing saved yet)."""

    version: int
    active: bool
    created_at: datetime | None
    created_by: str | None
    note: str | None
    rule_set: dict[str, Any]


def checked(raw: dict[str, Any]) -> RuleSet:
    """``raw`` read as a rule set, or 422 ``invalid_rule_set`` naming the rule and field."""
    try:
        return read_rule_set(raw)
    except Invalid as exc:
        parts = exc.path.split(".")
        details: dict[str, Any] = {"field": exc.path}
        where = exc.path
        if len(parts) >= 2 and parts[0] == "rules" and parts[1].isdigit():
            index = int(parts[1])
            rules = raw.get("rules") or []
            rule = rules[index] if index < len(rules) else None
            name = rule.get("name") if isinstance(rule, dict) else None
            details |= {"rule": index, "name": name if isinstance(name, str) else None}
            rest = ".".join(parts[2:])
            where = f"rule {index}" + (f" ({name!r})" if isinstance(name, str) else "")
            where += f", {rest}" if rest else ""
        raise ValidationFailed(
            f"{where}: {exc.message}.", code="invalid_rule_set", details=details
        ) from None


RULES: Versions[RuleSet] = Versions(
    automation_rule_sets, "automation rules", read_rule_set, RuleSet(), TTL
)


def active_rules(conn: Connection) -> tuple[int, RuleSet]:
    """The active rule set and its version (cached briefly per process)."""
    return RULES.active(conn)


def cached_rules(engine: Engine) -> tuple[int, RuleSet] | None:
    """The active rule set while this process's cached copy is fresh, else None."""
    return RULES.cached(engine)


def _view(row: dict[str, Any] | None, latest: int) -> RuleSetVersion:
    if row is None:
        return RuleSetVersion(
            version=0,
            active=latest == 0,
            created_at=None,
            created_by=None,
            note="no rules",
            rule_set={"rules": []},
        )
    return RuleSetVersion(
        version=row["version"],
        active=row["version"] == latest,
        created_at=row["created_at"],
        created_by=row["created_by"],
        note=row["note"],
        rule_set=row["rules"],
    )


def get_rules(db: Database) -> RuleSetVersion:
    row = RULES.newest(db)
    return _view(row, row["version"] if row else 0)


def rule_version(db: Database, number: int) -> RuleSetVersion:
    return _view(*RULES.read(db, number))


def rule_history(db: Database) -> list[RuleSetVersion]:
    rows, latest = RULES.history(db)
    return [*(_view(r, latest) for r in rows), _view(None, latest)]


def save_rules(
    db: Database, raw: dict[str, Any], actor: str, note: str | None = None
) -> RuleSetVersion:
    """Check ``raw`` and save it as a new version, which becomes the active one; an invalid
    rule set is a 422 and nothing is saved."""
    rules = checked(raw)
    row = RULES.save(db, dict(rules.raw), note, actor)
    return _view(row, row["version"])


def rollback(db: Database, number: int, actor: str) -> RuleSetVersion:
    """Make an old version active again, by saving it as the newest version."""
    old = rule_version(db, number)
    return save_rules(db, old.rule_set, actor, note=f"rollback to version {number}")
