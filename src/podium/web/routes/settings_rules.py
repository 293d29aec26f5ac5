"""Settings → Routing rules: the active rule set shown readably, its versions, and (admins only)
editing it as JSON, checked by the same ``RuleSet`` model as ``PUT /api/v1/routing/rules`` and
``podium routing rules set``, and making an older version active again (a rollback)."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from podium import routing
from podium.access import Permission
from podium.errors import DomainError, ValidationFailed
from podium.numbers import INT_MAX, parse_db_int
from podium.routing import MAX_ORDERS, RuleSet, try_rules
from podium.web.core import Posted, Viewer, action, dashboard, page, redirect, render
from podium.web.forms import int_field
from podium.web.nav import NavItem

router = APIRouter(include_in_schema=False)
NAV = [NavItem("Routing rules", "/settings/routing-rules", order=25, section="settings")]
PATH = "/settings/routing-rules"
MAX_TEXT = 200_000  # characters of JSON a rule set may take
DEFAULT_LAST = 200  # recent orders "Test this change" replays unless told otherwise


def as_json(rules: RuleSet) -> str:
    """The rule set as the JSON to edit (unset filters left out)."""
    return json.dumps(rules.model_dump(mode="json", exclude_none=True), indent=2)


def _name_of(raw: Any, index: int) -> str:
    """ ", <name>" of the rule at ``index`` in the submitted JSON, when it has one."""
    rules = raw.get("rules") if isinstance(raw, dict) else None
    rule = rules[index] if isinstance(rules, list) and index < len(rules) else None
    name = rule.get("name") if isinstance(rule, dict) else None
    return f", {name}" if isinstance(name, str) and name else ""


def parse_rules(text: str) -> RuleSet:
    """The rule set in ``text`` (JSON), or ValidationFailed naming the field at fault."""
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
    try:
        return RuleSet.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = [str(p) for p in first["loc"]]
        field = ".".join(loc) or "(the rule set)"
        where = field
        if len(loc) >= 2 and loc[0] == "rules" and loc[1].isdigit():
            index = int(loc[1])
            where = f"{field} (rule {index + 1}{_name_of(raw, index)})"
        raise ValidationFailed(
            f"{where}: {first['msg']}",
            code="invalid_rules",
            details={"field": field, "errors": len(exc.errors())},
        ) from None


def _page(request: Request, viewer: Viewer, *, status: int = 200, **extra: Any) -> HTMLResponse:
    db = dashboard(request).podium.db
    active = routing.get_rules(db)
    shown = active
    raw = request.query_params.get("version")
    wanted = parse_db_int(raw or "", INT_MAX)
    if wanted is not None and wanted != active.version:
        try:
            shown = routing.rule_version(db, wanted)
        except DomainError:
            shown = active
    context: dict[str, Any] = {
        "text": as_json(active.rule_set),
        "error": None,
        "trial": None,
        "last": DEFAULT_LAST,
        "max_last": MAX_ORDERS,
        **extra,
    }
    return render(
        request,
        "settings/routing_rules.html",
        viewer,
        status=status,
        active=active,
        shown=shown,
        history=routing.rule_history(db),
        **context,
    )


@router.get(PATH, response_class=HTMLResponse)
def rules_page(request: Request, viewer: Viewer = page()) -> HTMLResponse:
    return _page(request, viewer)


@router.post(PATH, response_model=None)
def save(request: Request, posted: Posted = action(Permission.ADMIN)) -> Response:
    """Save the edited rule set as the new active version; a mistake saves nothing and shows
    the text again with the field at fault."""
    text = str(posted.form.get("rules") or "")
    note = posted.get("note") or None
    try:
        if note is not None and len(note) > 500:
            raise ValidationFailed("note: at most 500 characters.", details={"field": "note"})
        rules = parse_rules(text)
        saved = routing.save_rules(
            dashboard(request).podium.db, rules, posted.viewer.actor, note=note
        )
    except DomainError as exc:
        return _page(request, posted.viewer, status=exc.status, text=text, error=exc)
    return redirect(
        request,
        PATH,
        f"Routing rules version {saved.version} is active ({len(rules.rules)} rules).",
    )


@router.post(f"{PATH}/rollback", response_model=None)
def rollback(request: Request, posted: Posted = action(Permission.ADMIN)) -> Response:
    """Make an older version active again (saved as the newest version, as the CLI does)."""
    try:
        number = int_field(posted.get("version"), "version")
        saved = routing.rollback(dashboard(request).podium.db, number, posted.viewer.actor)
    except DomainError as exc:
        return redirect(request, PATH, exc.message, "error")
    return redirect(
        request, PATH, f"Version {number} is active again, saved as version {saved.version}."
    )


@router.post(f"{PATH}/test", response_model=None)
def test_change(request: Request, posted: Posted = action(Permission.ADMIN)) -> Response:
    """Replay recent orders under the active rules and the edited text, as
    ``podium routing simulate --last N --rules FILE`` does, and show the difference with the
    text kept for editing; nothing is saved."""
    text = str(posted.form.get("rules") or "")
    raw_last = posted.get("last")
    try:
        last = int_field(raw_last, "last") if raw_last else DEFAULT_LAST
        if not 1 <= last <= MAX_ORDERS:
            raise ValidationFailed(
                f"last: between 1 and {MAX_ORDERS:,} orders.", details={"field": "last"}
            )
        rules = parse_rules(text)
        trial = try_rules(dashboard(request).podium.db, rules, last)
    except DomainError as exc:
        return _page(request, posted.viewer, status=exc.status, text=text, error=exc)
    return _page(request, posted.viewer, text=text, trial=trial, last=last, candidate=rules)
