"""The dashboard's returns list: newest first, by status, within a date range.

The list sorts by (created_at, id) and pages by that key; with a status it walks
(status, created_at, id). Both stay index walks however many returns there are.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-26
"""

from __future__ import annotations

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_returns_created_at_id", "returns", ["created_at", "id"])
    op.create_index("ix_returns_status_created_at_id", "returns", ["status", "created_at", "id"])


def downgrade() -> None:
    op.drop_index("ix_returns_status_created_at_id", table_name="returns")
    op.drop_index("ix_returns_created_at_id", table_name="returns")
