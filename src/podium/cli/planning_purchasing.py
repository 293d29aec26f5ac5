"""``podium planning po …``: purchase orders (create, send, receive, cancel)."""

from __future__ import annotations

import sys
from datetime import date
from typing import TYPE_CHECKING

import typer
from pydantic import BaseModel
from rich.table import Table

from podium import planning
from podium.cli.common import out, with_podium
from podium.planning import (
    PoFromSuggestionsIn,
    PurchaseOrderIn,
    PurchaseOrderView,
    ReceiptIn,
)

if TYPE_CHECKING:
    from podium.bootstrap import Podium

po_app = typer.Typer(
    help="Purchase orders: create, send to the supplier, receive, cancel.", no_args_is_help=True
)
ACTOR = "cli:planning"
JSON = typer.Option(False, "--json", help="Print the answer as JSON on stdout.")
LINES = typer.Option(..., "--line", help="SKU:QUANTITY (a PO line may add :UNIT_COST).")


def parse_lines(given: list[str], with_cost: bool = False) -> list[dict[str, object]]:
    lines: list[dict[str, object]] = []
    for text in given:
        parts = text.split(":")
        if len(parts) not in ((2, 3) if with_cost else (2,)) or not parts[1].isdigit():
            shape = "SKU:QUANTITY[:UNIT_COST]" if with_cost else "SKU:QUANTITY"
            raise ValueError(f"--line must be {shape}, not {text!r}")
        line: dict[str, object] = {"sku": parts[0], "quantity": int(parts[1])}
        if len(parts) == 3:
            line["unit_cost"] = parts[2]
        lines.append(line)
    return lines


def dump(views: list[BaseModel]) -> None:
    sys.stdout.write("[" + ",".join(v.model_dump_json() for v in views) + "]\n")


def _show_po(view: PurchaseOrderView, as_json: bool) -> None:
    if as_json:
        sys.stdout.write(view.model_dump_json(indent=2) + "\n")
        return
    out.print(
        f"{view.number} — {view.supplier} → {view.warehouse}, {view.status}, expected "
        f"{view.expected_on}, total {view.total} {view.currency}",
        highlight=False,
    )
    table = Table("sku", "ordered", "received", "open", "unit cost")
    for ln in view.lines:
        table.add_row(ln.sku, str(ln.quantity), str(ln.received), str(ln.open), ln.unit_cost)
    out.print(table)


def receipt_of(lines: list[str], key: str | None, allow_over: bool = False) -> ReceiptIn:
    return ReceiptIn.model_validate(
        {"key": key, "lines": parse_lines(lines), "allow_over_receipt": allow_over}
    )


@po_app.command("create")
@with_podium
def po_create(
    podium: Podium,
    supplier: str = typer.Argument(..., help="Supplier code."),
    warehouse: str = typer.Argument(..., help="Destination warehouse."),
    lines: list[str] = LINES,
    expected: str = typer.Option(None, "--expected", help="YYYY-MM-DD; default from lead time."),
    note: str = typer.Option(None, "--note"),
    as_json: bool = JSON,
) -> None:
    """A draft purchase order."""
    body = PurchaseOrderIn.model_validate(
        {
            "supplier": supplier,
            "warehouse": warehouse,
            "lines": parse_lines(lines, with_cost=True),
            "expected_on": date.fromisoformat(expected) if expected else None,
            "note": note,
        }
    )
    _show_po(planning.create_purchase_order(podium.db, body, ACTOR), as_json)


@po_app.command("from-suggestions")
@with_podium
def po_from_suggestions(
    podium: Podium,
    warehouse: str = typer.Option(None, "--warehouse"),
    supplier: str = typer.Option(None, "--supplier"),
    as_json: bool = JSON,
) -> None:
    """Draft POs for the due replenishment suggestions (one per supplier × warehouse)."""
    body = PoFromSuggestionsIn.model_validate({"warehouse": warehouse, "supplier": supplier})
    made = planning.purchase_orders_from_suggestions(podium.db, body, ACTOR)
    if as_json:
        dump(list(made))
        return
    for view in made:
        _show_po(view, False)
    out.print(f"{len(made)} purchase order(s) created", highlight=False)


@po_app.command("list")
@with_podium
def po_list(
    podium: Podium, status: str = typer.Option(None, "--status"), as_json: bool = JSON
) -> None:
    """Purchase orders by number."""
    views = planning.list_purchase_orders(podium.db, status=status, limit=500)
    if as_json:
        dump(list(views))
        return
    table = Table("number", "supplier", "warehouse", "status", "expected", "open units", "total")
    for v in views:
        table.add_row(
            v.number,
            v.supplier,
            v.warehouse,
            v.status,
            str(v.expected_on),
            str(sum(ln.open for ln in v.lines)),
            f"{v.total} {v.currency}",
        )
    out.print(table)


@po_app.command("show")
@with_podium
def po_show(podium: Podium, number: str = typer.Argument(...), as_json: bool = JSON) -> None:
    _show_po(planning.get_purchase_order(podium.db, number), as_json)


@po_app.command("send")
@with_podium
def po_send(
    podium: Podium,
    number: str = typer.Argument(...),
    no_email: bool = typer.Option(False, "--no-email", help="Only mark it sent."),
) -> None:
    """E-mail the PO (PDF and CSV) to the supplier and mark it sent."""

    def send(o: planning.Outgoing) -> str:
        return podium.emailer.send_mail(o.to, o.subject, o.text, o.html, o.attachments)

    _show_po(planning.send_purchase_order(podium.db, number, None if no_email else send), False)


@po_app.command("receive")
@with_podium
def po_receive(
    podium: Podium,
    number: str = typer.Argument(...),
    lines: list[str] = LINES,
    key: str = typer.Option(None, "--key", help="Idempotency key: a repeat books nothing."),
    allow_over: bool = typer.Option(False, "--allow-over", help="Accept more than is open."),
) -> None:
    """Receive units (all or some); they go on hand at the PO's warehouse."""
    body = receipt_of(lines, key, allow_over)
    _show_po(planning.receive_purchase_order(podium.db, number, body, ACTOR), False)


@po_app.command("cancel")
@with_podium
def po_cancel(podium: Podium, number: str = typer.Argument(...)) -> None:
    _show_po(planning.cancel_purchase_order(podium.db, number, ACTOR), False)


@po_app.command("reschedule")
@with_podium
def po_reschedule(
    podium: Podium,
    number: str = typer.Argument(...),
    expected: str = typer.Option(..., "--expected", help="The new expected day (YYYY-MM-DD)."),
) -> None:
    """Move a PO's expected day; the pre-orders promised against it follow."""
    body = planning.PurchaseOrderPatch.model_validate({"expected_on": expected})
    _show_po(planning.change_purchase_order(podium.db, number, body, ACTOR), False)
