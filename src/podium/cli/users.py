"""``podium users``: create, list and disable dashboard users; set passwords; list and revoke
their sessions."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import typer
from rich.table import Table

from podium.cli.common import err, out, with_podium
from podium.users import (
    create_user,
    disable_user,
    list_sessions,
    list_users,
    revoke_sessions,
    set_password,
)

if TYPE_CHECKING:
    from podium.bootstrap import Podium

users_app = typer.Typer(
    help="Dashboard users (sign-in with e-mail and password).", no_args_is_help=True
)
sessions_app = typer.Typer(help="A user's dashboard sessions.", no_args_is_help=True)

_WHO = typer.Argument(..., help="The user's e-mail or id.")
_PASSWORD = typer.Option(..., "--password", help="At least 10 characters; '-' reads it from stdin.")


def _secret(password: str) -> str:
    return sys.stdin.readline().rstrip("\r\n") if password == "-" else password


@users_app.command("create")
@with_podium
def users_create(
    podium: Podium,
    email: str = typer.Option(..., "--email", help="The user's e-mail; they sign in with it."),
    role: str = typer.Option(
        "readonly", "--role", help="admin, operator, warehouse, support or readonly."
    ),
    password: str = _PASSWORD,
) -> None:
    """Create a dashboard user."""
    user = create_user(podium.db, email, role, _secret(password))
    err.print(f"Created {user.role} user {user.email} ({user.id}).")


@users_app.command("list")
@with_podium
def users_list(podium: Podium) -> None:
    """List dashboard users."""
    table = Table("id", "email", "role", "active", "created", "last sign-in")
    for u in list_users(podium.db):
        table.add_row(
            u.id,
            u.email,
            u.role,
            "yes" if u.active else "no",
            u.created_at.isoformat(timespec="seconds"),
            u.last_login_at.isoformat(timespec="seconds") if u.last_login_at else "",
        )
    out.print(table)


@users_app.command("disable")
@with_podium
def users_disable(podium: Podium, who: str = _WHO) -> None:
    """Disable a user: they can no longer sign in, and their sessions end."""
    user = disable_user(podium.db, who)
    out.print(f"Disabled {user.email}.")


@users_app.command("password")
@with_podium
def users_password(podium: Podium, who: str = _WHO, password: str = _PASSWORD) -> None:
    """Set a user's password; every session of theirs ends."""
    ended = set_password(podium.db, who, _secret(password))
    err.print(f"Password set for {who}; {ended} session(s) ended.")


users_app.add_typer(sessions_app, name="sessions")


@sessions_app.command("list")
@with_podium
def sessions_list(podium: Podium, who: str = _WHO) -> None:
    """List a user's live sessions (where and when, never the tokens)."""
    table = Table("id", "signed in", "last seen", "expires", "address", "browser")
    for s in list_sessions(podium.db, who):
        table.add_row(
            s.id,
            s.created_at.isoformat(timespec="seconds"),
            s.last_seen_at.isoformat(timespec="seconds"),
            s.expires_at.isoformat(timespec="seconds"),
            s.ip or "",
            (s.user_agent or "")[:60],
        )
    out.print(table)


@sessions_app.command("revoke")
@with_podium
def sessions_revoke(podium: Podium, who: str = _WHO) -> None:
    """Sign a user out everywhere: every session of theirs ends at once."""
    ended = revoke_sessions(podium.db, who)
    out.print(f"Signed {who} out everywhere ({ended} session(s) ended).")
