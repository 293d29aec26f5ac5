"""Import runs: one row per CSV import that wrote something, in the same transaction.

It says who imported which file (by SHA-256) when, and what it did; a stock file already
imported is refused unless forced, because applying a delta (or yesterday's counts) twice
would be wrong.

Revision ID: 0007
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "import_runs",
        sa.Column("id", sa.String(40), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("channel", sa.String(64), nullable=True),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("filename", sa.String(300), nullable=True),
        sa.Column("rows_read", sa.Integer, nullable=False),
        sa.Column("created", sa.Integer, nullable=False),
        sa.Column("already_present", sa.Integer, nullable=False),
        sa.Column("movements", sa.Integer, nullable=False),
        sa.Column("rejected", sa.Integer, nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_runs")),
    )
    op.create_index("ix_import_runs_kind_digest", "import_runs", ["kind", "digest"])
    op.create_index("ix_import_runs_created_at", "import_runs", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_import_runs_created_at", table_name="import_runs")
    op.drop_index("ix_import_runs_kind_digest", table_name="import_runs")
    op.drop_table("import_runs")
