"""``podium orders …``: find orders as the API and the dashboard do (filters, ``q``, number)."""

from __future__ import annotations

import typer

app = typer.Typer(help="Find and read orders.", no_args_is_help=True)


@app.command("list")
def list_orders(
    q: str = typer.Option(None, "--q", help="Order number, external id, e-mail or a name."),
    status: str = typer.Option(None, help="ready, on_hold, shipped, …"),
    channel: str = typer.Option(None, help="Only this channel's orders."),
    number: str = typer.Option(None, help="Exact order number, e.g. PD-100001."),
    limit: int = typer.Option(20, min=1, max=200),
    cursor: str = typer.Option(None, help="A next/prev cursor printed by an earlier page."),
) -> None:
    """Orders, newest first: one line each, then the total and the cursors of the neighbours."""
    from podium.cli import _opened, friendly, out
    from podium.orders.lifecycle import list_orders as listing
    from podium.orders.queue import QueueQuery

    @friendly
    def run() -> None:
        params = {"q": q, "status": status, "channel": channel, "number": number}
        params |= {"cursor": cursor, "limit": str(limit)}
        query = QueueQuery.parse({k: v for k, v in params.items() if v is not None})
        with _opened() as podium:
            page = listing(podium.db, query)
        for o in page.items:  # whole ids on one line each: easy to grep
            out.print(
                f"{o.id}  {o.number}  {o.status:<18}  {o.currency} {o.total}  "
                f"{o.customer.get('email') or '-'}",
                highlight=False,
                soft_wrap=True,
            )
        if page.total is not None:
            more = "" if page.total.exact else "more than "
            out.print(f"{more}{page.total.value} order(s) match", highlight=False)
        if page.next_cursor:
            out.print(f"next: --cursor {page.next_cursor}", highlight=False, soft_wrap=True)
        if page.prev_cursor:
            out.print(f"prev: --cursor {page.prev_cursor}", highlight=False, soft_wrap=True)

    run()


@app.command("show")
def show(
    order: str = typer.Argument(..., help="An order id (ord_…) or number (PD-100001)."),
) -> None:
    """One order: status, lines and shipments."""
    from podium.cli import _opened, friendly, out
    from podium.orders.lifecycle import get_order

    @friendly
    def run() -> None:
        with _opened() as podium:
            view = get_order(podium.db, order)
        out.print(
            f"[bold]{view.number}[/bold] {view.id}: {view.status}, {view.currency} {view.total}",
            highlight=False,
        )
        for ln in view.lines:
            out.print(f"  {ln.quantity} × {ln.sku}", highlight=False)
        for s in view.shipments:
            out.print(f"  shipment {s.id} from {s.warehouse}: {s.status}", highlight=False)

    run()
