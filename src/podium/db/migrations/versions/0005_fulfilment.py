"""Fulfilment, carriers and tracking: warehouse settings, bins, pick lists, carrier accounts,
labels, and promised/released/delivered dates on shipments.

Revision ID: 0005
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("shipments") as batch:
        batch.add_column(sa.Column("promised_by", sa.Date(), nullable=True))
        batch.add_column(sa.Column("released_at", TS, nullable=True))
        batch.add_column(sa.Column("delivered_at", TS, nullable=True))
    op.create_table(
        "fulfilment_settings",
        sa.Column("warehouse", sa.String(length=64), nullable=False),
        sa.Column("release_mode", sa.String(length=16), nullable=False),
        sa.Column("handoff", sa.String(length=16), nullable=False),
        sa.Column("handoff_url", sa.String(length=500), nullable=True),
        sa.Column("handoff_secret", sa.String(length=200), nullable=True),
        sa.Column("handoff_dir", sa.String(length=500), nullable=True),
        sa.Column("updated_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["warehouse"],
            ["warehouses.code"],
            name=op.f("fk_fulfilment_settings_warehouse_warehouses"),
        ),
        sa.PrimaryKeyConstraint("warehouse", name=op.f("pk_fulfilment_settings")),
    )
    op.create_table(
        "bin_locations",
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("warehouse", sa.String(length=64), nullable=False),
        sa.Column("bin", sa.String(length=32), nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["warehouse"], ["warehouses.code"], name=op.f("fk_bin_locations_warehouse_warehouses")
        ),
        sa.PrimaryKeyConstraint("sku", "warehouse", name=op.f("pk_bin_locations")),
    )
    op.create_table(
        "pick_lists",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("warehouse", sa.String(length=64), nullable=False),
        sa.Column("shipment_ids", JSON, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["warehouse"], ["warehouses.code"], name=op.f("fk_pick_lists_warehouse_warehouses")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pick_lists")),
    )
    op.create_index("ix_pick_lists_warehouse", "pick_lists", ["warehouse", "id"])
    op.create_table(
        "carrier_accounts",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("settings", JSON, nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_carrier_accounts")),
    )
    op.create_table(
        "labels",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("shipment_id", sa.String(length=40), nullable=False),
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
        sa.Column("created_at", TS, nullable=False),
        sa.Column("voided_at", TS, nullable=True),
        sa.ForeignKeyConstraint(
            ["shipment_id"], ["shipments.id"], name=op.f("fk_labels_shipment_id_shipments")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_labels")),
        sa.UniqueConstraint("tracking_number", name=op.f("uq_labels_tracking_number")),
    )
    op.create_index("ix_labels_shipment_id", "labels", ["shipment_id"])


def downgrade() -> None:
    op.drop_index("ix_labels_shipment_id", table_name="labels")
    op.drop_table("labels")
    op.drop_table("carrier_accounts")
    op.drop_index("ix_pick_lists_warehouse", table_name="pick_lists")
    op.drop_table("pick_lists")
    op.drop_table("bin_locations")
    op.drop_table("fulfilment_settings")
    with op.batch_alter_table("shipments") as batch:
        batch.drop_column("delivered_at")
        batch.drop_column("released_at")
        batch.drop_column("promised_by")
