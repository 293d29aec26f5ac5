"""``podium planning transfer …``, ``podium planning incoming`` and ``podium planning
preorder-cap``: transfers between warehouses, what is on its way, selling ahead of it."""

from __future__ import annotations

import sys
from datetime import date
from typing import TYPE_CHECKING

import typer
from rich.table import Table

from podium import planning
from podium.cli.common import out, with_podium
from podium.cli.planning_purchasing import ACTOR, JSON, LINES, dump, parse_lines, receipt_of
from podium.planning import PreorderCapIn, TransferIn, TransferView

if TYPE_CHECKING:
    from podium.bootstrap import Podium

transfer_app = typer.Typer(
    help="Transfers between warehouses: create, ship, receive, cancel.", no_args_is_help=True
)


def _show_transfer(view: TransferView, as_json: bool) -> None:
    if as_json:
        sys.stdout.write(view.model_dump_json(indent=2) + "\n")
        return
    out.print(f"{view.number} — {view.source} → {view.target}, {view.status}", highlight=False)
    table = Table("sku", "quantity", "received", "open")
    for ln in view.lines:
        table.add_row(ln.sku, str(ln.quantity), str(ln.received), str(ln.open))
    out.print(table)


@transfer_app.command("create")
@with_podium
def tr_create(
    podium: Podium,
    source: str = typer.Argument(...),
    target: str = typer.Argument(...),
    lines: list[str] = LINES,
    expected: str = typer.Option(None, "--expected", help="YYYY-MM-DD."),
    as_json: bool = JSON,
) -> None:
    """A draft transfer."""
    body = TransferIn.model_validate(
        {
            "source": source,
            "target": target,
            "lines": parse_lines(lines),
            "expected_on": date.fromisoformat(expected) if expected else None,
        }
    )
    _show_transfer(planning.create_transfer(podium.db, body, ACTOR), as_json)


@transfer_app.command("from-suggestions")
@with_podium
def tr_from_suggestions(
    podium: Podium, warehouse: str = typer.Option(None, "--warehouse"), as_json: bool = JSON
) -> None:
    """Draft transfers for the replenishment's suggested moves."""
    made = planning.transfers_from_suggestions(podium.db, warehouse, None, ACTOR)
    if as_json:
        dump(list(made))
        return
    for view in made:
        _show_transfer(view, False)
    out.print(f"{len(made)} transfer(s) created", highlight=False)


@transfer_app.command("list")
@with_podium
def tr_list(
    podium: Podium, status: str = typer.Option(None, "--status"), as_json: bool = JSON
) -> None:
    views = planning.list_transfers(podium.db, status=status, limit=500)
    if as_json:
        dump(list(views))
        return
    table = Table("number", "source", "target", "status", "open units")
    for v in views:
        open_units = str(sum(ln.open for ln in v.lines))
        table.add_row(v.number, v.source, v.target, v.status, open_units)
    out.print(table)


@transfer_app.command("show")
@with_podium
def tr_show(podium: Podium, number: str = typer.Argument(...), as_json: bool = JSON) -> None:
    _show_transfer(planning.get_transfer(podium.db, number), as_json)


@transfer_app.command("ship")
@with_podium
def tr_ship(podium: Podium, number: str = typer.Argument(...)) -> None:
    """The units leave the source warehouse and are in transit."""
    _show_transfer(planning.ship_transfer(podium.db, number, ACTOR), False)


@transfer_app.command("receive")
@with_podium
def tr_receive(
    podium: Podium,
    number: str = typer.Argument(...),
    lines: list[str] = LINES,
    key: str = typer.Option(None, "--key", help="Idempotency key: a repeat books nothing."),
) -> None:
    _show_transfer(
        planning.receive_transfer(podium.db, number, receipt_of(lines, key), ACTOR), False
    )


@transfer_app.command("cancel")
@with_podium
def tr_cancel(podium: Podium, number: str = typer.Argument(...)) -> None:
    _show_transfer(planning.cancel_transfer(podium.db, number), False)


@with_podium
def incoming(
    podium: Podium,
    sku: str = typer.Option(None, "--sku"),
    warehouse: str = typer.Option(None, "--warehouse"),
    as_json: bool = JSON,
) -> None:
    """Units on open purchase orders and transfers in transit, soonest first."""
    rows = planning.incoming(podium.db, sku=sku, warehouse=warehouse)
    if as_json:
        dump(list(rows))
        return
    table = Table("sku", "warehouse", "units", "expected", "document")
    for r in rows:
        table.add_row(r.sku, r.warehouse, str(r.quantity), str(r.expected_on or "—"), r.document)
    out.print(table)


@with_podium
def preorder_cap(
    podium: Podium,
    channel: str = typer.Argument(..., help="Channel code."),
    cap: int = typer.Option(None, "--cap", help="Units of a SKU it may sell ahead."),
    off: bool = typer.Option(False, "--off", help="No pre-orders on this channel."),
) -> None:
    """Let a channel sell ahead of incoming stock (sent POs) up to a cap per SKU."""
    if (cap is None) == (not off):
        raise ValueError("give --cap N or --off")
    view = planning.set_preorder_cap(podium.db, channel, PreorderCapIn(cap=None if off else cap))
    said = "no pre-orders" if view.cap is None else f"pre-orders up to {view.cap} per SKU"
    out.print(f"{view.channel}: {said}", highlight=False)
