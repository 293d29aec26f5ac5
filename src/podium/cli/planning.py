"""``podium planning``: demand history (import, rebuild, show), forecasts and their backtest.
Exit 0 done, 1 rows rejected, 2 operator mistake."""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from podium import planning
from podium.cli.common import err, out, read_file, with_podium
from podium.cli.planning_purchasing import po_app
from podium.cli.planning_supply import policy, replenish, suppliers_app
from podium.cli.planning_transfers import incoming, preorder_cap, transfer_app
from podium.planning import ForecastRunIn, HistoryImportReport

if TYPE_CHECKING:
    from podium.bootstrap import Podium

planning_app = typer.Typer(
    help="Demand planning: sales history, forecasts, suppliers and replenishment.",
    no_args_is_help=True,
)
history_app = typer.Typer(
    help="Daily demand history: import, rebuild from orders, show.", no_args_is_help=True
)
planning_app.add_typer(history_app, name="history")

MAX_SHOWN = 50
_JSON = typer.Option(False, "--json", help="Print the answer as JSON on stdout.")


def _day(text: str | None, name: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{name} must be a YYYY-MM-DD date, not {text!r}") from None


@history_app.command("import")
@with_podium
def history_import(
    podium: Podium,
    file: Path = typer.Argument(
        ..., help="CSV date,sku,quantity[,warehouse][,channel][,stockout]; '-' = stdin."
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="Validate; write nothing."),
    as_json: bool = _JSON,
) -> None:
    """Import sales history, all or nothing; re-importing a file changes nothing."""
    report = planning.import_history(podium.db, read_file(file), dry_run=dry_run)
    if as_json:
        sys.stdout.write(report.model_dump_json(indent=2) + "\n")
    else:
        _print_import(report)
    if report.rejects:
        raise typer.Exit(1)


def _print_import(report: HistoryImportReport) -> None:
    summary = Table("", "", show_header=False, box=None)
    summary.add_row("rows read", str(report.rows_read))
    summary.add_row("rows imported" if report.written else "rows valid", str(report.rows))
    summary.add_row("series", str(report.series))
    summary.add_row("stock-out days", str(report.stockout_days))
    if report.first_day is not None:
        summary.add_row("days", f"{report.first_day} … {report.last_day}")
    summary.add_row("rejected rows", str(len(report.rejects)))
    out.print(summary)
    if report.rejects:
        table = Table("line", "column", "code", "why", title="Rejected (nothing was imported)")
        for r in report.rejects[:MAX_SHOWN]:
            table.add_row(str(r.line), r.field, r.code, r.message)
        out.print(table)
        if len(report.rejects) > MAX_SHOWN:
            out.print(f"… and {len(report.rejects) - MAX_SHOWN} more (--json shows all)")


@history_app.command("rebuild")
@with_podium
def history_rebuild(
    podium: Podium,
    since: str = typer.Option(None, "--since", help="Rebuild from this day on (YYYY-MM-DD)."),
) -> None:
    """Rebuild daily demand from orders (net of cancellations) and stock-outs from the ledger."""
    done = planning.rebuild_history(podium.db, since=_day(since, "--since"))
    out.print(
        f"{done.order_lines} order lines → {done.demand_rows} daily rows, "
        f"{done.stockout_days} stock-out days; history ends {done.last_day or '(none)'}",
        highlight=False,
    )


@history_app.command("show")
@with_podium
def history_show(
    podium: Podium,
    sku: str = typer.Argument(..., help="The SKU."),
    by: str = typer.Option("warehouse", "--by", help="warehouse or channel."),
    since: str = typer.Option(None, "--from", help="First day (YYYY-MM-DD)."),
) -> None:
    """Daily units of a SKU per warehouse or per channel."""
    if by not in ("warehouse", "channel"):
        raise ValueError("--by must be warehouse or channel")
    rows = planning.demand_history(podium.db, by=by, sku=sku, first=_day(since, "--from"))
    table = Table("date", by, "units")
    for r in rows:
        table.add_row(
            str(r.date), (r.warehouse if by == "warehouse" else r.channel) or "—", str(r.quantity)
        )
    out.print(table)


@planning_app.command("forecast")
@with_podium
def forecast(
    podium: Podium,
    horizon: int = typer.Option(28, "--horizon", min=1, max=366, help="Days to forecast."),
    level: int = typer.Option(90, "--level", min=50, max=99, help="Interval coverage, %."),
    no_rebuild: bool = typer.Option(
        False, "--no-rebuild", help="Forecast from the history as it is (no rebuild from orders)."
    ),
) -> None:
    """Forecast every SKU × warehouse (each series' method chosen by a backtest)."""
    started = datetime.now()
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as bar:
        task = bar.add_task("Forecasting series", total=None)
        run = planning.run_forecast(
            podium.db,
            ForecastRunIn(horizon_days=horizon, level=level),
            actor="cli:planning",
            rebuild=not no_rebuild,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    seconds = (datetime.now() - started).total_seconds()
    out.print(
        f"run {run.id}: {run.series} series, {run.horizon_days} days from {run.first_day}, "
        f"{seconds:.1f}s",
        highlight=False,
    )
    methods = Table("method", "series")
    for name, count in run.methods.items():
        methods.add_row(name, str(count))
    out.print(methods)
    _print_overall(run.overall)


def _print_overall(overall: dict[str, float | None]) -> None:
    table = Table("", "chosen", "seasonal naive", title="Backtest (rolling origin)")
    for name in ("rmsse", "mase"):
        table.add_row(name.upper(), _num(overall.get(name)), _num(overall.get(f"naive_{name}")))
    out.print(table)
    gain = overall.get("rmsse_improvement")
    if gain is not None:
        out.print(f"RMSSE {gain:.1%} lower than seasonal naive", highlight=False)


def _num(value: float | str | None) -> str:
    return "—" if value is None else f"{float(value):.3f}"


@planning_app.command("show")
@with_podium
def show(
    podium: Podium,
    sku: str = typer.Argument(..., help="The SKU."),
    warehouse: str = typer.Option(None, "--warehouse", help="One warehouse, not the sum."),
    channel: str = typer.Option(
        None, "--channel", help="One sales channel (the forecast × its share of recent units)."
    ),
    as_json: bool = _JSON,
) -> None:
    """The latest forecast of a SKU, day by day with its interval."""
    view = planning.forecast_for(podium.db, sku, warehouse, channel)
    if as_json:
        sys.stdout.write(view.model_dump_json(indent=2) + "\n")
        return
    table = Table(
        "date",
        "forecast",
        f"lo ({view.level}%)",
        "hi",
        title=f"{view.sku}{f' ({channel})' if channel else ''} — {view.method}",
    )
    for d in view.daily:
        table.add_row(str(d.date), f"{d.quantity:.2f}", f"{d.lo:.2f}", f"{d.hi:.2f}")
    out.print(table)


@planning_app.command("backtest")
@with_podium
def backtest(
    podium: Podium,
    limit: int = typer.Option(20, "--limit", min=1, help="SKUs to list (worst RMSSE first)."),
) -> None:
    """Accuracy of the latest run, overall and per SKU, beside seasonal naive."""
    view = planning.backtest(podium.db)
    _print_overall(view.overall)
    table = Table("sku", "method", "RMSSE", "naive RMSSE", "MASE", "naive MASE")
    ranked = sorted(view.skus, key=lambda s: -float(s.get("rmsse") or 0))
    for s in ranked[:limit]:
        table.add_row(
            str(s["sku"]),
            str(s["method"]),
            _num(s.get("rmsse")),
            _num(s.get("naive_rmsse")),
            _num(s.get("mase")),
            _num(s.get("naive_mase")),
        )
    out.print(table)


planning_app.add_typer(suppliers_app, name="suppliers")
planning_app.command("policy")(policy)
planning_app.command("replenish")(replenish)
planning_app.add_typer(po_app, name="po")
planning_app.add_typer(transfer_app, name="transfer")
planning_app.command("incoming")(incoming)
planning_app.command("preorder-cap")(preorder_cap)
