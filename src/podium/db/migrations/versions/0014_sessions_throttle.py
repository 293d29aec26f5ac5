"""Server-side dashboard sessions and shared throttle counters (issue 12).

* ``user_sessions``: one row per signed-in browser, found by the SHA-256 of the cookie's
  random token (``uq_user_sessions_token_hash``: the one indexed read per request). Deleting a
  row ends that session: sign-out, password change, a disabled user, "sign out everywhere".
* ``throttle_counters``: fixed-window counters (sign-in failures per e-mail+address and per
  address, customer return requests per address and per order number) that every process
  shares; rows of past windows are deleted.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "user_sessions",
        sa.Column("id", sa.String(40), nullable=False),
        sa.Column("user_id", sa.String(40), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("last_seen_at", TS, nullable=False),
        sa.Column("expires_at", TS, nullable=False),
        sa.Column("user_agent", sa.String(300), nullable=True),
        sa.Column("ip", sa.String(64), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_user_sessions"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_user_sessions_user_id_users"),
        sa.UniqueConstraint("token_hash", name="uq_user_sessions_token_hash"),
    )
    op.create_index("ix_user_sessions_user_id", "user_sessions", ["user_id"])
    op.create_table(
        "throttle_counters",
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("window_start", sa.BigInteger(), nullable=False),
        sa.Column("count", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("key", "window_start", name="pk_throttle_counters"),
    )
    op.create_index("ix_throttle_counters_window_start", "throttle_counters", ["window_start"])


def downgrade() -> None:
    op.drop_index("ix_throttle_counters_window_start", table_name="throttle_counters")
    op.drop_table("throttle_counters")
    op.drop_index("ix_user_sessions_user_id", table_name="user_sessions")
    op.drop_table("user_sessions")
