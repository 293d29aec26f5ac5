"""Partial indexes on pending outbox events.

The relay's claim walked past every delivered event; with these it reads only pending ones,
so it stays fast however long the outbox history grows.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

PENDING = sa.text("status = 'pending'")


def upgrade() -> None:
    op.create_index(
        "ix_outbox_pending", "outbox", ["id"], postgresql_where=PENDING, sqlite_where=PENDING
    )
    op.create_index(
        "ix_outbox_pending_aggregate",
        "outbox",
        ["aggregate_type", "aggregate_id", "id"],
        postgresql_where=PENDING,
        sqlite_where=PENDING,
    )


def downgrade() -> None:
    op.drop_index("ix_outbox_pending_aggregate", table_name="outbox")
    op.drop_index("ix_outbox_pending", table_name="outbox")
