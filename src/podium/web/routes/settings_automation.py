"""Settings → Automation rules: the active rule set shown readably, its versions, and (admins
only) editing it as JSON, checked as ``PUT /api/v1/automation/rules`` checks it, tried first on
recent orders (the dry run), and making an older version active again (a rollback).

The form editor (conditions and actions picked from lists) is still to come: the JSON text is
the editor for now."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from podium import automation
from podium.access import Permission
from podium.automation import DryRunIn
from podium.errors import DomainError, ValidationFailed
from podium.numbers import INT_MAX, parse_db_int
from podium.web.core import Posted, Viewer, action, dashboard, page, redirect, render
from podium.web.forms import int_field
from podium.web.nav import NavItem

router = APIRouter(include_in_schema=False)
PATH = "/settings/automation-rules"
NAV = [NavItem("Automation rules", PATH, order=26, section="settings")]
MAX_TEXT = 200_000
DEFAULT_LAST = 50
MAX_LAST = 1000


def describe(condition: Any) -> str:
    """A condition tree in words: ``all of (total >= 500.00, tags contains vip)``."""
    if condition is None:
        return "every order"
    if not isinstance(condition, dict):
        return str(condition)
    for key in ("all", "any"):
        if key in condition:
            return f"{key} of (" + ", ".join(describe(p) for p in condition[key]) + ")"
    if "not" in condition:
        return f"not ({describe(condition['not'])})"
    value = condition.get("value")
    shown = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    return f"{condition.get('field')} {condition.get('op')} {shown}"


def said(act: Any) -> str:
    if not isinstance(act, dict):
        return str(act)
    args = ", ".join(f"{k} {v}" for k, v in act.items() if k != "action")
    return f"{act.get('action')}" + (f" ({args})" if args else "")


def _parse(text: str) -> dict[str, Any]:
    if len(text) > MAX_TEXT:
        raise ValidationFailed(
            f"The rule set is longer than {MAX_TEXT:,} characters.", details={"field": "rules"}
        )
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationFailed(
            f"Not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}.",
            code="invalid_json",
            details={"field": "rules", "line": exc.lineno, "column": exc.colno},
        ) from None
    if not isinstance(raw, dict):
        raise ValidationFailed('A rule set is {"rules": [...]}.', details={"field": "rules"})
    return raw


def _page(request: Request, viewer: Viewer, *, status: int = 200, **extra: Any) -> HTMLResponse:
    db = dashboard(request).podium.db
    active = automation.get_rules(db)
    shown = active
    wanted = parse_db_int(request.query_params.get("version") or "", INT_MAX)
    if wanted is not None and wanted != active.version:
        try:
            shown = automation.rule_version(db, wanted)
        except DomainError:
            shown = active
    context: dict[str, Any] = {
        "text": json.dumps(active.rule_set, indent=2),
        "error": None,
        "trial": None,
        "last": DEFAULT_LAST,
        "max_last": MAX_LAST,
        **extra,
    }
    return render(
        request,
        "settings/automation_rules.html",
        viewer,
        status=status,
        active=active,
        shown=shown,
        history=automation.rule_history(db),
        describe=describe,
        said=said,
        **context,
    )


@router.get(PATH, response_class=HTMLResponse)
def rules_page(request: Request, viewer: Viewer = page()) -> HTMLResponse:
    return _page(request, viewer)


@router.post(PATH, response_model=None)
def save(request: Request, posted: Posted = action(Permission.ADMIN)) -> Response:
    """Save the edited rule set as the new active version; a mistake saves nothing and shows
    the text again with the rule and field at fault."""
    text = str(posted.form.get("rules") or "")
    note = posted.get("note") or None
    try:
        if note is not None and len(note) > 500:
            raise ValidationFailed("note: at most 500 characters.", details={"field": "note"})
        saved = automation.save_rules(
            dashboard(request).podium.db, _parse(text), posted.viewer.actor, note=note
        )
    except DomainError as exc:
        return _page(request, posted.viewer, status=exc.status, text=text, error=exc)
    count = len(saved.rule_set.get("rules", []))
    return redirect(
        request, PATH, f"Automation rules version {saved.version} is active ({count} rules)."
    )


@router.post(f"{PATH}/rollback", response_model=None)
def rollback(request: Request, posted: Posted = action(Permission.ADMIN)) -> Response:
    try:
        number = int_field(posted.get("version"), "version")
        saved = automation.rollback(dashboard(request).podium.db, number, posted.viewer.actor)
    except DomainError as exc:
        return redirect(request, PATH, exc.message, "error")
    return redirect(
        request, PATH, f"Version {number} is active again, saved as version {saved.version}."
    )


@router.post(f"{PATH}/test", response_model=None)
def test_change(request: Request, posted: Posted = action(Permission.ADMIN)) -> Response:
    """The dry run of the edited text over the newest orders; nothing is saved."""
    text = str(posted.form.get("rules") or "")
    raw_last = posted.get("last")
    try:
        last = int_field(raw_last, "last") if raw_last else DEFAULT_LAST
        if not 1 <= last <= MAX_LAST:
            raise ValidationFailed(
                f"last: between 1 and {MAX_LAST:,} orders.", details={"field": "last"}
            )
        rules = _parse(text).get("rules", [])
        if not isinstance(rules, list):
            raise ValidationFailed("rules is a list of rules.", details={"field": "rules"})
        trial = automation.dry_run(dashboard(request).podium.db, DryRunIn(rules=rules, last=last))
    except DomainError as exc:
        return _page(request, posted.viewer, status=exc.status, text=text, error=exc)
    return _page(request, posted.viewer, text=text, trial=trial, last=last)
