"""``podium automation rules``: the automation rule set (show, set, history, rollback, test)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.table import Table

from podium import automation
from podium.automation import DryRunIn
from podium.cli.common import ACTOR, out, with_podium

if TYPE_CHECKING:
    from podium.bootstrap import Podium

automation_app = typer.Typer(
    help="Automation rules: tag, hold, release, cancel orders.", no_args_is_help=True
)
rules_app = typer.Typer(help="The automation rule set (versioned).", no_args_is_help=True)
automation_app.add_typer(rules_app, name="rules")


def _read(path: Path) -> dict[str, Any]:
    try:
        found = json.loads(path.read_text())
    except OSError as exc:
        raise ValueError(f"cannot read {path}: {exc.strerror}") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}: not JSON: {exc}") from None
    if not isinstance(found, dict):
        raise ValueError(f'{path}: a rule set is {{"rules": [...]}}')
    return found


@rules_app.command("show")
@with_podium
def rules_show(
    podium: Podium,
    version: int = typer.Option(None, help="An older version (default: the active one)."),
) -> None:
    """Print the rule set as JSON (the shape `set` reads)."""
    found = (
        automation.get_rules(podium.db)
        if version is None
        else automation.rule_version(podium.db, version)
    )
    out.print(f"# version {found.version}{' (active)' if found.active else ''}", highlight=False)
    out.print_json(json.dumps(found.rule_set))


@rules_app.command("set")
@with_podium
def rules_set(podium: Podium, file: Path = typer.Argument(..., help="A JSON rule set.")) -> None:
    """Check FILE and save it as the new active version (nothing is saved if it is invalid)."""
    saved = automation.save_rules(podium.db, _read(file), ACTOR)
    count = len(saved.rule_set.get("rules", []))
    out.print(f"Automation rules version {saved.version} is active ({count} rules).")


@rules_app.command("history")
@with_podium
def rules_history(podium: Podium) -> None:
    """Every saved version, newest first."""
    table = Table("version", "active", "saved", "by", "rules", "note")
    for v in automation.rule_history(podium.db):
        table.add_row(
            str(v.version),
            "yes" if v.active else "",
            v.created_at.isoformat(timespec="seconds") if v.created_at else "-",
            v.created_by or "",
            ", ".join(str(r.get("name")) for r in v.rule_set.get("rules", [])),
            v.note or "",
        )
    out.print(table)


@rules_app.command("rollback")
@with_podium
def rules_rollback(podium: Podium, version: int = typer.Argument(..., min=0)) -> None:
    """Make VERSION active again (saved as a new version)."""
    saved = automation.rollback(podium.db, version, ACTOR)
    out.print(f"Version {version} is active again as version {saved.version}.")


@rules_app.command("test")
@with_podium
def rules_test(
    podium: Podium,
    file: Path = typer.Argument(None, help="A JSON rule set (default: the active one)."),
    last: int = typer.Option(50, min=1, max=1000, help="How many of the newest orders."),
    trigger: str = typer.Option("order.placed", help="The event to pretend happened."),
) -> None:
    """Dry run: what the rules would have done to the newest orders; writes nothing."""
    rules = None if file is None else _read(file).get("rules", [])
    report = automation.dry_run(podium.db, DryRunIn(rules=rules, last=last, trigger=trigger))
    out.print(
        f"{report.orders_matched} of {report.orders_tried} order(s) would be touched "
        f"on {report.trigger}.",
        highlight=False,
    )
    for rule in report.rules:
        off = "" if rule.enabled else " (disabled)"
        out.print(f"[bold]{rule.name}[/bold]{off}: fires on {rule.fired}", highlight=False)
        for o in rule.orders:
            out.print(f"  {o.number}  {'; '.join(o.actions)}", highlight=False, soft_wrap=True)


@automation_app.command("late-check")
@with_podium
def late_check(podium: Podium) -> None:
    """Announce shipments newly past their promised delivery date (`shipment.late`, once each).

    `podium serve` and `podium worker` run this every 5 minutes; this runs it now (or from
    cron, where no such process runs)."""
    found = automation.check_late(podium.db)
    podium.relay.run_once()  # the rules hear them now, not at the next relay pass
    out.print(f"{found} shipment(s) newly late.")
