"""``podium reports NAME``: one planning report (sales, forecast vs actual, stock-out risk,
fulfilment, returns) as a table, JSON or CSV. Exit 0 done, 2 operator mistake."""

from __future__ import annotations

import json
import sys
from datetime import date
from typing import TYPE_CHECKING

import typer
from rich.table import Table

from podium import reports
from podium.cli.common import out, with_podium

if TYPE_CHECKING:
    from podium.bootstrap import Podium

MAX_SHOWN = 100


def _day(text: str | None, name: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{name} must be a YYYY-MM-DD date, not {text!r}") from None


@with_podium
def report(
    podium: Podium,
    name: str = typer.Argument(..., help=f"One of: {', '.join(reports.REPORTS)}."),
    start: str | None = typer.Option(None, "--from", help="First day (UTC), YYYY-MM-DD."),
    end: str | None = typer.Option(None, "--to", help="Last day (UTC), included; today."),
    channel: str | None = typer.Option(None, "--channel", help="One channel only."),
    warehouse: str | None = typer.Option(None, "--warehouse", help="One warehouse only."),
    as_csv: bool = typer.Option(False, "--csv", help="Print the report as CSV on stdout."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON on stdout."),
) -> None:
    """Reports: sales, forecast vs actual, stock-out risk, fulfilment, returns.

    Over days --from to --to (the last 28 by default), optionally one channel or warehouse."""
    query = reports.build_query(
        podium.db, _day(start, "--from"), _day(end, "--to"), channel, warehouse
    )
    found = reports.run_report(podium.db, name, query)
    if as_csv:
        sys.stdout.write(reports.report_csv(found))
        return
    if as_json:
        sys.stdout.write(json.dumps(found.as_json(), indent=2) + "\n")
        return
    filters = "".join(
        f", {k} {v}" for k, v in (("channel", query.channel), ("warehouse", query.warehouse)) if v
    )
    table = Table(
        *(c.label for c in found.columns),
        title=f"{found.title}: {query.first} … {query.last}{filters}",
        caption=found.note,
    )
    for row in found.rows[:MAX_SHOWN]:
        table.add_row(
            *("" if row.get(c.key) is None else str(row.get(c.key)) for c in found.columns)
        )
    out.print(table)
    if len(found.rows) > MAX_SHOWN:
        out.print(f"… and {len(found.rows) - MAX_SHOWN} more rows (--csv for all).")
