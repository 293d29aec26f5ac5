"""``podium orders cancel``, registered on the orders group by ``podium.cli``: the same
cancellation as the API and the dashboard (unshipped units only, what was paid for them
refunded by the payment policy)."""

from __future__ import annotations

import typer

__all__ = ["cancel"]


def cancel(
    order_id: str,
    reason: str = typer.Option(None, "--reason", help="Why (on the timeline and the e-mail)."),
) -> None:
    """Cancel an order; a partly shipped one keeps its shipped units (the rest is cancelled)."""
    from podium.cli import _opened, friendly, out
    from podium.returns.cancellation import cancel_order

    @friendly
    def run() -> None:
        with _opened() as podium:
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

    run()
