"""The operations dashboard: users, shared secrets, and the order queue's indexes.

``users`` sign in to the dashboard (argon2 password hashes, a role from access/model.py);
``app_secrets`` holds the session-signing key when PODIUM_SECRET_KEY is not set, so every
process serving one database signs cookies alike. The queue sorts by placement time, filters
by status and finds orders by external id; these indexes keep it fast at 100,000 orders.

Revision ID: 0009
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

Timestamp = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.String(40), nullable=False),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_at", Timestamp, nullable=False),
        sa.Column("last_login_at", Timestamp, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_users"),
        sa.UniqueConstraint("email", name="uq_users_email"),
    )
    op.create_table(
        "app_secrets",
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("value", sa.String(200), nullable=False),
        sa.Column("created_at", Timestamp, nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_app_secrets"),
    )
    op.create_index("ix_orders_placed_at_id", "orders", ["placed_at", "id"])
    op.create_index("ix_orders_status_placed_at_id", "orders", ["status", "placed_at", "id"])
    op.create_index("ix_orders_external_id", "orders", ["external_id"])


def downgrade() -> None:
    op.drop_index("ix_orders_external_id", table_name="orders")
    op.drop_index("ix_orders_status_placed_at_id", table_name="orders")
    op.drop_index("ix_orders_placed_at_id", table_name="orders")
    op.drop_table("app_secrets")
    op.drop_table("users")
