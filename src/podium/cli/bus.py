"""``podium bus …``: the company's message bus (NATS JetStream or RabbitMQ)."""

from __future__ import annotations

import typer

from podium.bus import Bus
from podium.cli.common import err, friendly, out, settings_for

bus_app = typer.Typer(
    help="Events to the company's message bus (NATS JetStream, RabbitMQ).", no_args_is_help=True
)


@bus_app.command("check")
@friendly
def check() -> None:
    """Connect to PODIUM_BUS_URL, make the stream or exchange if missing, publish one
    ``bus.check`` message and wait for the broker's confirmation; exit 1 if it fails."""
    settings = settings_for()
    bus = Bus.from_settings(settings, event_types=())
    if bus is None:
        err.print("[red]error:[/red] PODIUM_BUS_URL is not set: no events are published.")
        raise typer.Exit(1)
    try:
        result = bus.check()
    except Exception as exc:
        state = bus.state()
        err.print(
            f"[red]error:[/red] {state.kind} bus at {state.url}: {state.last_error or exc}",
            soft_wrap=True,
        )
        raise typer.Exit(1) from None
    finally:
        bus.close()
    out.print(
        f"{result.kind} bus at {result.url}: published {result.message_id} to {result.target}, "
        f"confirmed in {result.seconds * 1000:.0f} ms",
        highlight=False,
        markup=False,
        soft_wrap=True,
    )
