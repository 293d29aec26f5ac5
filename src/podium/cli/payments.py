"""``podium export accounting`` (the accounting CSV) and ``podium payments list|record``."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from podium.cli.common import err, out, with_podium
from podium.payments import (
    GatewayIn,
    PaymentIn,
    list_gateways,
    list_payments,
    put_gateway,
    record_payment,
)
from podium.returns import accounting_csv

if TYPE_CHECKING:
    from podium.bootstrap import Podium

export_app = typer.Typer(help="Exports.", no_args_is_help=True)
payments_app = typer.Typer(help="Payments on orders.", no_args_is_help=True)


@export_app.command("accounting")
@with_podium
def accounting(
    podium: Podium,
    start: str = typer.Option(..., "--from", help="First day, YYYY-MM-DD (UTC)."),
    end: str = typer.Option(..., "--to", help="Last day, YYYY-MM-DD (UTC), included."),
    output: Path = typer.Option(None, "--output", "-o", help="Write here instead of stdout."),
) -> None:
    """Sales, discounts, shipping, tax and refunds per day, channel and currency, as CSV."""
    try:
        first, last = date.fromisoformat(start), date.fromisoformat(end)
    except ValueError as exc:
        raise ValueError(f"--from/--to take dates like 2026-11-25 ({exc})") from None
    text = accounting_csv(podium.db, first, last)
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text)
        err.print(f"Wrote {output}.")


@payments_app.command("list")
@with_podium
def payments_list(podium: Podium, order_id: str) -> None:
    """An order's payment transactions and what they add up to."""
    view = list_payments(podium.db, order_id)
    cur = view.currency
    out.print(
        f"{view.payment_status}: total {cur} {view.total}, authorized {view.authorized}, "
        f"captured {view.captured}, refunded {view.refunded}",
        highlight=False,
        soft_wrap=True,
    )
    for p in view.items:
        out.print(
            f"{p.id}  {p.kind:<9}  {p.status:<9}  {cur} {p.amount}  {p.gateway}"
            + (f"  {p.reference}" if p.reference else ""),
            highlight=False,
            soft_wrap=True,
        )


@payments_app.command("record")
@with_podium
def payments_record(
    podium: Podium,
    order_id: str,
    kind: str = typer.Option(..., "--kind", help="authorize, capture or void."),
    amount: str = typer.Option(None, "--amount", help='Such as "12.50"; default: what is due.'),
    reference: str = typer.Option(None, "--reference", help="The processor's reference."),
    failed: bool = typer.Option(False, "--failed", help="Record a declined attempt."),
) -> None:
    """Record a payment transaction on an order (through its channel's gateway)."""
    data = PaymentIn.model_validate(
        {
            "kind": kind,
            "amount": amount,
            "reference": reference,
            "status": "failed" if failed else "succeeded",
        }
    )
    view = record_payment(podium.db, order_id, data, podium.gateways, "cli")
    out.print(f"Payment status: {view.payment_status}.", highlight=False)


@payments_app.command("gateway")
@with_podium
def gateway_set(
    podium: Podium,
    code: str,
    secret_key: str = typer.Option(
        None, "--secret-key", envvar="PODIUM_STRIPE_SECRET_KEY", help="sk_… (or the environment)."
    ),
    webhook_secret: str = typer.Option(
        None,
        "--webhook-secret",
        envvar="PODIUM_STRIPE_WEBHOOK_SECRET",
        help="whsec_… (or the environment).",
    ),
    base_url: str = typer.Option(None, "--base-url", help="Another API address (tests)."),
    inactive: bool = typer.Option(False, "--inactive", help="Stop using this account."),
) -> None:
    """Configure a Stripe account as payment gateway CODE (secrets not given are kept)."""
    data = GatewayIn.model_validate(
        {
            "type": "stripe",
            "secret_key": secret_key,
            "webhook_secret": webhook_secret,
            "base_url": base_url,
            "active": not inactive,
        }
    )
    view = put_gateway(podium.db, code, data)
    out.print(
        f"{view.code} ({view.type}): key {view.secret_key}, webhook secret "
        f"{view.webhook_secret}; Stripe posts to {view.webhook_path}",
        highlight=False,
        soft_wrap=True,
    )


@payments_app.command("gateways")
@with_podium
def gateways_list(podium: Podium) -> None:
    """The configured payment gateway accounts (secrets masked)."""
    for view in list_gateways(podium.db):
        state = "active" if view.active else "inactive"
        out.print(
            f"{view.code}  {view.type}  {state}  key {view.secret_key}  "
            f"webhook {view.webhook_secret}  {view.webhook_path}",
            highlight=False,
            soft_wrap=True,
        )
