"""Traces across the outbox (issue 19): an event keeps the W3C ``traceparent`` of the request
that wrote it, so the relay and channel pushers continue that trace. Null while traces are off.

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable without a default: instant on PostgreSQL, a plain ADD COLUMN on SQLite.
    op.add_column("outbox", sa.Column("traceparent", sa.String(55), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("traceparent")
