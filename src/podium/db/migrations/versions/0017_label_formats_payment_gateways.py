"""Label formats and payment gateway accounts (issue 14, items 17 and 19).

- ``fulfilment_settings.label_format``: what the warehouse's printer takes (PDF, ZPL or PNG;
  PDF by default), sent to the carrier as ``options.label_format``.
- ``labels.label_format`` and ``labels.label_file``: the postage label the carrier made, kept
  as the carrier sent it, so the label endpoints serve the real thing.
- ``payment_gateways``: configured gateway accounts (Stripe), secrets in ``settings``.
- ``payment_gateway_events``: webhook events of a gateway already applied (applied once).
- an index on ``payment_transactions (gateway, reference)``: webhooks find the order of a
  PaymentIntent, and one PaymentIntent pays one order.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

_JSON = sa.JSON().with_variant(JSONB(), "postgresql")
_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("fulfilment_settings") as batch:
        batch.add_column(
            sa.Column("label_format", sa.String(8), nullable=False, server_default="PDF")
        )
    with op.batch_alter_table("labels") as batch:
        batch.add_column(sa.Column("label_format", sa.String(8), nullable=True))
        batch.add_column(sa.Column("label_file", sa.LargeBinary(), nullable=True))
    op.create_table(
        "payment_gateways",
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("settings", _JSON, nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("updated_at", _TS, nullable=False),
        sa.PrimaryKeyConstraint("code", name="pk_payment_gateways"),
    )
    op.create_table(
        "payment_gateway_events",
        sa.Column("gateway", sa.String(32), nullable=False),
        sa.Column("event_id", sa.String(255), nullable=False),
        sa.Column("type", sa.String(100), nullable=False),
        sa.Column("order_id", sa.String(40), nullable=True),
        sa.Column("outcome", sa.String(32), nullable=False),
        sa.Column("received_at", _TS, nullable=False),
        sa.PrimaryKeyConstraint("gateway", "event_id", name="pk_payment_gateway_events"),
    )
    op.create_index(
        "ix_payment_transactions_gateway", "payment_transactions", ["gateway", "reference"]
    )


def downgrade() -> None:
    op.drop_index("ix_payment_transactions_gateway", table_name="payment_transactions")
    op.drop_table("payment_gateway_events")
    op.drop_table("payment_gateways")
    with op.batch_alter_table("labels") as batch:
        batch.drop_column("label_file")
        batch.drop_column("label_format")
    with op.batch_alter_table("fulfilment_settings") as batch:
        batch.drop_column("label_format")
