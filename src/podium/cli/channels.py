"""``podium channels …``: list, add, sync, reconcile, poll, health."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import typer
from rich.table import Table

from podium.catalog import read_channels as all_channels
from podium.channels import (
    ChannelIn,
    channel_health,
    create_channel,
    learn_listings,
    update_settings,
)
from podium.channels import poll as poll_orders
from podium.cli.common import out, with_podium

if TYPE_CHECKING:
    from podium.bootstrap import Podium

channels_app = typer.Typer(
    help="Sales channels: connectors, stock sync, reconciliation.", no_args_is_help=True
)


@channels_app.command("list")
@with_podium
def list_channels(podium: Podium) -> None:
    """Channels with their type and health."""
    table = Table("code", "type", "active", "listings", "orders", "last push", "errors")
    for ch in all_channels(podium.db):
        h = channel_health(podium.db, ch.code)
        table.add_row(
            ch.code,
            ch.type,
            "yes" if ch.active else "no",
            str(h.listings),
            str(h.orders),
            h.last_push_at.isoformat(timespec="seconds") if h.last_push_at else "",
            (h.last_error or "")[:50],
        )
    out.print(table)


def _settings(items: list[str]) -> dict[str, object]:
    settings: dict[str, object] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        if not sep:
            raise ValueError(f"--setting {item!r} is not key=value")
        try:
            settings[key.strip()] = json.loads(raw)
        except json.JSONDecodeError:
            settings[key.strip()] = raw
    return settings


@channels_app.command("add")
@with_podium
def add(
    podium: Podium,
    code: str = typer.Argument(..., help="Short code, e.g. shop."),
    type_: str = typer.Option("manual", "--type", help="shopify, woocommerce, amazon, manual…"),
    name: str = typer.Option(None, "--name", help="Display name (default: the code)."),
    setting: list[str] = typer.Option(
        [], "--setting", "-s", help="key=value (repeat); JSON values allowed."
    ),
    warehouse: list[str] = typer.Option([], "--warehouse", "-w", help="Feeding warehouse."),
) -> None:
    """Create a channel; settings are checked for its type, secrets never printed."""
    settings = _settings(setting)
    data = ChannelIn.model_validate(
        {
            "code": code,
            "name": name or code,
            "type": type_,
            "warehouses": warehouse or None,
            "settings": settings,
        }
    )
    created = create_channel(podium.db, data)
    out.print(f"Channel {created.code} ({created.type}) created.", highlight=False)
    out.print(json.dumps(created.settings, sort_keys=True), highlight=False, markup=False)


@channels_app.command("sync")
@with_podium
def sync(podium: Podium, code: str) -> None:
    """Push every listed SKU's count to the channel now."""
    pushed = podium.channel_sync.sync_channel(code)
    out.print(f"Pushed {pushed} listing(s) to {code}.")


@channels_app.command("reconcile")
@with_podium
def reconcile(
    podium: Podium,
    code: str,
    fix: bool = typer.Option(False, "--fix", help="Push Podium's count on drift."),
) -> None:
    """Compare what the platform shows with what Podium publishes; exit 1 on drift (unless
    fixed)."""
    checked, drift = podium.channel_sync.reconcile(code, fix=fix)
    table = Table("sku", "podium publishes", "platform shows", "last pushed")
    for d in drift:
        table.add_row(
            d.sku,
            str(d.publishes),
            "—" if d.shows is None else str(d.shows),
            "—" if d.last_pushed is None else str(d.last_pushed),
        )
    if drift:
        out.print(table)
    verb = "fixed" if fix else "found"
    out.print(f"{checked} listing(s) checked on {code}; drift {verb} on {len(drift)}.")
    if drift and not fix:
        raise typer.Exit(1)


@channels_app.command("learn")
@with_podium
def learn(podium: Podium, code: str) -> None:
    """List every SKU the platform sells that Podium knows (matched on SKU)."""
    counts = learn_listings(podium.db, podium.connectors, code)
    out.print(
        f"{counts['found']} SKU(s) on {code}: {counts['learned']} newly listed, "
        f"{counts['unknown']} not in Podium's catalogue."
    )


@channels_app.command("poll")
@with_podium
def poll(podium: Podium, code: str) -> None:
    """Fetch orders changed on the platform since the stored cursor (Amazon)."""
    counts = poll_orders(podium.db, podium.connectors, podium.allocator, code)
    out.print(
        f"{counts['orders']} order(s) from {code}: {counts['created']} new, "
        f"{counts['updated']} updated."
    )


@channels_app.command("health")
@with_podium
def health(podium: Podium, code: str) -> None:
    """Last order, last push, lag and errors of one channel, as JSON."""
    h = channel_health(podium.db, code)
    out.print(h.model_dump_json(indent=2), highlight=False, markup=False)


@channels_app.command("settings")
@with_podium
def settings(
    podium: Podium,
    code: str,
    setting: list[str] = typer.Option(
        [], "--setting", "-s", help="key=value (repeat); JSON values; null removes the key."
    ),
) -> None:
    """Change a channel's settings (e.g. ``-s push_refunds=false``) and print them, secrets
    masked; with no ``-s``, only print them."""
    changed = update_settings(podium.db, code, _settings(setting))
    out.print(json.dumps(changed, sort_keys=True), highlight=False, markup=False, soft_wrap=True)
