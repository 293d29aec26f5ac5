"""``podium import orders|inventory FILE``: exit 0 imported, 1 rows rejected, 2 operator mistake."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from podium.cli.common import err, out, read_file, with_podium
from podium.imports import ImportReport, list_runs
from podium.imports import import_inventory as run_inventory
from podium.imports import import_orders as run_orders

if TYPE_CHECKING:
    from podium.bootstrap import Podium

import_app = typer.Typer(
    help="Import orders or stock from a CSV file (all or nothing, with a reject report).",
    no_args_is_help=True,
)

MAX_SHOWN = 50

_FILE = typer.Argument(..., help="The CSV file (UTF-8, ',' ';' or tab separated); '-' = stdin.")
_DRY = typer.Option(False, "--dry-run", help="Validate and simulate; write nothing.")
_PARTIAL = typer.Option(
    False, "--partial", help="Import the good orders/rows and skip rejected ones."
)
_JSON = typer.Option(False, "--json", help="Print the full report as JSON on stdout.")
_ENCODING = typer.Option(
    None,
    "--encoding",
    help="The file's encoding when not UTF-8/UTF-16, e.g. cp1252 (Excel's 'CSV' on Windows).",
)


def _name(path: Path) -> str | None:
    return None if str(path) == "-" else path.name


def _progress() -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    )


@import_app.command("orders")
@with_podium
def import_orders(
    podium: Podium,
    file: Path = _FILE,
    channel: str = typer.Option(..., "--channel", help="The channel the orders were sold on."),
    dry_run: bool = _DRY,
    partial: bool = _PARTIAL,
    as_json: bool = _JSON,
    encoding: str = _ENCODING,
) -> None:
    """Import orders: one row per order line, rows grouped into orders by order id."""
    data = read_file(file)
    with _progress() as bar:
        task = bar.add_task("Placing orders", total=None)
        report = run_orders(
            podium.db,
            data,
            channel=channel,
            allocator=podium.allocator,
            actor="cli:import",
            dry_run=dry_run,
            partial=partial,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
            filename=_name(file),
            encoding=encoding,
        )
    _finish(report, as_json)


@import_app.command("inventory")
@with_podium
def import_inventory(
    podium: Podium,
    file: Path = _FILE,
    dry_run: bool = _DRY,
    partial: bool = _PARTIAL,
    as_json: bool = _JSON,
    encoding: str = _ENCODING,
    force: bool = typer.Option(
        False, "--force", help="Apply a file that was already imported once more."
    ),
) -> None:
    """Import stock: per SKU × warehouse an on_hand count (adjusts the difference) or a delta."""
    data = read_file(file)
    with _progress() as bar:
        task = bar.add_task("Applying stock", total=None)
        report = run_inventory(
            podium.db,
            data,
            actor="cli:import",
            dry_run=dry_run,
            partial=partial,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
            filename=_name(file),
            encoding=encoding,
            force=force,
        )
    _finish(report, as_json)


@import_app.command("history")
@with_podium
def history(
    podium: Podium,
    kind: str = typer.Option(None, "--kind", help="orders or inventory."),
    limit: int = typer.Option(20, min=1, max=200),
) -> None:
    """Imports that wrote something, newest first."""
    if kind not in (None, "orders", "inventory"):
        raise ValueError("--kind must be orders or inventory")
    runs = list_runs(podium.db, kind=kind, limit=limit).items
    table = Table("id", "at", "kind", "channel", "file", "rows", "created", "movements", "by")
    for r in runs:
        table.add_row(
            r.id,
            r.created_at.isoformat(timespec="seconds"),
            r.kind,
            r.channel or "",
            r.filename or r.digest[:12],
            str(r.rows_read),
            str(r.created),
            str(r.movements),
            r.actor,
        )
    out.print(table)


def _finish(report: ImportReport, as_json: bool) -> None:
    if as_json:
        sys.stdout.write(report.model_dump_json(indent=2) + "\n")
    else:
        _print(report)
    if report.rejects:
        raise typer.Exit(1)


def _print(report: ImportReport) -> None:
    summary = Table("", "", show_header=False, box=None)
    summary.add_row("rows read", str(report.rows_read))
    if report.kind == "orders":
        summary.add_row("orders found", str(report.orders_found))
        summary.add_row("created", str(report.created))
        summary.add_row("would create", str(report.would_create))
        summary.add_row("already present", str(report.already_present))
        if report.differs:
            summary.add_row("  of which differ", str(report.differs))
        summary.add_row("back-ordered", str(report.backordered))
    else:
        summary.add_row("movements applied", str(report.applied))
        summary.add_row("would apply", str(report.would_apply))
        summary.add_row("unchanged", str(report.unchanged))
    summary.add_row("rejected rows", str(len(report.rejects)))
    out.print(summary)
    held = [o for o in report.orders if o.backordered]
    if held:
        table = Table("line", "order id", "number", "status", title="Back-ordered (short of stock)")
        for o in held[:MAX_SHOWN]:
            table.add_row(str(o.line), o.external_id, o.number or "", o.status or "")
        out.print(table)
    if report.movements:
        table = Table("line", "sku", "warehouse", "reason", "before", "change", "after")
        for m in report.movements[:MAX_SHOWN]:
            table.add_row(
                str(m.line),
                m.sku,
                m.warehouse,
                m.reason,
                str(m.on_hand_before),
                f"{m.delta:+d}",
                str(m.on_hand_after),
            )
        out.print(table)
    if report.rejects:
        table = Table("line", "field", "code", "message", title="Rejected rows")
        for r in report.rejects[:MAX_SHOWN]:
            table.add_row(str(r.line), r.field, r.code, r.message)
        out.print(table)
        if len(report.rejects) > MAX_SHOWN:
            out.print(f"… and {len(report.rejects) - MAX_SHOWN} more (see --json).")
    if report.differs:
        out.print(
            f"{report.differs} order(s) already in Podium differ from the file; they were left "
            "as they are (change them in Podium, not by importing again).",
            highlight=False,
        )
    if report.ignored_columns:
        out.print("Ignored columns: " + ", ".join(report.ignored_columns), highlight=False)
    if report.rejects and not report.partial:
        out.print("[red]Nothing was imported.[/red] Fix the rows above and import again.")
    elif report.dry_run:
        out.print("[yellow]Dry run:[/yellow] nothing was written.")
    elif report.written:
        out.print("[green]Imported.[/green]")
    else:
        out.print("Nothing to do: everything in the file is already there.")
