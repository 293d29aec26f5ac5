"""Purchase orders, transfers and receipts (issue 16 item 4).

- ``planning_purchase_orders`` / ``planning_po_lines``: a supplier's order for a warehouse,
  its expected day and status; per SKU the units ordered, received so far and the unit cost.
- ``planning_transfers`` / ``planning_transfer_lines``: stock moving between warehouses.
- ``planning_receipts``: each receipt by its idempotency key, with the lines it booked.
- ``planning_preorder_caps``: per channel, the units of a SKU it may sell ahead of incoming
  stock.

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

_JSON = sa.JSON().with_variant(JSONB(), "postgresql")
_TS = sa.DateTime(timezone=True)

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


def _lines(table: str, parent: str) -> None:
    op.create_table(
        table,
        sa.Column("number", sa.String(32), nullable=False),
        sa.Column("sku", sa.String(64), nullable=False),
        sa.Column("quantity", sa.Integer, nullable=False),
        sa.Column("received", sa.Integer, nullable=False),
        *(
            [sa.Column("unit_cost", sa.String(32), nullable=False)]
            if table == "planning_po_lines"
            else []
        ),
        sa.CheckConstraint("quantity >= 1", name=op.f(f"ck_{table}_quantity_positive")),
        sa.CheckConstraint("received >= 0", name=op.f(f"ck_{table}_received_not_negative")),
        sa.ForeignKeyConstraint(
            ["number"],
            [f"{parent}.number"],
            name=op.f(f"fk_{table}_number_{parent}"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("number", "sku", name=op.f(f"pk_{table}")),
    )
    op.create_index(f"ix_{table}_sku", table, ["sku"])


def upgrade() -> None:
    op.create_table(
        "planning_purchase_orders",
        sa.Column("number", sa.String(32), nullable=False),
        sa.Column("supplier", sa.String(64), nullable=False),
        sa.Column("warehouse", sa.String(64), nullable=False),
        sa.Column("status", sa.String(24), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("expected_on", sa.Date, nullable=False),
        sa.Column("note", sa.String(500), nullable=True),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("sent_at", _TS, nullable=True),
        sa.Column("updated_at", _TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["supplier"],
            ["planning_suppliers.code"],
            name=op.f("fk_planning_purchase_orders_supplier_planning_suppliers"),
        ),
        sa.PrimaryKeyConstraint("number", name=op.f("pk_planning_purchase_orders")),
    )
    op.create_index("ix_planning_purchase_orders_status", "planning_purchase_orders", ["status"])
    _lines("planning_po_lines", "planning_purchase_orders")
    op.create_table(
        "planning_transfers",
        sa.Column("number", sa.String(32), nullable=False),
        sa.Column("source", sa.String(64), nullable=False),
        sa.Column("target", sa.String(64), nullable=False),
        sa.Column("status", sa.String(24), nullable=False),
        sa.Column("expected_on", sa.Date, nullable=True),
        sa.Column("note", sa.String(500), nullable=True),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("shipped_at", _TS, nullable=True),
        sa.Column("updated_at", _TS, nullable=False),
        sa.PrimaryKeyConstraint("number", name=op.f("pk_planning_transfers")),
    )
    op.create_index("ix_planning_transfers_status", "planning_transfers", ["status"])
    _lines("planning_transfer_lines", "planning_transfers")
    op.create_table(
        "planning_receipts",
        sa.Column("document", sa.String(32), nullable=False),
        sa.Column("key", sa.String(100), nullable=False),
        sa.Column("lines", _JSON, nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("at", _TS, nullable=False),
        sa.PrimaryKeyConstraint("document", "key", name=op.f("pk_planning_receipts")),
    )
    op.create_table(
        "planning_preorder_caps",
        sa.Column("channel", sa.String(64), nullable=False),
        sa.Column("cap", sa.Integer, nullable=False),
        sa.Column("updated_at", _TS, nullable=False),
        sa.CheckConstraint("cap >= 0", name=op.f("ck_planning_preorder_caps_cap_not_negative")),
        sa.PrimaryKeyConstraint("channel", name=op.f("pk_planning_preorder_caps")),
    )


def downgrade() -> None:
    op.drop_table("planning_preorder_caps")
    op.drop_table("planning_receipts")
    op.drop_index("ix_planning_transfer_lines_sku", table_name="planning_transfer_lines")
    op.drop_table("planning_transfer_lines")
    op.drop_index("ix_planning_transfers_status", table_name="planning_transfers")
    op.drop_table("planning_transfers")
    op.drop_index("ix_planning_po_lines_sku", table_name="planning_po_lines")
    op.drop_table("planning_po_lines")
    op.drop_index("ix_planning_purchase_orders_status", table_name="planning_purchase_orders")
    op.drop_table("planning_purchase_orders")
