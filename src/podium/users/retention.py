"""Expired dashboard sessions go (``podium db prune``; signing in also clears the user's own)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from podium.db.tables import user_sessions

__all__ = ["count_expired_sessions", "prune_expired_sessions"]


def _ts(table: sa.Table, column: str, when: datetime) -> sa.BindParameter[datetime]:
    return sa.bindparam(None, when, type_=table.c[column].type)


def _expired_sessions(now: datetime) -> sa.Select[Any]:
    s = user_sessions.c
    return sa.select(s.id).where(s.expires_at <= _ts(user_sessions, "expires_at", now))


def prune_expired_sessions(conn: Connection, now: datetime, limit: int) -> int:
    ids = list(conn.execute(_expired_sessions(now).limit(limit)).scalars())
    if ids:
        conn.execute(user_sessions.delete().where(user_sessions.c.id.in_(ids)))
    return len(ids)


def count_expired_sessions(conn: Connection, now: datetime) -> int:
    query = sa.select(sa.func.count()).select_from(_expired_sessions(now).subquery())
    return int(conn.execute(query).scalar_one())
