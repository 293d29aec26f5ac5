"""Sales-channel listings, deliveries, orders and sync state (issue 3)."""

from __future__ import annotations

import sqlalchemy as sa

from podium.db.tables._base import BigId, Timestamp, metadata

__all__ = [
    "channel_deliveries",
    "channel_listings",
    "channel_order_lines",
    "channel_orders",
    "channel_pushers",
    "channel_state",
]

channel_listings = sa.Table(
    "channel_listings",
    metadata,
    sa.Column("channel", sa.String(64), sa.ForeignKey("channels.code"), primary_key=True),
    sa.Column("sku", sa.String(64), sa.ForeignKey("products.sku"), primary_key=True),
    sa.Column("remote_id", sa.String(200), nullable=False),
    sa.Column("remote_location_id", sa.String(200), nullable=True),
    # The platform's own SKU (or variant id) when it differs from Podium's.
    sa.Column("remote_sku", sa.String(200), nullable=True),
    # What the platform was last told, and the stock version it came from (never go back).
    sa.Column("pushed_available", sa.Integer, nullable=True),
    sa.Column("pushed_seq", sa.BigInteger, nullable=False),
    sa.Column("pushed_at", Timestamp, nullable=True),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("updated_at", Timestamp, nullable=False),
    # The paced pusher's marks (migration 0020): the newest stock change (outbox id) the
    # platform has not been told yet, and when the oldest untold change was made; NULL when
    # the platform is up to date. Failed pushes count attempts and keep the platform's reason.
    sa.Column("wanted_seq", sa.BigInteger, nullable=True),
    sa.Column("wanted_at", Timestamp, nullable=True),
    sa.Column("push_attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("push_error", sa.String(2000), nullable=True),
    sa.Index("ix_channel_listings_sku", "sku"),
    sa.Index("ix_channel_listings_remote_sku", "channel", "remote_sku"),
    sa.Index("ix_channel_listings_channel_wanted_at", "channel", "wanted_at"),
)

# One row per channel: which process pushes its stock now, under a heartbeat lease
# (db/leases.py; ``id`` is the channel code). Migration 0020.
channel_pushers = sa.Table(
    "channel_pushers",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("holder", sa.String(100), nullable=True),
    sa.Column("locked_until", Timestamp, nullable=True),
)

channel_deliveries = sa.Table(
    "channel_deliveries",
    metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("channel", sa.String(64), sa.ForeignKey("channels.code"), nullable=False),
    sa.Column("delivery_id", sa.String(200), nullable=False),
    sa.Column("topic", sa.String(100), nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("received_at", Timestamp, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("error", sa.String(2000), nullable=True),
    sa.Column("order_id", sa.String(40), nullable=True),
    sa.Column("processed_at", Timestamp, nullable=True),
    sa.UniqueConstraint("channel", "delivery_id", name="uq_channel_deliveries_channel_delivery_id"),
    sa.Index("ix_channel_deliveries_channel_status", "channel", "status"),
)

channel_orders = sa.Table(
    "channel_orders",
    metadata,
    sa.Column("channel", sa.String(64), sa.ForeignKey("channels.code"), primary_key=True),
    sa.Column("external_id", sa.String(200), primary_key=True),
    sa.Column("order_id", sa.String(40), nullable=False),
    sa.Column("remote_status", sa.String(64), nullable=True),
    sa.Column("remote_updated_at", Timestamp, nullable=True),
    sa.Column("updated_at", Timestamp, nullable=False),
    sa.Index("ix_channel_orders_order_id", "order_id"),
)

# Each line of a captured channel order as the platform sent it: the platform's line id (what
# fulfilments and refunds on the platform name), its SKU and listing id, and the Podium SKU the
# line was captured as. Rewritten whenever the platform sends the order again.
channel_order_lines = sa.Table(
    "channel_order_lines",
    metadata,
    sa.Column("channel", sa.String(64), primary_key=True),
    sa.Column("external_id", sa.String(200), primary_key=True),
    sa.Column("position", sa.Integer, primary_key=True),
    sa.Column("line_id", sa.String(200), nullable=True),
    sa.Column("sku", sa.String(200), nullable=False),
    sa.Column("platform_sku", sa.String(200), nullable=False),
    sa.Column("remote_id", sa.String(200), nullable=True),
    sa.Column("quantity", sa.Integer, nullable=False),
    sa.ForeignKeyConstraint(
        ["channel", "external_id"], ["channel_orders.channel", "channel_orders.external_id"]
    ),
)

channel_state = sa.Table(
    "channel_state",
    metadata,
    sa.Column("channel", sa.String(64), sa.ForeignKey("channels.code"), primary_key=True),
    sa.Column("poll_cursor", sa.String(200), nullable=True),
    sa.Column("last_order_at", Timestamp, nullable=True),
    sa.Column("last_push_at", Timestamp, nullable=True),
    sa.Column("last_poll_at", Timestamp, nullable=True),
    sa.Column("last_error", sa.String(2000), nullable=True),
    sa.Column("last_error_at", Timestamp, nullable=True),
    sa.Column("orders", sa.BigInteger, nullable=False),
    sa.Column("pushes", sa.BigInteger, nullable=False),
    sa.Column("push_errors", sa.BigInteger, nullable=False),
    # How often the platform throttled Podium (429, Shopify THROTTLED), migration 0013.
    sa.Column("throttled", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("last_throttled_at", Timestamp, nullable=True),
)
