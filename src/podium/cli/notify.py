"""``podium notify …`` (customer e-mail) and ``podium webhooks …`` (outgoing webhooks)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer
from rich.table import Column, Table

from podium.cli.common import err, out, with_podium
from podium.notify import (
    RotateIn,
    WebhookIn,
    create_subscription,
    delete_subscription,
    list_deliveries,
    list_subscriptions,
    ping,
    replay_delivery,
    resume_subscription,
    rotate_secret,
)

if TYPE_CHECKING:
    from podium.bootstrap import Podium

notify_app = typer.Typer(help="Customer e-mail notifications.", no_args_is_help=True)
webhooks_app = typer.Typer(help="Outgoing webhooks: signed event deliveries.", no_args_is_help=True)


@notify_app.command("test")
@with_podium
def notify_test(
    podium: Podium, to: str = typer.Option(..., "--to", help="Where to send the test e-mail.")
) -> None:
    """Send a test e-mail through the configured SMTP server (PODIUM_SMTP_*)."""
    message_id = podium.emailer.send_test(to.strip())
    out.print(f"Sent a test e-mail to {to} (Message-ID {message_id}).", highlight=False)


@notify_app.command("preview")
@with_podium
def notify_preview(
    podium: Podium,
    event: str = typer.Argument(..., help="order.created, shipment.shipped, order.cancelled…"),
    order: str = typer.Option(..., "--order", help="The order id."),
    html: bool = typer.Option(False, "--html", help="Print the HTML part instead of the text."),
) -> None:
    """Render the e-mail an event would send for an order (nothing is sent)."""
    rendered = podium.emailer.preview(event, order)
    out.print(f"Subject: {rendered.subject}", highlight=False, markup=False)
    out.print("")
    out.print(rendered.html if html else rendered.text, highlight=False, markup=False)


@webhooks_app.command("list")
@with_podium
def webhooks_list(podium: Podium) -> None:
    """List webhook subscriptions (never their secrets)."""
    table = Table(
        Column("id", no_wrap=True),
        "url",
        "events",
        Column("status", no_wrap=True),
        "failures",
        "paused because",
    )
    for w in list_subscriptions(podium.db):
        table.add_row(
            w.id,
            w.url,
            ", ".join(w.event_types),
            w.status,
            str(w.consecutive_failures),
            (w.pause_reason or "")[:60],
        )
    out.print(table)


@webhooks_app.command("add")
@with_podium
def webhooks_add(
    podium: Podium,
    url: str = typer.Argument(..., help="The receiver's http(s) URL."),
    event: list[str] = typer.Option(
        ["*"], "--event", "-e", help="Event type, '<family>.*' or '*'; repeat for more."
    ),
    description: str = typer.Option(None, "--description"),
) -> None:
    """Subscribe a URL to events; prints the signing secret (shown only this once)."""
    view = create_subscription(
        podium.db,
        WebhookIn(url=url, event_types=event, description=description),
        allow_private=podium.settings.webhooks_allow_private,
    )
    err.print(f"Created webhook {view.id} for {', '.join(view.event_types)}.")
    err.print("Its signing secret follows; it is shown only once:")
    out.print(view.secret, highlight=False, markup=False, soft_wrap=True)


@webhooks_app.command("remove")
@with_podium
def webhooks_remove(podium: Podium, webhook_id: str) -> None:
    """Remove a subscription with its deliveries."""
    delete_subscription(podium.db, webhook_id)
    out.print(f"Removed {webhook_id}.")


@webhooks_app.command("rotate-secret")
@with_podium
def webhooks_rotate_secret(
    podium: Podium,
    webhook_id: str,
    previous_valid_for: int = typer.Option(
        86400, min=0, max=7 * 86400, help="Seconds the old secret keeps signing too."
    ),
) -> None:
    """Give a subscription a new signing secret (printed once, alone on the last line)."""
    view = rotate_secret(
        podium.db, webhook_id, RotateIn(previous_valid_for_seconds=previous_valid_for)
    )
    err.print(f"New secret for {view.id}; the old one also signs for {previous_valid_for} s:")
    out.print(view.secret, highlight=False, markup=False, soft_wrap=True)


@webhooks_app.command("ping")
@with_podium
def webhooks_ping(podium: Podium, webhook_id: str) -> None:
    """Send a signed test event (webhook.ping) to one subscription."""
    ping(podium.db, webhook_id)
    out.print(f"webhook.ping queued for {webhook_id}; see `podium webhooks deliveries`.")


@webhooks_app.command("resume")
@with_podium
def webhooks_resume(podium: Podium, webhook_id: str) -> None:
    """Resume a paused subscription; what is pending is sent again."""
    resume_subscription(podium.db, webhook_id)
    out.print(f"Resumed {webhook_id}; pending deliveries go out on the next worker pass.")


@webhooks_app.command("deliveries")
@with_podium
def webhooks_deliveries(
    podium: Podium,
    webhook_id: str,
    status: str = typer.Option(None, help="pending, succeeded or failed."),
    limit: int = typer.Option(20, min=1, max=200),
) -> None:
    """List a subscription's deliveries, newest first, with their attempts."""
    items = list_deliveries(podium.db, webhook_id, status=status, limit=limit).items
    table = Table(
        Column("id", no_wrap=True),
        "event",
        "type",
        Column("status", no_wrap=True),
        "attempts",
        "last",
        "last error",
    )
    for d in items:
        table.add_row(
            d.id,
            d.event_id,
            d.event_type,
            d.status,
            str(d.attempts),
            str(d.last_status_code or ""),
            (d.last_error or "")[:50],
        )
    out.print(table)


@webhooks_app.command("replay")
@with_podium
def webhooks_replay(podium: Podium, webhook_id: str, delivery_id: str) -> None:
    """Send a past delivery again (on the next worker pass)."""
    replay_delivery(podium.db, webhook_id, delivery_id)
    out.print(f"Delivery {delivery_id} will be sent again.")
