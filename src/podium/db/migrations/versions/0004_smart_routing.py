"""Smart order routing: location settings, delivery promises, versioned routing rules.

Warehouses gain a cut-off time and time zone, working days, the channels and countries they may
serve, a ship-from-store flag and their own shipping rate table. Orders keep the promised date
and service level from the intake. Routing rule sets are stored as numbered versions. Shipments
get an index to count what each location was given today (its daily capacity).

Revision ID: 0004
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0004"
down_revision = "0006"
branch_labels = None
depends_on = None

Json = sa.JSON().with_variant(JSONB(), "postgresql")

_WAREHOUSE_COLUMNS = (
    "cutoff_time",
    "time_zone",
    "working_days",
    "serves_channels",
    "serves_countries",
    "ship_from_store",
    "shipping_rates",
)


def upgrade() -> None:
    with op.batch_alter_table("warehouses") as batch:
        batch.add_column(sa.Column("cutoff_time", sa.String(5), nullable=True))
        batch.add_column(sa.Column("time_zone", sa.String(64), nullable=True))
        batch.add_column(sa.Column("working_days", Json, nullable=True))
        batch.add_column(sa.Column("serves_channels", Json, nullable=True))
        batch.add_column(sa.Column("serves_countries", Json, nullable=True))
        batch.add_column(
            sa.Column("ship_from_store", sa.Boolean, nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("shipping_rates", Json, nullable=True))
    with op.batch_alter_table("orders") as batch:
        batch.add_column(sa.Column("promised_date", sa.Date, nullable=True))
        batch.add_column(sa.Column("service_level", sa.String(16), nullable=True))
        batch.add_column(sa.Column("priority", sa.Integer, nullable=True))
    op.create_index("ix_shipments_warehouse_created", "shipments", ["warehouse", "created_at"])
    op.create_table(
        "routing_rule_sets",
        sa.Column("version", sa.Integer, nullable=False, autoincrement=False),
        sa.Column("rules", Json, nullable=False),
        sa.Column("note", sa.String(500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("version", name=op.f("pk_routing_rule_sets")),
    )


def downgrade() -> None:
    op.drop_table("routing_rule_sets")
    op.drop_index("ix_shipments_warehouse_created", table_name="shipments")
    with op.batch_alter_table("orders") as batch:
        batch.drop_column("priority")
        batch.drop_column("service_level")
        batch.drop_column("promised_date")
    with op.batch_alter_table("warehouses") as batch:
        for name in reversed(_WAREHOUSE_COLUMNS):
            batch.drop_column(name)
