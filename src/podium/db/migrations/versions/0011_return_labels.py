"""Return labels: the carrier label a customer sends an RMA back with, and its tracking.

Revision ID: 0011
Revises: 0008
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0009"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "return_labels",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("return_id", sa.String(length=40), nullable=False),
        sa.Column("warehouse", sa.String(length=64), nullable=False),
        sa.Column("carrier", sa.String(length=64), nullable=False),
        sa.Column("carrier_name", sa.String(length=64), nullable=False),
        sa.Column("service", sa.String(length=64), nullable=False),
        sa.Column("tracking_number", sa.String(length=100), nullable=False),
        sa.Column("rate_amount", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("transit_days", sa.Integer(), nullable=True),
        sa.Column("weight_grams", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=100), nullable=True),
        sa.Column("label_url", sa.String(length=1000), nullable=True),
        sa.Column("tracking_url", sa.String(length=1000), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("picked_up_at", TS, nullable=True),
        sa.Column("delivered_at", TS, nullable=True),
        sa.Column("voided_at", TS, nullable=True),
        sa.ForeignKeyConstraint(
            ["return_id"], ["returns.id"], name=op.f("fk_return_labels_return_id_returns")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_return_labels")),
        sa.UniqueConstraint("tracking_number", name=op.f("uq_return_labels_tracking_number")),
    )
    op.create_index("ix_return_labels_return_id", "return_labels", ["return_id"])


def downgrade() -> None:
    op.drop_index("ix_return_labels_return_id", table_name="return_labels")
    op.drop_table("return_labels")
