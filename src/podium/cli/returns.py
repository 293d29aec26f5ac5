"""``podium returns …``: list, show, approve, reject, receive, refund and close RMAs."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.table import Table

from podium import returns
from podium.cli.common import out, with_podium
from podium.errors import NotFound
from podium.fulfillment import label_pdf, label_zpl
from podium.returns import (
    ExchangeIn,
    ReceiveIn,
    RefundIn,
    ReturnsQuery,
    ReturnView,
    approve_return,
    buy_return_label,
    close_return,
    create_exchange,
    get_return,
    receive_return,
    refund_return,
    reject_return,
)
from podium.returns import list_returns as listing

if TYPE_CHECKING:
    from podium.bootstrap import Podium

returns_app = typer.Typer(help="Returns (RMAs) and refunds.", no_args_is_help=True)


def _print(view: ReturnView) -> None:
    out.print(
        f"[bold]{view.id}[/bold] order {view.order_id}: {view.status}"
        + (f", tracking {view.tracking_number}" if view.tracking_number else ""),
        highlight=False,
    )
    table = Table("sku", "qty", "reason", "received", "restock", "damaged", "scrap", "refurbish")
    for ln in view.lines:
        table.add_row(
            ln.sku,
            str(ln.quantity),
            ln.reason,
            str(ln.quantity_received),
            str(ln.quantity_restocked),
            str(ln.quantity_damaged),
            str(ln.quantity_scrapped),
            str(ln.quantity_refurbished),
        )
    out.print(table)
    for r in view.refunds:
        out.print(f"refund {r.id}: {r.currency} {r.amount} ({r.method})", highlight=False)


@returns_app.command("list")
@with_podium
def list_returns(
    podium: Podium,
    status: str = typer.Option(None, help="requested, approved, in_transit, received, …"),
    order: str = typer.Option(None, help="Only this order's returns."),
    limit: int = typer.Option(50, min=1, max=200),
) -> None:
    """List returns, newest first."""
    query = ReturnsQuery.parse(
        {"status": status or "", "order_id": order or "", "limit": str(limit)}
    )
    items = listing(podium.db, query).items
    for r in items:  # one line per return: whole ids, easy to grep
        refunded = ", ".join(f"{x.currency} {x.amount}" for x in r.refunds) or "-"
        units = sum(ln.quantity for ln in r.lines)
        out.print(
            f"{r.id}  {r.order_id}  {r.status:<10}  {units} unit(s)  refunded {refunded}  "
            f"{r.created_at.isoformat(timespec='seconds')}",
            highlight=False,
            soft_wrap=True,
        )
    if not items:
        out.print("No returns.")


@returns_app.command("show")
@with_podium
def show(podium: Podium, return_id: str) -> None:
    """One return: lines, dispositions, refunds."""
    _print(get_return(podium.db, return_id))


@returns_app.command("approve")
@with_podium
def approve(podium: Podium, return_id: str) -> None:
    """Approve a requested return."""
    _print(approve_return(podium.db, return_id, "cli"))


@returns_app.command("reject")
@with_podium
def reject(podium: Podium, return_id: str, note: str = typer.Option(None, help="Why.")) -> None:
    """Reject a requested (or approved) return."""
    _print(reject_return(podium.db, return_id, "cli", note))


@returns_app.command("receive")
@with_podium
def receive(
    podium: Podium,
    return_id: str,
    line: list[str] = typer.Option(
        ...,
        "--line",
        help="SKU:QUANTITY:DISPOSITION[:WAREHOUSE], disposition restock|damaged|scrap|refurbish.",
    ),
) -> None:
    """Receive returned units, each with its disposition (restocked units go back on hand)."""
    lines = []
    for spec in line:
        parts = spec.split(":")
        if len(parts) not in (3, 4) or not parts[1].isdigit():
            raise ValueError(f"--line {spec!r}: expected SKU:QUANTITY:DISPOSITION[:WAREHOUSE]")
        entry = {"sku": parts[0], "quantity": int(parts[1]), "disposition": parts[2]}
        if len(parts) == 4:
            entry["warehouse"] = parts[3]
        lines.append(entry)
    data = ReceiveIn.model_validate({"lines": lines})
    _print(receive_return(podium.db, return_id, data, "cli"))


@returns_app.command("refund")
@with_podium
def refund(
    podium: Podium,
    return_id: str,
    amount: str = typer.Option(None, help='Amount such as "12.50"; default: the units\' worth.'),
    include_shipping: bool = typer.Option(False, "--include-shipping"),
    store_credit: bool = typer.Option(False, "--store-credit", help="As store credit."),
) -> None:
    """Refund a return, exactly (lines, their discount and tax shares, optionally shipping)."""
    data = RefundIn(
        amount=amount,
        include_shipping=include_shipping,
        method="store_credit" if store_credit else "original_payment",
    )
    r = refund_return(podium.db, return_id, data, podium.gateways, "cli")
    out.print(f"Refunded {r.currency} {r.amount} ({r.method}) as {r.id}.", highlight=False)


@returns_app.command("close")
@with_podium
def close(podium: Podium, return_id: str) -> None:
    """Close a settled return."""
    _print(close_return(podium.db, return_id, "cli"))


@returns_app.command("exchange")
@with_podium
def exchange(
    podium: Podium,
    return_id: str,
    line: list[str] = typer.Option(
        ..., "--line", help="SKU:QUANTITY[:UNIT_PRICE] of the replacement (price 0 by default)."
    ),
    advance: bool = typer.Option(False, "--advance", help="Ship now, held until the return."),
) -> None:
    """Place a replacement order for a return."""
    lines = []
    for spec in line:
        parts = spec.split(":")
        if len(parts) not in (2, 3) or not parts[1].isdigit():
            raise ValueError(f"--line {spec!r}: expected SKU:QUANTITY[:UNIT_PRICE]")
        entry = {"sku": parts[0], "quantity": int(parts[1])}
        if len(parts) == 3:
            entry["unit_price"] = parts[2]
        lines.append(entry)
    data = ExchangeIn.model_validate({"lines": lines, "advance": advance})
    made = create_exchange(podium.db, return_id, data, "cli", allocator=podium.allocator)
    out.print(
        f"Replacement order {made.number} ({made.order_id}) is {made.status}.",
        highlight=False,
        soft_wrap=True,
    )


@returns_app.command("label")
@with_podium
def label(
    podium: Podium,
    return_id: str,
    carrier: str = typer.Option(None, help="Carrier account code; omit to rate-shop."),
    service: str = typer.Option(None, help="Service, e.g. ground."),
    warehouse: str = typer.Option(None, help="Send it back here instead."),
    out_file: Path = typer.Option(None, "--out", help="Write the label here (.pdf or .zpl)."),
) -> None:
    """Buy the return label of an approved return (or reuse the one it has) and write it as
    PDF or ZPL."""
    data = returns.ReturnLabelIn(carrier=carrier, service=service, warehouse=warehouse)
    try:
        bought = returns.get_return_label(podium.db, return_id)
    except NotFound as exc:
        if exc.code != "label_not_found":
            raise
        bought = buy_return_label(podium.db, podium.carriers, return_id, data, "cli")
    doc = returns.return_label_document(podium.db, return_id)
    target = out_file or Path(f"return-label-{bought.tracking_number}.pdf")
    if target.suffix == ".zpl":
        target.write_text(label_zpl(doc))
    else:
        target.write_bytes(label_pdf(doc))
    out.print(
        f"{bought.carrier_name} {bought.service}, {bought.rate.currency} "
        f"{bought.rate.amount}: tracking {bought.tracking_number} back to "
        f"{bought.warehouse}; label at {target}",
        highlight=False,
    )
