"""The platform's own line ids of captured channel orders (issue 14).

A shipment reported to Shopify names fulfilment-order line items, a refund pushed to Shopify or
WooCommerce names the order's line items, and Amazon confirms shipments per order item: all by the
platform's line id, which Podium did not keep. A line whose SKU the platform left empty could then
never be reported at all. ``channel_order_lines`` keeps each captured line as the platform sent it.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "channel_order_lines",
        sa.Column("channel", sa.String(length=64), nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("line_id", sa.String(length=200), nullable=True),
        sa.Column("sku", sa.String(length=200), nullable=False),
        sa.Column("platform_sku", sa.String(length=200), nullable=False),
        sa.Column("remote_id", sa.String(length=200), nullable=True),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["channel", "external_id"],
            ["channel_orders.channel", "channel_orders.external_id"],
            name=op.f("fk_channel_order_lines_channel_channel_orders"),
        ),
        sa.PrimaryKeyConstraint(
            "channel", "external_id", "position", name=op.f("pk_channel_order_lines")
        ),
    )


def downgrade() -> None:
    op.drop_table("channel_order_lines")
