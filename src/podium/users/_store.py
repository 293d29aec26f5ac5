"""SQL for users and shared secrets."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from podium.db.tables import app_secrets, users

__all__ = [
    "all_users",
    "by_email",
    "by_id",
    "insert_secret",
    "insert_user",
    "secret",
    "update_user",
]


def insert_user(conn: Connection, values: dict[str, Any]) -> None:
    conn.execute(users.insert().values(**values))


def by_email(conn: Connection, email: str) -> sa.RowMapping | None:
    return conn.execute(sa.select(users).where(users.c.email == email)).mappings().first()


def by_id(conn: Connection, user_id: str) -> sa.RowMapping | None:
    return conn.execute(sa.select(users).where(users.c.id == user_id)).mappings().first()


def all_users(conn: Connection) -> list[sa.RowMapping]:
    return list(conn.execute(sa.select(users).order_by(users.c.email)).mappings())


def update_user(conn: Connection, user_id: str, values: dict[str, Any]) -> int:
    return conn.execute(users.update().where(users.c.id == user_id).values(**values)).rowcount


def secret(conn: Connection, name: str) -> str | None:
    value = conn.execute(
        sa.select(app_secrets.c.value).where(app_secrets.c.name == name)
    ).scalar_one_or_none()
    return str(value) if value is not None else None


def insert_secret(conn: Connection, name: str, value: str, at: Any) -> None:
    conn.execute(app_secrets.insert().values(name=name, value=value, created_at=at))
