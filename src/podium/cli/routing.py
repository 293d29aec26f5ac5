"""``podium routing``: the rule set (show, set, history, rollback), the optimiser, simulation."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from pydantic import ValidationError
from rich.table import Table

from podium import routing
from podium.catalog import get_warehouse
from podium.cli.common import ACTOR, out, with_podium
from podium.money import format_amount
from podium.routing import RuleSet

if TYPE_CHECKING:
    from podium.bootstrap import Podium
    from podium.routing import Metrics

routing_app = typer.Typer(
    help="Smart order routing: rules, optimiser, simulation.", no_args_is_help=True
)
rules_app = typer.Typer(help="The routing rule set (versioned).", no_args_is_help=True)
routing_app.add_typer(rules_app, name="rules")


def _read_rules(path: Path) -> RuleSet:
    try:
        return RuleSet.model_validate_json(path.read_text())
    except OSError as exc:
        raise ValueError(f"cannot read {path}: {exc.strerror}") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(top)"
        raise ValueError(f"{path}: {where}: {first['msg']}") from None


@rules_app.command("show")
@with_podium
def rules_show(
    podium: Podium,
    version: int = typer.Option(None, help="An older version (default: the active one)."),
) -> None:
    """Print the rule set as JSON (the shape `set` reads)."""
    found = (
        routing.get_rules(podium.db)
        if version is None
        else routing.rule_version(podium.db, version)
    )
    out.print(f"# version {found.version}{' (active)' if found.active else ''}", highlight=False)
    out.print_json(found.rule_set.model_dump_json())


@rules_app.command("set")
@with_podium
def rules_set(podium: Podium, file: Path = typer.Argument(..., help="A JSON rule set.")) -> None:
    """Save FILE as the new active version."""
    rules = _read_rules(file)
    saved = routing.save_rules(podium.db, rules, ACTOR)
    out.print(f"Routing rules version {saved.version} is active ({len(rules.rules)} rules).")


@rules_app.command("history")
@with_podium
def rules_history(podium: Podium) -> None:
    """Every saved version, newest first."""
    table = Table("version", "active", "saved", "by", "rules", "note")
    for v in routing.rule_history(podium.db):
        table.add_row(
            str(v.version),
            "yes" if v.active else "",
            v.created_at.isoformat(timespec="seconds") if v.created_at else "built-in",
            v.created_by or "",
            ", ".join(r.name for r in v.rule_set.rules),
            v.note or "",
        )
    out.print(table)


@rules_app.command("rollback")
@with_podium
def rules_rollback(podium: Podium, version: int = typer.Argument(..., min=0)) -> None:
    """Make VERSION active again (saved as a new version)."""
    saved = routing.rollback(podium.db, version, ACTOR)
    out.print(f"Version {version} is active again as version {saved.version}.")


@routing_app.command("optimise")
@with_podium
def optimise(
    podium: Podium,
    warehouse: str = typer.Option(None, help="Only orders with a pending shipment here."),
    apply: bool = typer.Option(False, "--apply", help="Re-plan the orders (else a dry run)."),
    budget: float = typer.Option(10.0, min=0.1, max=300, help="Solver time budget, seconds."),
    limit: int = typer.Option(2000, min=1, max=5000, help="Most orders in the wave."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """Re-plan not-yet-released orders at the least total cost (MILP, HiGHS)."""
    # Imported here: the optimiser imports numpy and scipy (HiGHS), too slow to load for every
    # other command.
    from podium.routing import optimise_wave

    if warehouse is not None:
        get_warehouse(podium.db, warehouse)
    report = optimise_wave(
        podium.db,
        warehouse=warehouse,
        apply=apply,
        time_budget=budget,
        limit=limit,
        actor="cli:optimiser",
    ).as_json()
    if as_json:
        out.print_json(json.dumps(report))
        return
    table = Table("order", "before", "after", "saving", "applied")
    for c in report["changes"]:
        table.add_row(
            c["number"],
            _where(c["before"]),
            _where(c["after"]),
            c["saving"],
            "yes" if c["applied"] else "",
        )
    if report["changes"]:
        out.print(table)
    cur = report["currency"]
    out.print(
        f"{report['orders']} order(s) in the wave, solver {report['status']} in "
        f"{report['seconds']}s. Cost now {cur} {report['current_cost']}, under the rules "
        f"{cur} {report['rules_cost']}, optimised {cur} {report['optimised_cost']}: "
        f"{report['changed']} order(s) to move"
        + (f", {report['applied']} moved." if apply else " (dry run; --apply to move).")
    )


def _where(allocations: list[dict[str, object]]) -> str:
    return ", ".join(f"{a['quantity']}×{a['sku']}@{a['warehouse']}" for a in allocations)


@routing_app.command("simulate")
@with_podium
def simulate(
    podium: Podium,
    orders: Path = typer.Option(None, "--orders", help="A JSON file of order bodies."),
    last: int = typer.Option(None, "--last", min=1, max=100_000, help="The last N orders."),
    rules: Path = typer.Option(None, "--rules", help="A candidate rule set (JSON)."),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON."),
) -> None:
    """Replay orders under the current rules and a candidate, and compare the figures."""
    # Imported here: replays share the optimiser's types, and the optimiser imports numpy and
    # scipy, too slow to load for every other command.
    from podium.routing import compare, orders_from_file, percentile, recent_orders

    if (orders is None) == (last is None):
        raise ValueError("give exactly one of --orders FILE or --last N")
    candidate = _read_rules(rules) if rules is not None else None
    replayed = (
        recent_orders(podium.db, last)
        if last is not None
        else orders_from_file(podium.db, orders, podium.geocoder)
    )
    if not replayed:
        raise ValueError("no orders to replay")
    version, results = compare(podium.db, replayed, candidate)
    figures = {name: m.summary() for name, m in results.items()}
    if as_json:
        out.print_json(json.dumps({"rules_version": version, "results": figures}))
        return
    names = list(results)
    table = Table("", *names, title=f"{len(replayed)} order(s) replayed")
    cur = candidate.currency if candidate else "USD"
    rows: list[tuple[str, Callable[[Metrics], str]]] = [
        ("total cost", lambda m: f"{cur} {format_amount(m.cost, cur)}"),
        ("shipments per order", lambda m: f"{m.shipments_per_order:.3f}"),
        ("mean distance (km)", lambda m: f"{m.mean_distance_km:.0f}"),
        ("promise misses", lambda m: str(m.promise_misses)),
        ("units short", lambda m: str(m.short_units)),
        ("held by rules", lambda m: str(m.held)),
        ("decision p99 (ms)", lambda m: f"{percentile(m.decision_ms, 99):.3f}"),
    ]
    for label, show in rows:
        table.add_row(label, *(show(results[n]) for n in names))
    for w in sorted({w for m in results.values() for w in m.capacity_use}):
        table.add_row(f"parcels from {w}", *(str(results[n].capacity_use.get(w, 0)) for n in names))
    out.print(table)
