"""``podium carriers …``: carrier accounts and the tracking poll."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer
from rich.table import Table

from podium.carriers import AccountIn, create_account, list_accounts
from podium.carriers import poll as run_poll
from podium.cli.common import out, with_podium

if TYPE_CHECKING:
    from podium.bootstrap import Podium

carriers_app = typer.Typer(help="Carrier accounts and tracking.", no_args_is_help=True)


@carriers_app.command("add")
@with_podium
def add(
    podium: Podium,
    code: str,
    kind: str = typer.Option(..., "--type", help="table_rate or easypost."),
    name: str = typer.Option(None, help="Shown on labels and manifests."),
    api_key: str = typer.Option(None, "--api-key", envvar="PODIUM_CARRIER_API_KEY"),
    webhook_secret: str = typer.Option(
        None, "--webhook-secret", envvar="PODIUM_CARRIER_WEBHOOK_SECRET"
    ),
    base_url: str = typer.Option(None, "--base-url", help="Override the API address."),
) -> None:
    """Configure a carrier account (secrets may come from the environment)."""
    data = AccountIn(
        code=code,
        type=kind,
        name=name,
        api_key=api_key,
        webhook_secret=webhook_secret,
        base_url=base_url,
    )
    made = create_account(podium.db, data)
    out.print(f"Carrier {made.code} ({made.type}) added; api key {made.api_key or '-'}.")


@carriers_app.command("list")
@with_podium
def list_(podium: Podium) -> None:
    """Carrier accounts (secrets masked)."""
    table = Table("code", "type", "name", "api key", "webhook secret")
    for a in list_accounts(podium.db):
        table.add_row(a.code, a.type, a.name, a.api_key or "", a.webhook_secret or "")
    out.print(table)


@carriers_app.command("poll")
@with_podium
def poll(podium: Podium) -> None:
    """Ask carriers about every parcel on its way (the fallback for missed webhooks)."""
    result = run_poll(podium.db, podium.carriers)
    out.print(
        f"Checked {result.checked} parcel(s): {result.updated} updated, {result.failed} failed."
    )
