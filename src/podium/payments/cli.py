"""``podium export accounting``: the accounting CSV for a range of days."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import typer

app = typer.Typer(help="Exports.", no_args_is_help=True)


@app.command("accounting")
def accounting(
    start: str = typer.Option(..., "--from", help="First day, YYYY-MM-DD (UTC)."),
    end: str = typer.Option(..., "--to", help="Last day, YYYY-MM-DD (UTC), included."),
    output: Path = typer.Option(None, "--output", "-o", help="Write here instead of stdout."),
) -> None:
    """Sales, discounts, shipping, tax and refunds per day, channel and currency, as CSV."""
    from podium.cli import _opened, err, friendly
    from podium.payments.accounting import accounting_csv

    @friendly
    def run() -> None:
        try:
            first, last = date.fromisoformat(start), date.fromisoformat(end)
        except ValueError as exc:
            raise ValueError(f"--from/--to take dates like 2026-11-25 ({exc})") from None
        with _opened() as podium:
            text = accounting_csv(podium.db, first, last)
        if output is None:
            sys.stdout.write(text)
        else:
            output.write_text(text)
            err.print(f"Wrote {output}.")

    run()
