"""Returns, refunds, payments and store credit (issue 6)."""

from __future__ import annotations

import sqlalchemy as sa

from podium.db.secrets import SecretJson
from podium.db.tables._base import Json, Timestamp, metadata

__all__ = [
    "payment_gateway_events",
    "payment_gateways",
    "payment_transactions",
    "refund_lines",
    "refunds",
    "return_line_dispositions",
    "return_lines",
    "returns",
    "store_credits",
]

returns = sa.Table(
    "returns",
    metadata,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("order_id", sa.String(40), sa.ForeignKey("orders.id"), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("note", sa.String(1000), nullable=True),
    sa.Column("carrier", sa.String(64), nullable=True),
    sa.Column("tracking_number", sa.String(100), nullable=True),
    sa.Column("exchange_order_id", sa.String(40), nullable=True),
    # The replacement the shopper asked for (issue 17): {returned SKU: replacement SKU}.
    sa.Column("exchange_skus", Json, nullable=True),
    sa.Column("channel_refund_id", sa.String(200), nullable=True),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("updated_at", Timestamp, nullable=False),
    sa.Column("created_by", sa.String(200), nullable=False),
    sa.Index("ix_returns_order_id", "order_id"),
    sa.Index("ix_returns_status_id", "status", "id"),
    # The dashboard's returns list (migration 0012): newest first, by status, by date.
    sa.Index("ix_returns_created_at_id", "created_at", "id"),
    sa.Index("ix_returns_status_created_at_id", "status", "created_at", "id"),
)

return_lines = sa.Table(
    "return_lines",
    metadata,
    sa.Column("return_id", sa.String(40), sa.ForeignKey("returns.id"), primary_key=True),
    sa.Column("line_no", sa.Integer, primary_key=True),
    sa.Column("order_line_no", sa.Integer, nullable=False),
    sa.Column("sku", sa.String(64), nullable=False),
    sa.Column("quantity", sa.Integer, nullable=False),
    sa.Column("reason", sa.String(64), nullable=False),
    sa.Column("quantity_received", sa.Integer, nullable=False),
)

# Units received per return line and disposition (migration 0015): a new disposition is a new
# value here and an entry in podium.returns.dispositions, not a column.
return_line_dispositions = sa.Table(
    "return_line_dispositions",
    metadata,
    sa.Column("return_id", sa.String(40), primary_key=True),
    sa.Column("line_no", sa.Integer, primary_key=True),
    sa.Column("disposition", sa.String(16), primary_key=True),
    sa.Column("quantity", sa.Integer, nullable=False),
    sa.ForeignKeyConstraint(
        ["return_id", "line_no"], ["return_lines.return_id", "return_lines.line_no"]
    ),
)

refunds = sa.Table(
    "refunds",
    metadata,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("order_id", sa.String(40), sa.ForeignKey("orders.id"), nullable=False),
    sa.Column("return_id", sa.String(40), sa.ForeignKey("returns.id"), nullable=True),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("amount", sa.BigInteger, nullable=False),
    sa.Column("lines_amount", sa.BigInteger, nullable=False),
    sa.Column("discount_amount", sa.BigInteger, nullable=False),
    sa.Column("tax_amount", sa.BigInteger, nullable=False),
    sa.Column("shipping_amount", sa.BigInteger, nullable=False),
    sa.Column("method", sa.String(16), nullable=False),
    sa.Column("channel_refund_id", sa.String(200), nullable=True),
    sa.Column("reason", sa.String(500), nullable=True),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("created_by", sa.String(200), nullable=False),
    sa.UniqueConstraint("order_id", "channel_refund_id", name="uq_refunds_channel_refund"),
    sa.Index("ix_refunds_return_id", "return_id"),
    sa.Index("ix_refunds_created_at", "created_at"),
)

refund_lines = sa.Table(
    "refund_lines",
    metadata,
    sa.Column("refund_id", sa.String(40), sa.ForeignKey("refunds.id"), primary_key=True),
    sa.Column("line_no", sa.Integer, primary_key=True),
    sa.Column("order_line_no", sa.Integer, nullable=False),
    sa.Column("return_line_no", sa.Integer, nullable=True),
    sa.Column("sku", sa.String(64), nullable=False),
    sa.Column("quantity", sa.Integer, nullable=False),
    sa.Column("amount", sa.BigInteger, nullable=False),
)

payment_transactions = sa.Table(
    "payment_transactions",
    metadata,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("order_id", sa.String(40), sa.ForeignKey("orders.id"), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("amount", sa.BigInteger, nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("gateway", sa.String(32), nullable=False),
    sa.Column("reference", sa.String(200), nullable=True),
    sa.Column("refund_id", sa.String(40), nullable=True),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("created_by", sa.String(200), nullable=False),
    sa.Index("ix_payment_transactions_order_id", "order_id", "created_at"),
    sa.Index("ix_payment_transactions_gateway", "gateway", "reference"),
)

# Configured payment gateway accounts (Stripe): the secrets live in ``settings``.
payment_gateways = sa.Table(
    "payment_gateways",
    metadata,
    sa.Column("code", sa.String(32), primary_key=True),
    sa.Column("type", sa.String(32), nullable=False),
    sa.Column("settings", SecretJson(), nullable=False),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("updated_at", Timestamp, nullable=False),
)

# A gateway's webhook events already applied: a redelivered event changes nothing.
payment_gateway_events = sa.Table(
    "payment_gateway_events",
    metadata,
    sa.Column("gateway", sa.String(32), primary_key=True),
    sa.Column("event_id", sa.String(255), primary_key=True),
    sa.Column("type", sa.String(100), nullable=False),
    sa.Column("order_id", sa.String(40), nullable=True),
    sa.Column("outcome", sa.String(32), nullable=False),
    sa.Column("received_at", Timestamp, nullable=False),
)

store_credits = sa.Table(
    "store_credits",
    metadata,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("customer_email", sa.String(320), nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("amount", sa.BigInteger, nullable=False),
    sa.Column("order_id", sa.String(40), nullable=True),
    sa.Column("refund_id", sa.String(40), nullable=True),
    sa.Column("note", sa.String(500), nullable=True),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("created_by", sa.String(200), nullable=False),
    sa.Index("ix_store_credits_customer_email", "customer_email", "currency"),
)
