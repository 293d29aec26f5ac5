"""``podium serve``, ``podium worker`` and ``podium demo``: the commands that run Podium rather
than ask it one thing (they take ``--database`` or open it without migrating)."""

from __future__ import annotations

import glob
import os
import secrets
import shutil
import sys
import tempfile
from contextlib import suppress

import typer
from sqlalchemy.engine import make_url

from podium import logs, metrics
from podium.access import count_keys, create_key
from podium.automation import LateShipments
from podium.cli.common import (
    DATABASE_HELP,
    FIRST_ADMIN_EMAIL,
    err,
    friendly,
    opened,
    out,
    settings_for,
)
from podium.config import browse_url
from podium.db.engine import normalise_url
from podium.lifecycle import Pruner
from podium.users import create_user, list_users


@friendly
def serve(
    host: str = typer.Option(None, help="Interface to listen on (PODIUM_HOST)."),
    port: int = typer.Option(None, help="Port (PODIUM_PORT)."),
    workers: int = typer.Option(1, min=1, help="API processes (each runs a relay too)."),
    database: str = typer.Option(None, help=DATABASE_HELP),
) -> None:
    """Serve the API and run the outbox relay; migrates the database first."""
    # Imported here: the ASGI server is only needed by this command.
    import uvicorn

    settings = settings_for(database)
    first_user: tuple[str, str] | None = None
    with opened(database=database) as podium:
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
    metrics_dir = _multiprocess_metrics(workers)
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
    if metrics_dir is not None:
        out.print(f"Metrics of all workers: {metrics_dir}", soft_wrap=True, highlight=False)
    # uvicorn's own lines go through Podium's handler too (JSON or text, masked).
    logs.configure(settings.log_format, settings.log_level)
    if not settings.encryption_keys:
        err.print(
            "warning: PODIUM_ENCRYPTION_KEYS is not set, so channel tokens, carrier and gateway "
            "keys and webhook secrets are stored in plaintext; make a key with "
            "`podium db new-key` (docs/operations.md, Secrets at rest).",
            soft_wrap=True,
            highlight=False,
            markup=False,
        )
    uvicorn.run(
        "podium.api.asgi:app",
        host=h,
        port=p,
        workers=workers,
        log_level="warning",
        access_log=False,
        factory=False,
        proxy_headers=False,  # the app applies PODIUM_TRUSTED_PROXIES itself
        log_config=None,
    )


def _multiprocess_metrics(workers: int) -> str | None:
    """With several workers, prometheus-client must count in files one scrape sums: use
    PROMETHEUS_MULTIPROC_DIR or a fresh temporary directory, set before any worker starts.
    Files of processes no longer running are removed (a previous run's counts would be added
    again); a running ``podium worker``'s stay."""
    path = os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None
    if path is None and workers == 1:
        return None
    if path is None:
        path = tempfile.mkdtemp(prefix="podium-metrics-")
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = path
    os.makedirs(path, exist_ok=True)
    for name in glob.glob(os.path.join(path, "*.db")):
        pid = os.path.basename(name).removesuffix(".db").rpartition("_")[2]
        if not pid.isdigit() or not _running(int(pid)):
            os.remove(name)
    return path


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def _safe_url(url: str) -> str:
    return make_url(normalise_url(url)).render_as_string(hide_password=True)


@friendly
def worker() -> None:
    """Run the outbox relay alone (any number of workers may share one database)."""
    # Imported here: only the commands that serve or relay count metrics.
    from podium.api.metrics import instrument_pool

    with opened(migrate=False) as podium:
        logs.configure(podium.settings.log_format, podium.settings.log_level)
        instrument_pool(podium.db.engine, podium.settings.db_pool_size)
        out.print("Relay running; Ctrl-C stops it.")
        podium.webhooks.start()
        late = LateShipments(podium.db)
        late.start()
        pruner = Pruner.of(podium.db, podium.settings)
        pruner.start()
        podium.pushers.start()
        with suppress(KeyboardInterrupt):
            podium.relay.run_forever()
        pruner.stop()
        late.stop()
    if metrics.multiprocess_dir() is not None:  # an API process on this machine sums its files
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]


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
    # Imported here: the demo's data and simulation are only needed by this command.
    from podium.demo import run_demo

    serve = f"{_command()} serve"
    if database:
        serve += f" --database {database}"
    elif os.environ.get("PODIUM_DATABASE_URL"):  # it must be set again where the server starts
        serve = f"PODIUM_DATABASE_URL={os.environ['PODIUM_DATABASE_URL']} {serve}"
    with opened(database=database) as podium:
        run_demo(podium, orders=orders, seed=seed, console=out, serve_command=serve)
