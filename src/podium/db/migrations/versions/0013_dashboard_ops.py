"""Operations dashboard, second part: late shipments, channel health and throttling.

* ``shipments(status, promised_by)`` and ``orders(status, promised_date)``: open shipments past
  their promise are counted (home) and listed (the queue's "late" filter) from these, so the
  cost follows the number of late shipments, not the number of orders.
* ``channel_deliveries(channel, status)``: failed webhook deliveries per channel (channels page).
* ``channel_state.throttled`` / ``last_throttled_at``: how often a platform throttled Podium
  (HTTP 429, Shopify ``THROTTLED``), recorded with the pushes.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_index("ix_shipments_status_promised", "shipments", ["status", "promised_by"])
    op.create_index("ix_orders_status_promised", "orders", ["status", "promised_date"])
    op.create_index(
        "ix_channel_deliveries_channel_status", "channel_deliveries", ["channel", "status"]
    )
    with op.batch_alter_table("channel_state") as batch:
        batch.add_column(
            sa.Column("throttled", sa.BigInteger(), nullable=False, server_default="0")
        )
        batch.add_column(sa.Column("last_throttled_at", TS, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("channel_state") as batch:
        batch.drop_column("last_throttled_at")
        batch.drop_column("throttled")
    op.drop_index("ix_channel_deliveries_channel_status", table_name="channel_deliveries")
    op.drop_index("ix_orders_status_promised", table_name="orders")
    op.drop_index("ix_shipments_status_promised", table_name="shipments")
