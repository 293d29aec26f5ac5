"""Dashboard users and application secrets (issue 7)."""

from __future__ import annotations

import sqlalchemy as sa

from podium.db.tables._base import Timestamp, metadata

__all__ = ["app_secrets", "users"]

users = sa.Table(
    "users",
    metadata,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("email", sa.String(320), nullable=False, unique=True),
    sa.Column("role", sa.String(32), nullable=False),
    sa.Column("password_hash", sa.String(255), nullable=False),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("last_login_at", Timestamp, nullable=True),
)

# Secrets every process serving this database shares (the session-signing key).
app_secrets = sa.Table(
    "app_secrets",
    metadata,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("value", sa.String(200), nullable=False),
    sa.Column("created_at", Timestamp, nullable=False),
)
