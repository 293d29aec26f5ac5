"""The ``podium`` command: every group's Typer app assembled under one (Typer + Rich).
Operator mistakes print a sentence, not a traceback (``podium.cli.common.friendly``)."""

from __future__ import annotations

import typer

from podium.cli import admin, server
from podium.cli.admin import db_app, events_app, keys_app
from podium.cli.carriers import carriers_app
from podium.cli.channels import channels_app
from podium.cli.fulfillment import shipments_app, warehouse_app
from podium.cli.imports import import_app
from podium.cli.notify import notify_app, webhooks_app
from podium.cli.orders import orders_app
from podium.cli.payments import export_app, payments_app
from podium.cli.returns import returns_app
from podium.cli.routing import routing_app
from podium.cli.users import users_app

app = typer.Typer(
    help="Podium: open-source order management.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.command("serve")(server.serve)
app.command("worker")(server.worker)
app.command("doctor")(admin.doctor)
app.command("demo")(server.demo)
app.add_typer(db_app, name="db")
app.add_typer(keys_app, name="keys")
app.add_typer(events_app, name="events")
app.add_typer(notify_app, name="notify")
app.add_typer(webhooks_app, name="webhooks")
app.add_typer(routing_app, name="routing")
app.add_typer(warehouse_app, name="warehouse")
app.add_typer(shipments_app, name="shipments")
app.add_typer(carriers_app, name="carriers")
app.add_typer(channels_app, name="channels")
app.add_typer(import_app, name="import")
app.add_typer(returns_app, name="returns")
app.add_typer(orders_app, name="orders")
app.add_typer(export_app, name="export")
app.add_typer(payments_app, name="payments")
app.add_typer(users_app, name="users")


def main() -> None:
    app()
