"""The ``podium`` command: every group's Typer app assembled under one (Typer + Rich).
Operator mistakes print a sentence, not a traceback (``podium.cli.common.friendly``).

Groups load when they are used: ``podium --help`` or ``podium orders list`` imports only what it
runs, not every capability (the whole set takes seconds to import). Each entry's help line is
written here so the top-level help needs no import; a test keeps it equal to the group's own."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

import typer
from typer.core import TyperCommand, TyperGroup

if TYPE_CHECKING:  # Typer's own click (vendored since Typer 0.2x)
    from typer._click import Command, Context, HelpFormatter

# name: (module, attribute, the one-line help shown by ``podium --help``), in listing order.
ENTRIES: dict[str, tuple[str, str, str]] = {
    "serve": (
        "podium.cli.server",
        "serve",
        "Serve the API and run the outbox relay; migrates the database first.",
    ),
    "worker": (
        "podium.cli.server",
        "worker",
        "Run the outbox relay alone (any number of workers may share one database).",
    ),
    "doctor": (
        "podium.cli.admin",
        "doctor",
        "Recompute every stock balance from the ledger; exit 1 on any violation.",
    ),
    "demo": (
        "podium.cli.server",
        "demo",
        "Seed a realistic store and simulate a day of orders through the real placement path.",
    ),
    "db": ("podium.cli.admin", "db_app", "Database schema."),
    "keys": ("podium.cli.admin", "keys_app", "API keys."),
    "events": (
        "podium.cli.admin",
        "events_app",
        "The outbox: delivered, pending and dead-lettered events.",
    ),
    "notify": ("podium.cli.notify", "notify_app", "Customer e-mail notifications."),
    "webhooks": (
        "podium.cli.notify",
        "webhooks_app",
        "Outgoing webhooks: signed event deliveries.",
    ),
    "bus": (
        "podium.cli.bus",
        "bus_app",
        "Events to the company's message bus (NATS JetStream, RabbitMQ).",
    ),
    "automation": (
        "podium.cli.automation",
        "automation_app",
        "Automation rules: tag, hold, release, cancel orders.",
    ),
    "routing": (
        "podium.cli.routing",
        "routing_app",
        "Smart order routing: rules, optimiser, simulation.",
    ),
    "warehouse": (
        "podium.cli.fulfillment",
        "warehouse_app",
        "Warehouse work: waves, pick lists, manifests.",
    ),
    "shipments": (
        "podium.cli.fulfillment",
        "shipments_app",
        "Shipments: labels, packing slips, shipping.",
    ),
    "carriers": ("podium.cli.carriers", "carriers_app", "Carrier accounts and tracking."),
    "channels": (
        "podium.cli.channels",
        "channels_app",
        "Sales channels: connectors, stock sync, reconciliation.",
    ),
    "import": (
        "podium.cli.imports",
        "import_app",
        "Import orders or stock from a CSV file (all or nothing, with a reject report).",
    ),
    "planning": (
        "podium.cli.planning",
        "planning_app",
        "Demand planning: sales history, forecasts, suppliers and replenishment.",
    ),
    "reports": (
        "podium.cli.reports",
        "report",
        "Reports: sales, forecast vs actual, stock-out risk, fulfilment, returns.",
    ),
    "products": ("podium.cli.products", "products_app", "Products and their variants."),
    "returns": ("podium.cli.returns", "returns_app", "Returns (RMAs) and refunds."),
    "orders": ("podium.cli.orders", "orders_app", "Find and read orders."),
    "export": ("podium.cli.payments", "export_app", "Exports."),
    "payments": ("podium.cli.payments", "payments_app", "Payments on orders."),
    "users": (
        "podium.cli.users",
        "users_app",
        "Dashboard users (sign-in with e-mail and password).",
    ),
}


def load(name: str) -> Command:
    """The click command of one entry, its module imported now."""
    module, attribute, _ = ENTRIES[name]
    target: Any = getattr(import_module(module), attribute)
    # Mounted under a parent as ``add_typer``/``command`` would, so a group of one command
    # stays a group (``podium db upgrade``) and a command keeps its options.
    parent = typer.Typer(pretty_exceptions_enable=False)
    if isinstance(target, typer.Typer):
        parent.add_typer(target, name=name)
    else:
        parent.command(name)(target)
        parent.command("_")(_placeholder)  # a second command keeps the parent a group
    group: Any = typer.main.get_command(parent)
    command: Command = group.commands[name]
    return command


def _placeholder() -> None:
    """Never run."""


class LazyGroup(TyperGroup):
    """A group whose subcommands are imported on first use; listing them imports nothing."""

    _listing = False

    def list_commands(self, ctx: Context) -> list[str]:
        return list(ENTRIES)

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        if cmd_name not in ENTRIES:
            return None
        if self._listing:  # the help page: a stand-in with the help line, nothing imported
            return TyperCommand(cmd_name, help=ENTRIES[cmd_name][2])
        return load(cmd_name)

    def format_help(self, ctx: Context, formatter: HelpFormatter) -> None:
        LazyGroup._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            LazyGroup._listing = False


app = typer.Typer(
    cls=LazyGroup,
    help="Podium: open-source order management.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    """Podium: open-source order management."""


def main() -> None:
    app()
