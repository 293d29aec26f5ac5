"""``podium routing``: the rule set (show, set, history, rollback), the optimiser, simulation."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

app = typer.Typer(help="Smart order routing: rules, optimiser, simulation.", no_args_is_help=True)
rules_app = typer.Typer(help="The routing rule set (versioned).", no_args_is_help=True)
app.add_typer(rules_app, name="rules")

ACTOR = "cli"


def _read_rules(path: Path) -> object:
    from pydantic import ValidationError

    from podium.routing.rules import RuleSet

    try:
        return RuleSet.model_validate_json(path.read_text())
    except OSError as exc:
        raise ValueError(f"cannot read {path}: {exc.strerror}") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(top)"
        raise ValueError(f"{path}: {where}: {first['msg']}") from None


@rules_app.command("show")
def rules_show(
    version: int = typer.Option(None, help="An older version (default: the active one)."),
) -> None:
    """Print the rule set as JSON (the shape `set` reads)."""
    from podium.cli import _opened, friendly, out
    from podium.routing import service

    @friendly
    def run() -> None:
        with _opened() as podium:
            found = (
                service.get_rules(podium.db)
                if version is None
                else service.rule_version(podium.db, version)
            )
        out.print(
            f"# version {found.version}{' (active)' if found.active else ''}", highlight=False
        )
        out.print_json(found.rule_set.model_dump_json())

    run()


@rules_app.command("set")
def rules_set(file: Path = typer.Argument(..., help="A JSON rule set.")) -> None:
    """Save FILE as the new active version."""
    from podium.cli import _opened, friendly, out
    from podium.routing import service
    from podium.routing.rules import RuleSet

    @friendly
    def run() -> None:
        rules = _read_rules(file)
        assert isinstance(rules, RuleSet)
        with _opened() as podium:
            saved = service.save_rules(podium.db, rules, ACTOR)
        out.print(f"Routing rules version {saved.version} is active ({len(rules.rules)} rules).")

    run()


@rules_app.command("history")
def rules_history() -> None:
    """Every saved version, newest first."""
    from podium.cli import _opened, friendly, out
    from podium.routing import service

    @friendly
    def run() -> None:
        with _opened() as podium:
            items = service.rule_history(podium.db)
        table = Table("version", "active", "saved", "by", "rules", "note")
        for v in items:
            table.add_row(
                str(v.version),
                "yes" if v.active else "",
                v.created_at.isoformat(timespec="seconds") if v.created_at else "built-in",
                v.created_by or "",
                ", ".join(r.name for r in v.rule_set.rules),
                v.note or "",
            )
        out.print(table)

    run()


@rules_app.command("rollback")
def rules_rollback(version: int = typer.Argument(..., min=0)) -> None:
    """Make VERSION active again (saved as a new version)."""
    from podium.cli import _opened, friendly, out
    from podium.routing import service

    @friendly
    def run() -> None:
        with _opened() as podium:
            saved = service.rollback(podium.db, version, ACTOR)
        out.print(f"Version {version} is active again as version {saved.version}.")

    run()


def dump(value: object) -> str:
    return json.dumps(value, indent=2, default=str)
