"""``podium db``, ``podium keys``, ``podium events`` and ``podium doctor``: the schema, API keys,
the outbox and the stock ledger check."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import typer
from rich.table import Table

from podium import notify
from podium.access import create_key, list_keys, revoke_key
from podium.cli.common import err, friendly, out, settings_for, with_podium
from podium.db.database import Database, utcnow
from podium.db.engine import build_engine
from podium.db.migrate import current_revision, upgrade
from podium.db.secret_rotation import rotate_secrets
from podium.db.secrets import new_key, use_keys
from podium.events import event_counts, list_events, retry_event
from podium.inventory import examine
from podium.lifecycle import archive, archive_month, prune, retention_of

if TYPE_CHECKING:
    from podium.bootstrap import Podium

db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
keys_app = typer.Typer(help="API keys.", no_args_is_help=True)
events_app = typer.Typer(
    help="The outbox: delivered, pending and dead-lettered events.", no_args_is_help=True
)


@db_app.command("upgrade")
@friendly
def db_upgrade(revision: str = typer.Argument("head")) -> None:
    """Apply migrations to PODIUM_DATABASE_URL."""
    db = Database(build_engine(settings_for().database_url))
    upgrade(db.engine, revision)
    out.print(f"Database at revision {current_revision(db.engine)}.")
    db.dispose()


@db_app.command("prune")
@with_podium
def db_prune(
    podium: Podium,
    dry_run: bool = typer.Option(False, "--dry-run", help="Count what would go; delete nothing."),
) -> None:
    """Delete settled rows past their retention: delivered outbox events, succeeded webhook
    deliveries with their attempts, expired sessions (PODIUM_RETAIN_*; never a pending row)."""
    result = prune(podium.db, retention_of(podium.settings), dry_run=dry_run)
    table = Table("table", "would delete" if dry_run else "deleted")
    for name, n in result.deleted.items():
        table.add_row(name, str(n))
    out.print(table)
    if not result.complete:
        out.print("More rows are due; the next pass (or another run) takes them.")


@db_app.command("archive")
@with_podium
def db_archive(
    podium: Podium,
    before: str = typer.Option(..., "--before", help="Archive months before this one: YYYY-MM."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Count what would move; move nothing."),
) -> None:
    """Move timeline entries and ledger movements of months before --before to the archive
    tables; each SKU × warehouse keeps one carried-forward movement, so `podium doctor` holds."""
    try:
        start = archive_month(before, utcnow())
    except ValueError as exc:
        err.print(f"error: {exc}", highlight=False, markup=False)
        raise typer.Exit(2) from exc
    result = archive(podium.db, start, dry_run=dry_run)
    verb = "would move" if dry_run else "moved"
    table = Table("table", verb)
    for name, n in result.moved.items():
        table.add_row(name, str(n))
    out.print(table)
    if not dry_run:
        out.print(
            f"Archived everything before {start:%Y-%m-%d}; "
            f"{result.carried_forward} carried-forward ledger movement(s) written."
        )


@db_app.command("new-key")
def db_new_key() -> None:
    """Print a new encryption key for PODIUM_ENCRYPTION_KEYS (put it first to rotate)."""
    out.print(new_key(), highlight=False)


@db_app.command("rotate-secrets")
@friendly
def db_rotate_secrets() -> None:
    """Re-encrypt every stored secret with the first key of PODIUM_ENCRYPTION_KEYS (plaintext
    secrets stored before encryption was configured are encrypted too)."""
    settings = settings_for()
    use_keys(settings.encryption_keys)
    db = Database(build_engine(settings.database_url))
    try:
        done = rotate_secrets(db)
    finally:
        db.dispose()
    for column, count in done.items():
        out.print(f"{column}: {count} row(s) re-encrypted", highlight=False)
    out.print(f"Every secret is now encrypted with the first key ({sum(done.values())} rows).")


@keys_app.command("create")
@with_podium
def keys_create(
    podium: Podium,
    name: str = typer.Option(..., "--name", help="Who or what uses the key."),
    role: str = typer.Option(
        "readonly", "--role", help="admin, operator, warehouse, support or readonly."
    ),
) -> None:
    """Create an API key; the key is printed alone on the last line."""
    api_key, key = create_key(podium.db, name, role)
    err.print(f"Created {api_key.role} key {api_key.id} ({api_key.name}).")
    sys.stdout.write(key + "\n")


@keys_app.command("list")
@with_podium
def keys_list(podium: Podium) -> None:
    """List API keys (never their secrets)."""
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
@with_podium
def keys_revoke(podium: Podium, key_id: str) -> None:
    """Revoke an API key by id."""
    revoke_key(podium.db, key_id)
    out.print(f"Revoked {key_id}.")


@with_podium
def doctor(podium: Podium) -> None:
    """Recompute every stock balance from the ledger; exit 1 on any violation."""
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
@with_podium
def events_list(
    podium: Podium,
    status: str = typer.Option(None, help="pending, delivered or dead."),
    limit: int = typer.Option(20, min=1, max=500),
) -> None:
    """List outbox events, newest first."""
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
@with_podium
def events_retry(podium: Podium, event_id: str) -> None:
    """Put a dead-lettered event back in line."""
    retry_event(podium.db, event_id)
    out.print(f"Event {event_id} will be delivered again.")


@events_app.command("dead-letters")
@with_podium
def events_dead_letters(
    podium: Podium,
    retry: str = typer.Option(None, help="Put this dead letter (event or dlv_… id) back in line."),
    retry_all: bool = typer.Option(False, "--retry-all", help="Put every dead letter back."),
    limit: int = typer.Option(20, min=1, max=200),
) -> None:
    """Dead-lettered events and given-up webhook deliveries; retry one or all of them."""
    if retry_all:
        counts = notify.retry_all(podium.db)
        out.print(
            f"{counts['events']} event(s) and {counts['webhook_deliveries']} webhook "
            "delivery(ies) will be tried again."
        )
        return
    if retry:
        letter = notify.retry_dead_letter(podium.db, retry)
        out.print(f"{letter.kind} {letter.id} will be tried again.")
        return
    found = notify.dead_letters(podium.db, limit)
    table = Table("kind", "id", "type", "destination", "attempts", "last error", "since")
    for d in found.items:
        table.add_row(
            d.kind,
            d.id,
            d.type,
            d.destination[:40],
            str(d.attempts),
            (d.last_error or "")[:60],
            d.created_at.isoformat(timespec="seconds"),
        )
    out.print(table)
    out.print(
        f"dead events: {found.events}, given-up webhook deliveries: {found.webhook_deliveries}"
    )
