"""SQL for server-side dashboard sessions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from podium.db.tables import user_sessions as s
from podium.db.tables import users as u

__all__ = [
    "delete_by_hash",
    "delete_expired",
    "delete_for_user",
    "delete_one",
    "for_user",
    "insert",
    "touch",
    "with_user",
]


def insert(conn: Connection, values: dict[str, Any]) -> None:
    conn.execute(s.insert().values(**values))


def with_user(conn: Connection, token_hash: str) -> sa.RowMapping | None:
    """The session and its user in one indexed read (the unique index on token_hash)."""
    query = (
        sa.select(
            s.c.id,
            s.c.user_id,
            s.c.expires_at,
            s.c.last_seen_at,
            u.c.email,
            u.c.role,
            u.c.active,
            u.c.created_at,
            u.c.last_login_at,
        )
        .join(u, u.c.id == s.c.user_id)
        .where(s.c.token_hash == token_hash)
    )
    return conn.execute(query).mappings().first()


def touch(conn: Connection, session_id: str, at: datetime) -> None:
    conn.execute(s.update().where(s.c.id == session_id).values(last_seen_at=at))


def for_user(conn: Connection, user_id: str, now: datetime) -> list[sa.RowMapping]:
    query = (
        sa.select(s)
        .where(s.c.user_id == user_id, s.c.expires_at > now)
        .order_by(s.c.last_seen_at.desc(), s.c.id)
    )
    return list(conn.execute(query).mappings())


def delete_by_hash(conn: Connection, token_hash: str) -> int:
    return conn.execute(s.delete().where(s.c.token_hash == token_hash)).rowcount


def delete_one(conn: Connection, user_id: str, session_id: str) -> int:
    return conn.execute(s.delete().where(s.c.user_id == user_id, s.c.id == session_id)).rowcount


def delete_for_user(conn: Connection, user_id: str, *, keep_hash: str | None = None) -> int:
    query = s.delete().where(s.c.user_id == user_id)
    if keep_hash is not None:
        query = query.where(s.c.token_hash != keep_hash)
    return conn.execute(query).rowcount


def delete_expired(conn: Connection, user_id: str, now: datetime) -> int:
    return conn.execute(s.delete().where(s.c.user_id == user_id, s.c.expires_at <= now)).rowcount
