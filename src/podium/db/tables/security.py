"""Server-side dashboard sessions and shared throttle counters (issue 12)."""

from __future__ import annotations

import sqlalchemy as sa

from podium.db.tables._base import Timestamp, metadata
from podium.db.tables.dashboard import users

__all__ = ["throttle_counters", "user_sessions"]

# One row per signed-in browser. The cookie carries a random token; only its SHA-256 is kept,
# so a copy of the database signs nobody in. Deleting the row ends the session.
user_sessions = sa.Table(
    "user_sessions",
    metadata,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("user_id", sa.String(40), sa.ForeignKey(users.c.id), nullable=False, index=True),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("last_seen_at", Timestamp, nullable=False),
    sa.Column("expires_at", Timestamp, nullable=False),
    sa.Column("user_agent", sa.String(300), nullable=True),
    sa.Column("ip", sa.String(64), nullable=True),
)

# Fixed-window counters every process shares (sign-in failures, return requests): a key such
# as ``login-ip:203.0.113.9`` and the window's start in epoch seconds. Old windows are deleted.
throttle_counters = sa.Table(
    "throttle_counters",
    metadata,
    sa.Column("key", sa.String(200), primary_key=True),
    sa.Column("window_start", sa.BigInteger, primary_key=True, index=True),
    sa.Column("count", sa.BigInteger, nullable=False),
)
