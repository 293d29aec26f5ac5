"""Channel connectors: listings, webhook deliveries, channel orders, sync and health state.

Also drops the foreign key from ``order_lines.sku`` to ``products``: a channel order is a fact,
and a line for a SKU Podium does not know yet is captured as sent (the order is held with reason
``unknown_sku`` until the SKU is created or mapped).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003"
down_revision = "0005"
branch_labels = None
depends_on = None

Json = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
Ts = sa.DateTime(timezone=True)
BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("order_lines") as batch:
        batch.drop_constraint("fk_order_lines_sku_products", type_="foreignkey")
    op.create_table(
        "channel_listings",
        sa.Column("channel", sa.String(length=64), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("remote_id", sa.String(length=200), nullable=False),
        sa.Column("remote_location_id", sa.String(length=200), nullable=True),
        sa.Column("remote_sku", sa.String(length=200), nullable=True),
        sa.Column("pushed_available", sa.Integer(), nullable=True),
        sa.Column("pushed_seq", sa.BigInteger(), nullable=False),
        sa.Column("pushed_at", Ts, nullable=True),
        sa.Column("created_at", Ts, nullable=False),
        sa.Column("updated_at", Ts, nullable=False),
        sa.ForeignKeyConstraint(
            ["channel"], ["channels.code"], name=op.f("fk_channel_listings_channel_channels")
        ),
        sa.ForeignKeyConstraint(
            ["sku"], ["products.sku"], name=op.f("fk_channel_listings_sku_products")
        ),
        sa.PrimaryKeyConstraint("channel", "sku", name=op.f("pk_channel_listings")),
    )
    op.create_index("ix_channel_listings_sku", "channel_listings", ["sku"])
    op.create_index("ix_channel_listings_remote_sku", "channel_listings", ["channel", "remote_sku"])
    op.create_table(
        "channel_deliveries",
        sa.Column("id", BigId, autoincrement=True, nullable=False),
        sa.Column("channel", sa.String(length=64), nullable=False),
        sa.Column("delivery_id", sa.String(length=200), nullable=False),
        sa.Column("topic", sa.String(length=100), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("received_at", Ts, nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("error", sa.String(length=2000), nullable=True),
        sa.Column("order_id", sa.String(length=40), nullable=True),
        sa.Column("processed_at", Ts, nullable=True),
        sa.ForeignKeyConstraint(
            ["channel"], ["channels.code"], name=op.f("fk_channel_deliveries_channel_channels")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_channel_deliveries")),
        sa.UniqueConstraint(
            "channel", "delivery_id", name=op.f("uq_channel_deliveries_channel_delivery_id")
        ),
    )
    op.create_table(
        "channel_orders",
        sa.Column("channel", sa.String(length=64), nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=False),
        sa.Column("order_id", sa.String(length=40), nullable=False),
        sa.Column("remote_status", sa.String(length=64), nullable=True),
        sa.Column("remote_updated_at", Ts, nullable=True),
        sa.Column("updated_at", Ts, nullable=False),
        sa.ForeignKeyConstraint(
            ["channel"], ["channels.code"], name=op.f("fk_channel_orders_channel_channels")
        ),
        sa.PrimaryKeyConstraint("channel", "external_id", name=op.f("pk_channel_orders")),
    )
    op.create_index("ix_channel_orders_order_id", "channel_orders", ["order_id"])
    op.create_table(
        "channel_state",
        sa.Column("channel", sa.String(length=64), nullable=False),
        sa.Column("poll_cursor", sa.String(length=200), nullable=True),
        sa.Column("last_order_at", Ts, nullable=True),
        sa.Column("last_push_at", Ts, nullable=True),
        sa.Column("last_poll_at", Ts, nullable=True),
        sa.Column("last_error", sa.String(length=2000), nullable=True),
        sa.Column("last_error_at", Ts, nullable=True),
        sa.Column("orders", sa.BigInteger(), nullable=False),
        sa.Column("pushes", sa.BigInteger(), nullable=False),
        sa.Column("push_errors", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["channel"], ["channels.code"], name=op.f("fk_channel_state_channel_channels")
        ),
        sa.PrimaryKeyConstraint("channel", name=op.f("pk_channel_state")),
    )


def downgrade() -> None:
    op.drop_table("channel_state")
    op.drop_index("ix_channel_orders_order_id", table_name="channel_orders")
    op.drop_table("channel_orders")
    op.drop_table("channel_deliveries")
    op.drop_index("ix_channel_listings_remote_sku", table_name="channel_listings")
    op.drop_index("ix_channel_listings_sku", table_name="channel_listings")
    op.drop_table("channel_listings")
    with op.batch_alter_table("order_lines") as batch:
        batch.create_foreign_key("fk_order_lines_sku_products", "products", ["sku"], ["sku"])
