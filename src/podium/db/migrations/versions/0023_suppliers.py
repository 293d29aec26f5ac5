"""Suppliers and replenishment (issue 16, item 3).

- ``planning_suppliers``: code, name, e-mail, currency, default lead time in days.
- ``planning_supplier_products``: a supplier's offer for a SKU (lead time override, MOQ, case
  pack, unit cost as a decimal string, preferred flag).
- ``planning_sku_policies``: a SKU's own target service level.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "planning_suppliers",
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("email", sa.String(320), nullable=True),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("lead_time_days", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "lead_time_days >= 0", name=op.f("ck_planning_suppliers_lead_time_not_negative")
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_planning_suppliers")),
    )
    op.create_table(
        "planning_supplier_products",
        sa.Column("supplier", sa.String(64), nullable=False),
        sa.Column("sku", sa.String(64), nullable=False),
        sa.Column("lead_time_days", sa.Integer, nullable=True),
        sa.Column("moq", sa.Integer, nullable=False),
        sa.Column("case_pack", sa.Integer, nullable=False),
        sa.Column("unit_cost", sa.String(32), nullable=False),
        sa.Column("preferred", sa.Boolean, nullable=False),
        sa.CheckConstraint("moq >= 1", name=op.f("ck_planning_supplier_products_moq_positive")),
        sa.CheckConstraint(
            "case_pack >= 1", name=op.f("ck_planning_supplier_products_case_pack_positive")
        ),
        sa.ForeignKeyConstraint(
            ["supplier"],
            ["planning_suppliers.code"],
            name=op.f("fk_planning_supplier_products_supplier_planning_suppliers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("supplier", "sku", name=op.f("pk_planning_supplier_products")),
    )
    op.create_index("ix_planning_supplier_products_sku", "planning_supplier_products", ["sku"])
    op.create_table(
        "planning_sku_policies",
        sa.Column("sku", sa.String(64), nullable=False),
        sa.Column("service_level", sa.Float, nullable=False),
        sa.PrimaryKeyConstraint("sku", name=op.f("pk_planning_sku_policies")),
    )


def downgrade() -> None:
    op.drop_table("planning_sku_policies")
    op.drop_index("ix_planning_supplier_products_sku", table_name="planning_supplier_products")
    op.drop_table("planning_supplier_products")
    op.drop_table("planning_suppliers")
