"""Data lifecycle (issue 19 item 7): ``maintenance`` (the lease one node holds while it prunes,
and the last pass's counts), and the archive tables ``podium db archive`` moves old months of
the timeline (``order_events_archive``) and the stock ledger (``stock_movements_archive``) to.
Nothing existing changes.

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

_JSON = sa.JSON().with_variant(JSONB(), "postgresql")
_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_TS = sa.DateTime(timezone=True)

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "maintenance",
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("holder", sa.String(100), nullable=True),
        sa.Column("locked_until", _TS, nullable=True),
        sa.Column("last_run_at", _TS, nullable=True),
        sa.Column("last_result", _JSON, nullable=True),
        sa.PrimaryKeyConstraint("name", name="pk_maintenance"),
    )
    op.create_table(
        "order_events_archive",
        sa.Column("id", _ID, autoincrement=False, nullable=False),
        sa.Column("order_id", sa.String(40), nullable=False),
        sa.Column("at", _TS, nullable=False),
        sa.Column("type", sa.String(64), nullable=False),
        sa.Column("message", sa.String(2000), nullable=False),
        sa.Column("data", _JSON, nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_order_events_archive"),
    )
    op.create_index("ix_order_events_archive_order_id", "order_events_archive", ["order_id", "id"])
    op.create_table(
        "stock_movements_archive",
        sa.Column("id", _ID, autoincrement=False, nullable=False),
        sa.Column("at", _TS, nullable=False),
        sa.Column("sku", sa.String(64), nullable=False),
        sa.Column("warehouse", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("on_hand_delta", sa.Integer, nullable=False),
        sa.Column("reserved_delta", sa.Integer, nullable=False),
        sa.Column("reason", sa.String(64), nullable=False),
        sa.Column("reference", sa.String(200), nullable=True),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_stock_movements_archive"),
    )
    op.create_index(
        "ix_stock_movements_archive_sku_warehouse",
        "stock_movements_archive",
        ["sku", "warehouse", "id"],
    )


def downgrade() -> None:
    op.drop_index("ix_stock_movements_archive_sku_warehouse", table_name="stock_movements_archive")
    op.drop_table("stock_movements_archive")
    op.drop_index("ix_order_events_archive_order_id", table_name="order_events_archive")
    op.drop_table("order_events_archive")
    op.drop_table("maintenance")
