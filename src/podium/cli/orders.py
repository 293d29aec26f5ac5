"""``podium orders …``: find orders as the API and the dashboard do (filters, ``q``, number),
show one (with its risk), release its holds, and cancel one as they do (unshipped units only,
what was paid for them refunded by the payment policy)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from podium.cli.common import out, with_podium
from podium.orders import QueueQuery, TagsIn, get_order, release_order, tag_order
from podium.orders import list_orders as listing
from podium.returns import cancel_order

if TYPE_CHECKING:
    from podium.bootstrap import Podium

orders_app = typer.Typer(help="Find and read orders.", no_args_is_help=True)


@orders_app.command("list")
@with_podium
def list_orders(
    podium: Podium,
    q: str = typer.Option(None, "--q", help="Order number, external id, e-mail or a name."),
    status: str = typer.Option(None, help="ready, on_hold, shipped, …"),
    channel: str = typer.Option(None, help="Only this channel's orders."),
    number: str = typer.Option(None, help="Exact order number, e.g. PD-100001."),
    tag: str = typer.Option(None, help="Only orders carrying this tag."),
    limit: int = typer.Option(20, min=1, max=200),
    cursor: str = typer.Option(None, help="A next/prev cursor printed by an earlier page."),
) -> None:
    """Orders, newest first: one line each, then the total and the cursors of the neighbours."""
    params = {"q": q, "status": status, "channel": channel, "number": number, "tag": tag}
    params |= {"cursor": cursor, "limit": str(limit)}
    query = QueueQuery.parse({k: v for k, v in params.items() if v is not None})
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


@orders_app.command("show")
@with_podium
def show(
    podium: Podium,
    order: str = typer.Argument(..., help="An order id (ord_…) or number (PD-100001)."),
) -> None:
    """One order: status, risk, holds, tags, lines and shipments."""
    view = get_order(podium.db, order)
    out.print(
        f"[bold]{view.number}[/bold] {view.id}: {view.status}, {view.currency} {view.total}",
        highlight=False,
    )
    for line in _risk_lines(view.risk):
        out.print(line, highlight=False, soft_wrap=True, markup=False)
    for h in view.holds:
        note = f": {h.note}" if h.note else ""
        out.print(f"  hold {h.id} ({h.reason}){note}", highlight=False, markup=False)
    if view.tags:
        out.print(f"  tags: {', '.join(view.tags)}", highlight=False, markup=False)
    for ln in view.lines:
        out.print(f"  {ln.quantity} × {ln.sku}", highlight=False)
    for s in view.shipments:
        out.print(f"  shipment {s.id} from {s.warehouse}: {s.status}", highlight=False)


@orders_app.command("tracking-link")
@with_podium
def tracking_link(
    podium: Podium,
    order: str = typer.Argument(..., help="An order id (ord_…) or number (PD-100001)."),
) -> None:
    """The shopper's order status page (the link in every customer e-mail), alone on a line."""
    view = get_order(podium.db, order)
    out.print(podium.shopper.tracking_url(view.id), highlight=False, soft_wrap=True)


def _risk_lines(risk: dict[str, Any] | None) -> list[str]:
    """``risk: 85/100 high`` and one line per signal (points, code, detail)."""
    if risk is None:
        return ["  risk: not assessed"]
    lines = [f"  risk: {risk.get('score')}/100 {risk.get('level')}"]
    for signal in risk.get("signals") or []:
        detail = f" — {signal['detail']}" if signal.get("detail") else ""
        lines.append(f"    +{signal.get('points')} {signal.get('code')}{detail}")
    return lines


@orders_app.command("release")
@with_podium
def release(
    podium: Podium,
    order: str = typer.Argument(..., help="An order id (ord_…) or number (PD-100001)."),
    hold: str = typer.Option(None, "--hold", help="Only this hold (default: every open one)."),
) -> None:
    """Release an order's holds (as POST /orders/{id}/release); releasing a risk hold is the
    reviewer's approval, on the timeline as such."""
    found = get_order(podium.db, order)
    view = release_order(podium.db, found.id, "cli", allocator=podium.allocator, hold_id=hold)
    still = ", ".join(h.reason for h in view.holds)
    out.print(
        f"{view.number} is {view.status}" + (f" (still held: {still})." if still else "."),
        highlight=False,
    )


@orders_app.command("cancel")
@with_podium
def cancel(
    podium: Podium,
    order_id: str,
    reason: str = typer.Option(None, "--reason", help="Why (on the timeline and the e-mail)."),
) -> None:
    """Cancel an order; a partly shipped one keeps its shipped units (the rest is cancelled)."""
    view = cancel_order(podium.db, order_id, "cli", podium.gateways, reason)
    cancelled = sum(ln.quantity_cancelled for ln in view.lines)
    shipped = sum(ln.quantity_shipped for ln in view.lines)
    out.print(
        f"Order {view.number} is {view.status}: {cancelled} unit(s) cancelled, "
        f"{shipped} shipped unit(s) kept; total now {view.currency} {view.total}, "
        f"payment {view.payment_status}.",
        highlight=False,
        soft_wrap=True,
    )


@orders_app.command("tag")
@with_podium
def tag(
    podium: Podium,
    order: str = typer.Argument(..., help="An order id (ord_…) or number (PD-100001)."),
    add: list[str] = typer.Option([], "--add", help="A tag to add (repeat for more)."),
    remove: list[str] = typer.Option([], "--remove", help="A tag to remove (repeat for more)."),
) -> None:
    """Add and remove an order's tags; prints the tags it now carries."""
    view = tag_order(podium.db, order, TagsIn(add=add, remove=remove), "cli")
    out.print(f"{view.number}: {', '.join(view.tags) or '(no tags)'}", highlight=False)
