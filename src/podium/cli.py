"""The ``podium`` command (Typer + Rich). Operator mistakes print a sentence, not a traceback."""

from __future__ import annotations

import os
import secrets
import shutil
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import replace
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from podium.carriers.cli import carriers_app
from podium.channels.cli import channels_app
from podium.config import Settings, browse_url, database_url_for
from podium.fulfillment.cli import shipments_app, warehouse_app
from podium.imports.cli import import_app
from podium.notify.cli import notify_app, webhooks_app
from podium.orders import cli as orders_cli
from podium.payments.cli import app as export_app
from podium.payments.cli import payments_app
from podium.returns import cancel_cli
from podium.returns.cli import app as returns_app
from podium.routing import cli as routing_cli
from podium.users.cli import users_app

if TYPE_CHECKING:
    from podium.bootstrap import Podium

app = typer.Typer(
    help="Podium: open-source order management.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
keys_app = typer.Typer(help="API keys.", no_args_is_help=True)
events_app = typer.Typer(
    help="The outbox: delivered, pending and dead-lettered events.", no_args_is_help=True
)
app.add_typer(db_app, name="db")
app.add_typer(keys_app, name="keys")
app.add_typer(events_app, name="events")
app.add_typer(notify_app, name="notify")
app.add_typer(webhooks_app, name="webhooks")
app.add_typer(routing_cli.app, name="routing")
app.add_typer(warehouse_app, name="warehouse")
app.add_typer(shipments_app, name="shipments")
app.add_typer(carriers_app, name="carriers")
app.add_typer(channels_app, name="channels")
app.add_typer(import_app, name="import")
app.add_typer(returns_app, name="returns")
orders_cli.app.command("cancel")(cancel_cli.cancel)
app.add_typer(orders_cli.app, name="orders")
app.add_typer(export_app, name="export")
app.add_typer(payments_app, name="payments")
app.add_typer(users_app, name="users")

FIRST_ADMIN_EMAIL = "admin@podium.localhost"

out = Console()
err = Console(stderr=True)

F = TypeVar("F", bound=Callable[..., Any])


def friendly(fn: F) -> F:
    """Turn expected failures into one readable line and exit code 2."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from sqlalchemy.exc import OperationalError

        from podium.errors import DomainError

        try:
            return fn(*args, **kwargs)
        except DomainError as exc:
            err.print(f"[red]error:[/red] {exc.message} ({exc.code})")
            raise typer.Exit(2) from None
        except ValueError as exc:
            err.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(2) from None
        except OperationalError as exc:
            err.print(f"[red]error:[/red] cannot use the database: {exc.orig}")
            raise typer.Exit(2) from None

    return wrapper  # type: ignore[return-value]


DATABASE_HELP = "An SQLite file (demo.db) or a database URL; default PODIUM_DATABASE_URL."


def _settings(database: str | None = None) -> Settings:
    settings = Settings.from_env()
    if database is None:
        return settings
    return replace(settings, database_url=database_url_for(database))


def _command() -> str:
    """How to type ``podium`` in this shell: the bare name when it is on PATH (an activated
    venv, a pipx install), else the path this process was started by (``.venv/bin/podium``)."""
    here = os.path.realpath(sys.argv[0]) if sys.argv and sys.argv[0] else ""
    found = shutil.which("podium")
    if found is not None and (not here or os.path.realpath(found) == here):
        return "podium"
    if not here or os.path.basename(here) != "podium":
        return "podium"
    relative = os.path.relpath(here)
    return relative if not relative.startswith("..") else here


@contextmanager
def _opened(migrate: bool = True, database: str | None = None) -> Iterator[Podium]:
    """Podium on PODIUM_DATABASE_URL (or ``--database``) for one command, closed afterwards."""
    from podium.bootstrap import bootstrap

    podium = bootstrap(_settings(database), migrate=migrate)
    try:
        yield podium
    finally:
        podium.close()


@app.command()
@friendly
def serve(
    host: str = typer.Option(None, help="Interface to listen on (PODIUM_HOST)."),
    port: int = typer.Option(None, help="Port (PODIUM_PORT)."),
    workers: int = typer.Option(1, min=1, help="API processes (each runs a relay too)."),
    database: str = typer.Option(None, help=DATABASE_HELP),
) -> None:
    """Serve the API and run the outbox relay; migrates the database first."""
    import uvicorn

    from podium.access.service import count_keys, create_key
    from podium.users.service import create_user, list_users

    settings = _settings(database)
    first_user: tuple[str, str] | None = None
    with _opened(database=database) as podium:
        if not list_users(podium.db):
            first_user = FIRST_ADMIN_EMAIL, secrets.token_urlsafe(12)
            create_user(podium.db, first_user[0], "admin", first_user[1])
        if count_keys(podium.db) == 0:
            _, key = create_key(podium.db, "first admin", "admin")
            out.print(
                "[bold]First start:[/bold] an admin API key was created. Keep it safe; it "
                "is shown only once:"
            )
            out.print(key, highlight=False, markup=False, soft_wrap=True)
    h = host or settings.host
    p = port or settings.port
    # The app is built afresh in each uvicorn process, from the environment.
    os.environ.update(PODIUM_DATABASE_URL=settings.database_url, PODIUM_HOST=h, PODIUM_PORT=str(p))
    url = browse_url(h, p)
    where = "" if url == f"http://{h}:{p}/" else f" (listening on {h}, port {p})"
    out.print(f"Podium is serving on [bold]{url}[/bold]{where}", soft_wrap=True)
    out.print(f"Dashboard: {url}", soft_wrap=True)
    if first_user is not None:
        out.print(
            f"First start: sign in to the dashboard as {first_user[0]} with password "
            f"{first_user[1]} (shown once; add people with `podium users create`).",
            soft_wrap=True,
            highlight=False,
            markup=False,
        )
    out.print(f"API docs: {url}docs", soft_wrap=True)
    out.print(f"Database: {_safe_url(settings.database_url)}", soft_wrap=True, highlight=False)
    uvicorn.run(
        "podium.api.asgi:app",
        host=h,
        port=p,
        workers=workers,
        log_level="warning",
        access_log=False,
        factory=False,
        proxy_headers=False,  # the app applies PODIUM_TRUSTED_PROXIES itself
    )


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    from podium.db.engine import normalise_url

    return make_url(normalise_url(url)).render_as_string(hide_password=True)


@app.command()
@friendly
def worker() -> None:
    """Run the outbox relay alone (any number of workers may share one database)."""
    with _opened(migrate=False) as podium:
        out.print("Relay running; Ctrl-C stops it.")
        podium.webhooks.start()
        with suppress(KeyboardInterrupt):
            podium.relay.run_forever()


@db_app.command("upgrade")
@friendly
def db_upgrade(revision: str = typer.Argument("head")) -> None:
    """Apply migrations to PODIUM_DATABASE_URL."""
    from podium.db.database import Database
    from podium.db.engine import build_engine
    from podium.db.migrate import current_revision, upgrade

    settings = Settings.from_env()
    db = Database(build_engine(settings.database_url))
    upgrade(db.engine, revision)
    out.print(f"Database at revision {current_revision(db.engine)}.")
    db.dispose()


@keys_app.command("create")
@friendly
def keys_create(
    name: str = typer.Option(..., "--name", help="Who or what uses the key."),
    role: str = typer.Option(
        "readonly", "--role", help="admin, operator, warehouse, support or readonly."
    ),
) -> None:
    """Create an API key; the key is printed alone on the last line."""
    from podium.access.service import create_key

    with _opened() as podium:
        api_key, key = create_key(podium.db, name, role)
    err.print(f"Created {api_key.role} key {api_key.id} ({api_key.name}).")
    sys.stdout.write(key + "\n")


@keys_app.command("list")
@friendly
def keys_list() -> None:
    """List API keys (never their secrets)."""
    from podium.access.service import list_keys

    with _opened() as podium:
        table = Table("id", "name", "role", "prefix", "created", "revoked")
        for k in list_keys(podium.db):
            table.add_row(
                k.id,
                k.name,
                k.role,
                k.prefix,
                k.created_at.isoformat(timespec="seconds"),
                k.revoked_at.isoformat(timespec="seconds") if k.revoked_at else "",
            )
    out.print(table)


@keys_app.command("revoke")
@friendly
def keys_revoke(key_id: str) -> None:
    """Revoke an API key by id."""
    from podium.access.service import revoke_key

    with _opened() as podium:
        revoke_key(podium.db, key_id)
    out.print(f"Revoked {key_id}.")


@app.command()
@friendly
def doctor() -> None:
    """Recompute every stock balance from the ledger; exit 1 on any violation."""
    from podium.inventory.doctor import examine

    with _opened() as podium:
        report = examine(podium.db)
    if report.ok:
        out.print(
            f"[green]ok[/green]: {report.balances_checked} stock balances match the "
            "ledger and open shipments; nothing negative."
        )
        return
    for v in report.violations:
        out.print(f"[red]violation[/red] {v}", highlight=False)
    out.print(f"{len(report.violations)} violation(s) in {report.balances_checked} balances.")
    raise typer.Exit(1)


@events_app.command("list")
@friendly
def events_list(
    status: str = typer.Option(None, help="pending, delivered or dead."),
    limit: int = typer.Option(20, min=1, max=500),
) -> None:
    """List outbox events, newest first."""
    from podium.events.service import event_counts, list_events

    with _opened() as podium:
        items = list_events(podium.db, status=status, limit=limit).items
        counts = event_counts(podium.db)
    table = Table("id", "type", "aggregate", "status", "attempts", "last error")
    for e in items:
        table.add_row(
            e.id,
            e.type,
            f"{e.aggregate_type}/{e.aggregate_id}",
            e.status,
            str(e.attempts),
            (e.last_error or "")[:60],
        )
    out.print(table)
    out.print(", ".join(f"{k}: {v}" for k, v in counts.items()))


@events_app.command("retry")
@friendly
def events_retry(event_id: str) -> None:
    """Put a dead-lettered event back in line."""
    from podium.events.service import retry_event

    with _opened() as podium:
        retry_event(podium.db, event_id)
    out.print(f"Event {event_id} will be delivered again.")


@app.command()
@friendly
def demo(
    orders: int = typer.Option(2000, min=1, help="Orders in the simulated day."),
    seed: int = typer.Option(7, help="Random seed, for a repeatable day."),
    database: str = typer.Option(
        None, help="Where to build the demo store: an SQLite file (demo.db) or a database URL."
    ),
) -> None:
    """Seed a realistic store and simulate a day of orders through the real placement path.

    The demo wants a database of its own (a store you built by hand, such as the README's tour,
    is refused): `podium demo --database demo.db`, then `podium serve --database demo.db`."""
    from podium.demo import run_demo

    serve = f"{_command()} serve"
    if database:
        serve += f" --database {database}"
    elif os.environ.get("PODIUM_DATABASE_URL"):  # it must be set again where the server starts
        serve = f"PODIUM_DATABASE_URL={os.environ['PODIUM_DATABASE_URL']} {serve}"
    with _opened(database=database) as podium:
        run_demo(podium, orders=orders, seed=seed, console=out, serve_command=serve)


def main() -> None:
    app()
