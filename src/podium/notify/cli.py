"""``podium notify …`` (customer e-mail) and ``podium webhooks …`` (outgoing webhooks)."""

from __future__ import annotations

from collections.abc import Callable

import typer
from rich.table import Column, Table

__all__ = ["notify_app", "webhooks_app"]

notify_app = typer.Typer(help="Customer e-mail notifications.", no_args_is_help=True)
webhooks_app = typer.Typer(help="Outgoing webhooks: signed event deliveries.", no_args_is_help=True)


def _run(command: Callable[[], None]) -> None:
    """Run with podium.cli's ``friendly`` error handling (imported late: it imports us)."""
    from podium.cli import friendly

    friendly(command)()


@notify_app.command("test")
def notify_test(to: str = typer.Option(..., "--to", help="Where to send the test e-mail.")) -> None:
    """Send a test e-mail through the configured SMTP server (PODIUM_SMTP_*)."""
    from podium.cli import _opened, out

    def run() -> None:
        with _opened() as podium:
            message_id = podium.emailer.send_test(to.strip())
        out.print(f"Sent a test e-mail to {to} (Message-ID {message_id}).", highlight=False)

    _run(run)


@notify_app.command("preview")
def notify_preview(
    event: str = typer.Argument(..., help="order.created, shipment.shipped, order.cancelled…"),
    order: str = typer.Option(..., "--order", help="The order id."),
    html: bool = typer.Option(False, "--html", help="Print the HTML part instead of the text."),
) -> None:
    """Render the e-mail an event would send for an order (nothing is sent)."""
    from podium.cli import _opened, out

    def run() -> None:
        with _opened() as podium:
            rendered = podium.emailer.preview(event, order)
        out.print(f"Subject: {rendered.subject}", highlight=False, markup=False)
        out.print("")
        out.print(rendered.html if html else rendered.text, highlight=False, markup=False)

    _run(run)


@webhooks_app.command("list")
def webhooks_list() -> None:
    """List webhook subscriptions (never their secrets)."""
    from podium.cli import _opened, out
    from podium.notify.webhooks import list_subscriptions

    def run() -> None:
        with _opened() as podium:
            items = list_subscriptions(podium.db)
        table = Table(
            Column("id", no_wrap=True),
            "url",
            "events",
            Column("status", no_wrap=True),
            "failures",
            "paused because",
        )
        for w in items:
            table.add_row(
                w.id,
                w.url,
                ", ".join(w.event_types),
                w.status,
                str(w.consecutive_failures),
                (w.pause_reason or "")[:60],
            )
        out.print(table)

    _run(run)


@webhooks_app.command("add")
def webhooks_add(
    url: str = typer.Argument(..., help="The receiver's http(s) URL."),
    event: list[str] = typer.Option(
        ["*"], "--event", "-e", help="Event type, '<family>.*' or '*'; repeat for more."
    ),
    description: str = typer.Option(None, "--description"),
) -> None:
    """Subscribe a URL to events; prints the signing secret (shown only this once)."""
    from podium.cli import _opened, err, out
    from podium.notify.webhooks import WebhookIn, create_subscription

    def run() -> None:
        with _opened() as podium:
            view = create_subscription(
                podium.db,
                WebhookIn(url=url, event_types=event, description=description),
                allow_private=podium.settings.webhooks_allow_private,
            )
        err.print(f"Created webhook {view.id} for {', '.join(view.event_types)}.")
        err.print("Its signing secret follows; it is shown only once:")
        out.print(view.secret, highlight=False, markup=False, soft_wrap=True)

    _run(run)


@webhooks_app.command("remove")
def webhooks_remove(webhook_id: str) -> None:
    """Remove a subscription with its deliveries."""
    from podium.cli import _opened, out
    from podium.notify.webhooks import delete_subscription

    def run() -> None:
        with _opened() as podium:
            delete_subscription(podium.db, webhook_id)
        out.print(f"Removed {webhook_id}.")

    _run(run)


@webhooks_app.command("rotate-secret")
def webhooks_rotate_secret(
    webhook_id: str,
    previous_valid_for: int = typer.Option(
        86400, min=0, max=7 * 86400, help="Seconds the old secret keeps signing too."
    ),
) -> None:
    """Give a subscription a new signing secret (printed once, alone on the last line)."""
    from podium.cli import _opened, err, out
    from podium.notify.webhooks import RotateIn, rotate_secret

    def run() -> None:
        with _opened() as podium:
            view = rotate_secret(
                podium.db, webhook_id, RotateIn(previous_valid_for_seconds=previous_valid_for)
            )
        err.print(f"New secret for {view.id}; the old one also signs for {previous_valid_for} s:")
        out.print(view.secret, highlight=False, markup=False, soft_wrap=True)

    _run(run)


@webhooks_app.command("ping")
def webhooks_ping(webhook_id: str) -> None:
    """Send a signed test event (webhook.ping) to one subscription."""
    from podium.cli import _opened, out
    from podium.notify.webhooks import ping

    def run() -> None:
        with _opened() as podium:
            ping(podium.db, webhook_id)
        out.print(f"webhook.ping queued for {webhook_id}; see `podium webhooks deliveries`.")

    _run(run)


@webhooks_app.command("resume")
def webhooks_resume(webhook_id: str) -> None:
    """Resume a paused subscription; what is pending is sent again."""
    from podium.cli import _opened, out
    from podium.notify.webhooks import resume_subscription

    def run() -> None:
        with _opened() as podium:
            resume_subscription(podium.db, webhook_id)
        out.print(f"Resumed {webhook_id}; pending deliveries go out on the next worker pass.")

    _run(run)


@webhooks_app.command("deliveries")
def webhooks_deliveries(
    webhook_id: str,
    status: str = typer.Option(None, help="pending, succeeded or failed."),
    limit: int = typer.Option(20, min=1, max=200),
) -> None:
    """List a subscription's deliveries, newest first, with their attempts."""
    from podium.cli import _opened, out
    from podium.notify.webhooks import list_deliveries

    def run() -> None:
        with _opened() as podium:
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

    _run(run)


@webhooks_app.command("replay")
def webhooks_replay(webhook_id: str, delivery_id: str) -> None:
    """Send a past delivery again (on the next worker pass)."""
    from podium.cli import _opened, out
    from podium.notify.webhooks import replay_delivery

    def run() -> None:
        with _opened() as podium:
            replay_delivery(podium.db, webhook_id, delivery_id)
        out.print(f"Delivery {delivery_id} will be sent again.")

    _run(run)
