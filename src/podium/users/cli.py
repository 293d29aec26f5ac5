"""``podium users``: create, list and disable dashboard users; set passwords; list and revoke
their sessions."""

from __future__ import annotations

import sys

import typer
from rich.table import Table

__all__ = ["users_app"]

users_app = typer.Typer(
    help="Dashboard users (sign-in with e-mail and password).", no_args_is_help=True
)


@users_app.command("create")
def users_create(
    email: str = typer.Option(..., "--email", help="The user's e-mail; they sign in with it."),
    role: str = typer.Option(
        "readonly", "--role", help="admin, operator, warehouse, support or readonly."
    ),
    password: str = typer.Option(
        ..., "--password", help="At least 10 characters; '-' reads it from stdin."
    ),
) -> None:
    """Create a dashboard user."""
    from podium.cli import _opened, err, friendly
    from podium.users.service import create_user

    @friendly
    def run() -> None:
        secret = sys.stdin.readline().rstrip("\r\n") if password == "-" else password
        with _opened() as podium:
            user = create_user(podium.db, email, role, secret)
        err.print(f"Created {user.role} user {user.email} ({user.id}).")

    run()


@users_app.command("list")
def users_list() -> None:
    """List dashboard users."""
    from podium.cli import _opened, friendly, out
    from podium.users.service import list_users

    @friendly
    def run() -> None:
        with _opened() as podium:
            found = list_users(podium.db)
        table = Table("id", "email", "role", "active", "created", "last sign-in")
        for u in found:
            table.add_row(
                u.id,
                u.email,
                u.role,
                "yes" if u.active else "no",
                u.created_at.isoformat(timespec="seconds"),
                u.last_login_at.isoformat(timespec="seconds") if u.last_login_at else "",
            )
        out.print(table)

    run()


@users_app.command("disable")
def users_disable(who: str = typer.Argument(..., help="The user's e-mail or id.")) -> None:
    """Disable a user: they can no longer sign in, and their sessions end."""
    from podium.cli import _opened, friendly, out
    from podium.users.service import disable_user

    @friendly
    def run() -> None:
        with _opened() as podium:
            user = disable_user(podium.db, who)
        out.print(f"Disabled {user.email}.")

    run()


@users_app.command("password")
def users_password(
    who: str = typer.Argument(..., help="The user's e-mail or id."),
    password: str = typer.Option(
        ..., "--password", help="At least 10 characters; '-' reads it from stdin."
    ),
) -> None:
    """Set a user's password; every session of theirs ends."""
    from podium.cli import _opened, err, friendly
    from podium.users.service import set_password

    @friendly
    def run() -> None:
        secret = sys.stdin.readline().rstrip("\r\n") if password == "-" else password
        with _opened() as podium:
            ended = set_password(podium.db, who, secret)
        err.print(f"Password set for {who}; {ended} session(s) ended.")

    run()


sessions_app = typer.Typer(help="A user's dashboard sessions.", no_args_is_help=True)
users_app.add_typer(sessions_app, name="sessions")


@sessions_app.command("list")
def sessions_list(who: str = typer.Argument(..., help="The user's e-mail or id.")) -> None:
    """List a user's live sessions (where and when, never the tokens)."""
    from podium.cli import _opened, friendly, out
    from podium.users.sessions import list_sessions

    @friendly
    def run() -> None:
        with _opened() as podium:
            found = list_sessions(podium.db, who)
        table = Table("id", "signed in", "last seen", "expires", "address", "browser")
        for s in found:
            table.add_row(
                s.id,
                s.created_at.isoformat(timespec="seconds"),
                s.last_seen_at.isoformat(timespec="seconds"),
                s.expires_at.isoformat(timespec="seconds"),
                s.ip or "",
                (s.user_agent or "")[:60],
            )
        out.print(table)

    run()


@sessions_app.command("revoke")
def sessions_revoke(who: str = typer.Argument(..., help="The user's e-mail or id.")) -> None:
    """Sign a user out everywhere: every session of theirs ends at once."""
    from podium.cli import _opened, friendly, out
    from podium.users.sessions import revoke_sessions

    @friendly
    def run() -> None:
        with _opened() as podium:
            ended = revoke_sessions(podium.db, who)
        out.print(f"Signed {who} out everywhere ({ended} session(s) ended).")

    run()
