"""Server-side dashboard sessions: start, check, end, list and revoke.

The cookie carries a random token; the record keeps only its SHA-256, so a leaked database
signs nobody in. A request costs one indexed read (session joined with its user); ``last
seen`` is written at most once a minute. Deleting records is how sessions end: sign-out (this
one), a password change (all but the one that made it), a disabled user and "sign out
everywhere" (all of them).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from podium.db.database import Database, as_utc, utcnow
from podium.ids import new_id
from podium.users import _session_store as store
from podium.users.model import User
from podium.users.service import find_user

__all__ = [
    "TOUCH_EVERY",
    "SessionInfo",
    "check_session",
    "end_session",
    "list_sessions",
    "revoke_session",
    "revoke_sessions",
    "session_id",
    "start_session",
    "token_hash",
]

TOUCH_EVERY = timedelta(seconds=60)


@dataclass(frozen=True, slots=True)
class SessionInfo:
    id: str
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    user_agent: str | None
    ip: str | None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def start_session(
    db: Database,
    user_id: str,
    token: str,
    lifetime: timedelta,
    *,
    user_agent: str | None = None,
    ip: str | None = None,
    now: datetime | None = None,
) -> str:
    """Record a new session for ``token``; returns the session's id. The user's expired
    sessions are cleared at the same time, so the table does not grow without end."""
    at = now or utcnow()
    session_id = new_id("ses")
    with db.write() as conn:
        store.delete_expired(conn, user_id, at)
        store.insert(
            conn,
            {
                "id": session_id,
                "user_id": user_id,
                "token_hash": token_hash(token),
                "created_at": at,
                "last_seen_at": at,
                "expires_at": at + lifetime,
                "user_agent": (user_agent or "")[:300] or None,
                "ip": (ip or "")[:64] or None,
            },
        )
    return session_id


def check_session(
    db: Database, user_id: str, token: str, *, now: datetime | None = None
) -> User | None:
    """The user if ``token`` names a live session of ``user_id`` and the user is active."""
    at = now or utcnow()
    with db.read() as conn:
        row = store.with_user(conn, token_hash(token))
    if row is None or row["user_id"] != user_id or as_utc(row["expires_at"]) <= at:
        return None
    if not row["active"]:
        return None
    if at - as_utc(row["last_seen_at"]) >= TOUCH_EVERY:
        with db.write() as conn:
            store.touch(conn, row["id"], at)
    return User(
        row["user_id"],
        row["email"],
        row["role"],
        bool(row["active"]),
        as_utc(row["created_at"]),
        as_utc(row["last_login_at"]) if row["last_login_at"] else None,
    )


def session_id(db: Database, token: str) -> str | None:
    """The id of the session ``token`` opens (to mark "this browser" in a list)."""
    with db.read() as conn:
        row = store.with_user(conn, token_hash(token))
    return str(row["id"]) if row is not None else None


def end_session(db: Database, token: str) -> None:
    """Sign-out: this session's record goes; the cookie is worthless from now on."""
    with db.write() as conn:
        store.delete_by_hash(conn, token_hash(token))


def list_sessions(db: Database, who: str, *, now: datetime | None = None) -> list[SessionInfo]:
    """A user's live sessions (by e-mail or id), most recently seen first."""
    at = now or utcnow()
    with db.read() as conn:
        user = find_user(conn, who)
        rows = store.for_user(conn, user["id"], at)
    return [
        SessionInfo(
            r["id"],
            as_utc(r["created_at"]),
            as_utc(r["last_seen_at"]),
            as_utc(r["expires_at"]),
            r["user_agent"],
            r["ip"],
        )
        for r in rows
    ]


def revoke_sessions(db: Database, who: str, *, keep_token: str | None = None) -> int:
    """End every session of a user (by e-mail or id), but the one of ``keep_token`` if given;
    returns how many ended."""
    keep = token_hash(keep_token) if keep_token else None
    with db.write() as conn:
        user = find_user(conn, who)
        return store.delete_for_user(conn, user["id"], keep_hash=keep)


def revoke_session(db: Database, user_id: str, session_id: str) -> bool:
    """End one of a user's sessions (from their list); False if there was none."""
    with db.write() as conn:
        return store.delete_one(conn, user_id, session_id) > 0
