"""Fraud risk and address checks at placement (issue 15, items 3-5).

- ``orders.billing_address``: where the card is billed (same shape as the shipping address).
- ``orders.client_ip``: the shopper's IP address as the channel saw it.
- ``orders.risk``: the risk assessment made at placement (score, level, signals).
- ``orders.address_key``: the shipping address folded to one comparable key (velocity).
- indexes for the velocity look-ups, each (key, placed_at): per e-mail, per shipping address
  and per IP within a time window.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

_JSON = sa.JSON().with_variant(JSONB(), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("orders") as batch:
        batch.add_column(sa.Column("billing_address", _JSON, nullable=True))
        batch.add_column(sa.Column("client_ip", sa.String(45), nullable=True))
        batch.add_column(sa.Column("risk", _JSON, nullable=True))
        batch.add_column(sa.Column("address_key", sa.String(64), nullable=True))
    op.create_index("ix_orders_email_placed_at", "orders", ["customer_email", "placed_at"])
    op.create_index("ix_orders_address_key_placed_at", "orders", ["address_key", "placed_at"])
    op.create_index("ix_orders_client_ip_placed_at", "orders", ["client_ip", "placed_at"])


def downgrade() -> None:
    op.drop_index("ix_orders_client_ip_placed_at", table_name="orders")
    op.drop_index("ix_orders_address_key_placed_at", table_name="orders")
    op.drop_index("ix_orders_email_placed_at", table_name="orders")
    with op.batch_alter_table("orders") as batch:
        batch.drop_column("address_key")
        batch.drop_column("risk")
        batch.drop_column("client_ip")
        batch.drop_column("billing_address")
