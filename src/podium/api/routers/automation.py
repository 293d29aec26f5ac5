"""Automation rules: the versioned rule set (as routing rules are) and its dry run."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from pydantic import Field

from podium import automation
from podium.access import Permission
from podium.api.deps import Caller, get_podium, require
from podium.automation import DryRunIn, DryRunReport, RuleSetIn, RuleSetVersion
from podium.bootstrap import Podium
from podium.numbers import INT_MAX, DbInt32, JsonInt
from podium.validation import Input

router = APIRouter(tags=["automation"])

READ = Depends(require(Permission.READ))
ADMIN = Depends(require(Permission.ADMIN))
_INVALID: dict[int | str, dict[str, Any]] = {
    422: {
        "description": "`invalid_rule_set`: `details.rule` (index), `details.name` and "
        "`details.field` (`rules.2.when.all.0.op`) name the first fault; nothing is saved."
    }
}


class RollbackIn(Input):
    version: JsonInt = Field(ge=0, le=INT_MAX)


@router.get("/automation/rules", response_model=RuleSetVersion)
def get_rules(_: Caller = READ, podium: Podium = Depends(get_podium)) -> RuleSetVersion:
    """The active rule set (version 0: no rules saved yet)."""
    return automation.get_rules(podium.db)


@router.put("/automation/rules", response_model=RuleSetVersion, responses=_INVALID)
def put_rules(
    rules: RuleSetIn, caller: Caller = ADMIN, podium: Podium = Depends(get_podium)
) -> RuleSetVersion:
    """Save a new version of the rule set; it is active at once (within 2 s in other
    processes). Rules are evaluated in order on the events of their trigger."""
    return automation.save_rules(podium.db, rules.model_dump(), caller.actor)


@router.get("/automation/rules/history", response_model=dict[str, list[RuleSetVersion]])
def rules_history(
    _: Caller = READ, podium: Podium = Depends(get_podium)
) -> dict[str, list[RuleSetVersion]]:
    """Every saved version, newest first, ending with version 0 (no rules)."""
    return {"items": automation.rule_history(podium.db)}


@router.get("/automation/rules/versions/{version}", response_model=RuleSetVersion)
def rules_version(
    version: DbInt32, _: Caller = READ, podium: Podium = Depends(get_podium)
) -> RuleSetVersion:
    return automation.rule_version(podium.db, version)


@router.post("/automation/rules/rollback", response_model=RuleSetVersion)
def rollback(
    data: RollbackIn, caller: Caller = ADMIN, podium: Podium = Depends(get_podium)
) -> RuleSetVersion:
    """Make an old version active again (saved as the newest version)."""
    return automation.rollback(podium.db, data.version, caller.actor)


@router.post("/automation/rules/test", response_model=DryRunReport, responses=_INVALID)
def test_rules(
    data: DryRunIn, _: Caller = READ, podium: Podium = Depends(get_podium)
) -> DryRunReport:
    """Dry run: what `rules` (default: the active rule set) would have done to the newest
    `last` orders, per rule. Nothing is written."""
    return automation.dry_run(podium.db, data)
