"""Settings → Automation rules: the active rule set shown readably, its versions, and (admins
only) editing it in a form (triggers, fields, ops and actions picked from lists; see
``web.automation_form``) or as JSON, checked as ``PUT /api/v1/automation/rules`` checks it,
tried first on recent orders (the dry run), and making an older version active again (a
rollback). The form's add/remove/move buttons post to ``/edit``, which only shows the rows
again (htmx swaps the editor in place; without JavaScript the page reloads)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError as PydanticError

from podium import automation
from podium.access import Permission
from podium.automation import (
    ACTIONS,
    ARGUMENT_CHOICES,
    FIELDS,
    OPS,
    TRIGGERS,
    DryRunIn,
    ops_of,
)
from podium.errors import DomainError, ValidationFailed
from podium.numbers import INT_MAX, parse_db_int
from podium.web.automation_edits import apply_edit
from podium.web.automation_form import MATCHES, read_form, rules_of
from podium.web.automation_rule_set import input_of, rule_set
from podium.web.core import Posted, Viewer, action, dashboard, page, redirect, render
from podium.web.forms import int_field, invalid
from podium.web.nav import NavItem

router = APIRouter(include_in_schema=False)
PATH = "/settings/automation-rules"
NAV = [NavItem("Automation rules", PATH, order=26, section="settings")]
MAX_TEXT = 200_000
DEFAULT_LAST = 50
MAX_LAST = 1000
# what a value looks like, per kind of field (the value box's placeholder)
EXAMPLES = {
    "money": "150.00",
    "number": "a whole number",
    "numbers": "a whole number",
    "text": "a text",
    "texts": "a text",
}


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


def lists() -> dict[str, Any]:
    """What the editor's selects offer, from the automation model (its single source)."""
    kinds = list(ACTIONS)
    return {
        "triggers": TRIGGERS,
        "fields": list(FIELDS),
        "ops": OPS,
        "ops_of": {f: ops_of(f) for f in FIELDS},
        "example": {f: EXAMPLES[kind] for f, kind in FIELDS.items()},
        "matches": MATCHES,
        "actions": kinds,
        "arguments": {k: [(n, req) for n, (req, _) in ACTIONS[k].items()] for k in kinds},
        "choices": {f"{k}.{n}": options for (k, n), options in ARGUMENT_CHOICES.items()},
    }


def _posted_fields(posted: Posted) -> dict[str, str]:
    return {k: v for k, v in posted.form.multi_items() if isinstance(v, str)}


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
        "editor": rules_of(active.rule_set),
        "mode": "form",
        "error": None,
        "error_input": None,
        "trial": None,
        "last": DEFAULT_LAST,
        "trial_trigger": "order.placed",
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
        lists=lists(),
        **context,
    )


def _edit_in(posted: Posted) -> dict[str, Any]:
    """The edit as posted, for showing it again: the JSON text, or the form's rows."""
    if "rules" in posted.form:
        return {"text": str(posted.form.get("rules") or ""), "mode": "json"}
    return {"editor": read_form(_posted_fields(posted)), "mode": "form"}


def _rules_in(
    edit: dict[str, Any], paths: dict[str, str], active: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The rule set the edit says (``paths``: where the form's parts went in it). The form
    edits the rules only: the active set's ``stock_thresholds`` (edited as JSON) are kept."""
    if edit["mode"] == "json":
        return _parse(edit["text"])
    raw, found = rule_set(edit["editor"])
    paths.update(found)
    thresholds = (active or {}).get("stock_thresholds")
    return raw if thresholds is None else {**raw, "stock_thresholds": thresholds}


def _failed(
    request: Request, posted: Posted, exc: DomainError, edit: dict[str, Any], paths: Any
) -> HTMLResponse:
    field = exc.details.get("field")
    if edit["mode"] == "form" and isinstance(field, str):
        at_input = not field.startswith("rules") and field not in ("last", "trigger")
        edit = {**edit, "error_input": field if at_input else input_of(field, paths)}
    return _page(request, posted.viewer, status=exc.status, error=exc, **edit)


@router.get(PATH, response_class=HTMLResponse)
def rules_page(request: Request, viewer: Viewer = page()) -> HTMLResponse:
    return _page(request, viewer)


@router.post(PATH, response_model=None)
def save(request: Request, posted: Posted = action(Permission.ADMIN)) -> Response:
    """Save the edited rule set (the form, or the JSON text) as the new active version; a
    mistake saves nothing and shows the edit again with the rule and field at fault."""
    note = posted.get("note") or None
    edited, paths = _edit_in(posted), dict[str, str]()
    try:
        if note is not None and len(note) > 500:
            raise ValidationFailed("note: at most 500 characters.", details={"field": "note"})
        db = dashboard(request).podium.db
        raw = _rules_in(edited, paths, automation.get_rules(db).rule_set)
        saved = automation.save_rules(db, raw, posted.viewer.actor, note=note)
    except DomainError as exc:
        return _failed(request, posted, exc, edited, paths)
    count = len(saved.rule_set.get("rules", []))
    return redirect(
        request, PATH, f"Automation rules version {saved.version} is active ({count} rules)."
    )


@router.post(f"{PATH}/edit", response_model=None)
def edit(request: Request, posted: Posted = action(Permission.ADMIN)) -> Response:
    """A button of the form (add, remove, move a part): the rows again, changed; nothing is
    checked or saved."""
    editor = read_form(_posted_fields(posted))
    try:
        apply_edit(editor, posted.get("edit"))
    except DomainError as exc:
        return _page(request, posted.viewer, status=exc.status, error=exc, editor=editor)
    return _page(request, posted.viewer, editor=editor, last=posted.get("last") or DEFAULT_LAST)


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
    """The dry run of the edit (the form, or the JSON text) over the newest orders; nothing is
    saved, and the edit is shown again, ready to save."""
    raw_last = posted.get("last")
    trigger = posted.get("trigger") or "order.placed"
    edited, paths = _edit_in(posted), dict[str, str]()
    try:
        last = int_field(raw_last, "last") if raw_last else DEFAULT_LAST
        if not 1 <= last <= MAX_LAST:
            raise ValidationFailed(
                f"last: between 1 and {MAX_LAST:,} orders.", details={"field": "last"}
            )
        rules = _rules_in(edited, paths).get("rules", [])
        if not isinstance(rules, list):
            raise ValidationFailed("rules is a list of rules.", details={"field": "rules"})
        try:
            data = DryRunIn(rules=rules, last=last, trigger=trigger[:40])
        except PydanticError as exc:
            raise invalid(exc, "rules") from None
        trial = automation.dry_run(dashboard(request).podium.db, data)
    except DomainError as exc:
        return _failed(request, posted, exc, edited, paths)
    return _page(request, posted.viewer, trial=trial, last=last, trial_trigger=trigger, **edited)
