"""Catalogue, stock, orders, the outbox and API keys (the core, issue 2)."""

from __future__ import annotations

import sqlalchemy as sa

from podium.db.secrets import SecretJson
from podium.db.tables._base import BigId, Json, Timestamp, metadata

__all__ = [
    "api_keys",
    "channels",
    "counters",
    "order_events",
    "order_holds",
    "order_lines",
    "orders",
    "outbox",
    "products",
    "stock_levels",
    "stock_movements",
    "warehouses",
]

counters = sa.Table(
    "counters",
    metadata,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("value", sa.BigInteger, nullable=False),
)

channels = sa.Table(
    "channels",
    metadata,
    sa.Column("code", sa.String(64), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("type", sa.String(32), nullable=False),
    # Warehouses whose stock this channel may sell; NULL means every active warehouse.
    sa.Column("warehouse_codes", Json, nullable=True),
    sa.Column("settings", SecretJson(), nullable=False),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("updated_at", Timestamp, nullable=False),
)

warehouses = sa.Table(
    "warehouses",
    metadata,
    sa.Column("code", sa.String(64), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("line1", sa.String(200), nullable=True),
    sa.Column("line2", sa.String(200), nullable=True),
    sa.Column("city", sa.String(100), nullable=True),
    sa.Column("region", sa.String(100), nullable=True),
    sa.Column("postal_code", sa.String(20), nullable=True),
    sa.Column("country", sa.String(2), nullable=False),
    sa.Column("latitude", sa.Float, nullable=True),
    sa.Column("longitude", sa.Float, nullable=True),
    sa.Column("priority", sa.Integer, nullable=False),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("daily_order_capacity", sa.Integer, nullable=True),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("updated_at", Timestamp, nullable=False),
    # Smart routing (issue 4): when and where this location ships, and what it costs.
    sa.Column("cutoff_time", sa.String(5), nullable=True),
    sa.Column("time_zone", sa.String(64), nullable=True),
    sa.Column("working_days", Json, nullable=True),
    sa.Column("serves_channels", Json, nullable=True),
    sa.Column("serves_countries", Json, nullable=True),
    sa.Column("ship_from_store", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("shipping_rates", Json, nullable=True),
)

products = sa.Table(
    "products",
    metadata,
    sa.Column("sku", sa.String(64), primary_key=True),
    sa.Column("name", sa.String(300), nullable=False),
    sa.Column("weight_grams", sa.Integer, nullable=True),
    sa.Column("length_mm", sa.Integer, nullable=True),
    sa.Column("width_mm", sa.Integer, nullable=True),
    sa.Column("height_mm", sa.Integer, nullable=True),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("updated_at", Timestamp, nullable=False),
    # Variants (issue 17): the product group (parent code) and the option values, in order.
    # options: [[name, value], ...] pairs, so their order survives JSONB.
    sa.Column("group_code", sa.String(64), nullable=True),
    sa.Column("options", Json, nullable=True),
    sa.Index("ix_products_group_code", "group_code", "sku"),
)

stock_levels = sa.Table(
    "stock_levels",
    metadata,
    sa.Column("sku", sa.String(64), sa.ForeignKey("products.sku"), primary_key=True),
    sa.Column("warehouse", sa.String(64), sa.ForeignKey("warehouses.code"), primary_key=True),
    sa.Column("on_hand", sa.Integer, nullable=False),
    sa.Column("reserved", sa.Integer, nullable=False),
    sa.Column("safety_stock", sa.Integer, nullable=False),
    sa.Column("updated_at", Timestamp, nullable=False),
    sa.CheckConstraint("on_hand >= 0", name="on_hand_not_negative"),
    sa.CheckConstraint("reserved >= 0", name="reserved_not_negative"),
    sa.CheckConstraint("reserved <= on_hand", name="reserved_within_on_hand"),
    sa.CheckConstraint("safety_stock >= 0", name="safety_not_negative"),
)

stock_movements = sa.Table(
    "stock_movements",
    metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("at", Timestamp, nullable=False),
    sa.Column("sku", sa.String(64), nullable=False),
    sa.Column("warehouse", sa.String(64), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("on_hand_delta", sa.Integer, nullable=False),
    sa.Column("reserved_delta", sa.Integer, nullable=False),
    sa.Column("reason", sa.String(64), nullable=False),
    sa.Column("reference", sa.String(200), nullable=True),
    sa.Column("actor", sa.String(200), nullable=False),
    sa.ForeignKeyConstraint(
        ["sku", "warehouse"],
        ["stock_levels.sku", "stock_levels.warehouse"],
        name="fk_stock_movements_stock_levels",
    ),
    sa.Index("ix_stock_movements_sku_warehouse", "sku", "warehouse", "id"),
)

orders = sa.Table(
    "orders",
    metadata,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("number", sa.String(32), nullable=False, unique=True),
    sa.Column("channel", sa.String(64), sa.ForeignKey("channels.code"), nullable=False),
    sa.Column("external_id", sa.String(200), nullable=True),
    sa.Column("idempotency_key", sa.String(200), nullable=True, unique=True),
    sa.Column("request_hash", sa.String(64), nullable=False),
    sa.Column("status", sa.String(32), nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("subtotal", sa.BigInteger, nullable=False),
    sa.Column("shipping_total", sa.BigInteger, nullable=False),
    sa.Column("tax_total", sa.BigInteger, nullable=False),
    sa.Column("discount_total", sa.BigInteger, nullable=False),
    sa.Column("total", sa.BigInteger, nullable=False),
    sa.Column("payment_status", sa.String(32), nullable=False),
    sa.Column("customer_email", sa.String(320), nullable=True),
    sa.Column("customer_name", sa.String(200), nullable=True),
    sa.Column("customer_phone", sa.String(50), nullable=True),
    sa.Column("shipping_address", Json, nullable=False),
    # Where the order goes, as routing understood it (from the address or geocoded).
    sa.Column("destination_latitude", sa.Float, nullable=True),
    sa.Column("destination_longitude", sa.Float, nullable=True),
    sa.Column("tags", Json, nullable=False),
    sa.Column("placed_at", Timestamp, nullable=False),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("updated_at", Timestamp, nullable=False),
    sa.UniqueConstraint("channel", "external_id", name="uq_orders_channel_external_id"),
    sa.Index("ix_orders_status_id", "status", "id"),
    sa.Index("ix_orders_channel_id", "channel", "id"),
    sa.Index("ix_orders_customer_email", "customer_email"),
    # Smart routing (issue 4): the delivery promise from the intake.
    sa.Column("promised_date", sa.Date, nullable=True),
    sa.Column("service_level", sa.String(16), nullable=True),
    sa.Column("priority", sa.Integer, nullable=True),
    # Dashboard (migration 0013): late orders are found from their promise, per status.
    sa.Index("ix_orders_status_promised", "status", "promised_date"),
    # Risk and address checks (migration 0019, issue 15).
    sa.Column("billing_address", Json, nullable=True),
    sa.Column("client_ip", sa.String(45), nullable=True),
    sa.Column("risk", Json, nullable=True),
    sa.Column("address_key", sa.String(64), nullable=True),
    sa.Index("ix_orders_email_placed_at", "customer_email", "placed_at"),
    sa.Index("ix_orders_address_key_placed_at", "address_key", "placed_at"),
    sa.Index("ix_orders_client_ip_placed_at", "client_ip", "placed_at"),
)

# The order queue (dashboard): newest first, by status, and found by a channel's own id.
sa.Index("ix_orders_placed_at_id", orders.c.placed_at, orders.c.id)
sa.Index("ix_orders_status_placed_at_id", orders.c.status, orders.c.placed_at, orders.c.id)
sa.Index("ix_orders_external_id", orders.c.external_id)


order_lines = sa.Table(
    "order_lines",
    metadata,
    sa.Column("order_id", sa.String(40), sa.ForeignKey("orders.id"), primary_key=True),
    sa.Column("line_no", sa.Integer, primary_key=True),
    # No foreign key to products: a channel order may name a SKU not created yet (issue 3).
    sa.Column("sku", sa.String(64), nullable=False),
    sa.Column("name", sa.String(300), nullable=False),
    sa.Column("quantity", sa.Integer, nullable=False),
    sa.Column("unit_price", sa.BigInteger, nullable=False),
    sa.Column("quantity_cancelled", sa.Integer, nullable=False),
)

order_holds = sa.Table(
    "order_holds",
    metadata,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("order_id", sa.String(40), sa.ForeignKey("orders.id"), nullable=False),
    sa.Column("reason", sa.String(32), nullable=False),
    sa.Column("note", sa.String(1000), nullable=True),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("created_by", sa.String(200), nullable=False),
    sa.Column("released_at", Timestamp, nullable=True),
    sa.Column("released_by", sa.String(200), nullable=True),
    sa.Index("ix_order_holds_order_id", "order_id"),
    sa.Index("ix_order_holds_open_reason", "released_at", "reason"),
)

order_events = sa.Table(
    "order_events",
    metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("order_id", sa.String(40), sa.ForeignKey("orders.id"), nullable=False),
    sa.Column("at", Timestamp, nullable=False),
    sa.Column("type", sa.String(64), nullable=False),
    sa.Column("message", sa.String(2000), nullable=False),
    sa.Column("data", Json, nullable=False),
    sa.Column("actor", sa.String(200), nullable=False),
    sa.Index("ix_order_events_order_id", "order_id", "id"),
)

outbox = sa.Table(
    "outbox",
    metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("aggregate_type", sa.String(32), nullable=False),
    sa.Column("aggregate_id", sa.String(100), nullable=False),
    sa.Column("event_type", sa.String(64), nullable=False),
    sa.Column("payload", Json, nullable=False),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("next_attempt_at", Timestamp, nullable=False),
    sa.Column("locked_until", Timestamp, nullable=True),
    sa.Column("delivered_to", Json, nullable=False),
    sa.Column("last_error", sa.String(2000), nullable=True),
    sa.Column("delivered_at", Timestamp, nullable=True),
    # W3C trace context of the request that wrote it (podium.traces); null while traces are off.
    sa.Column("traceparent", sa.String(55), nullable=True),
    sa.Index("ix_outbox_status_next", "status", "next_attempt_at"),
    sa.Index("ix_outbox_aggregate", "aggregate_type", "aggregate_id", "id"),
    # Delivered events pile up; the relay's claim only ever looks at pending ones.
    sa.Index(
        "ix_outbox_pending",
        "id",
        postgresql_where=sa.text("status = 'pending'"),
        sqlite_where=sa.text("status = 'pending'"),
    ),
    sa.Index(
        "ix_outbox_pending_aggregate",
        "aggregate_type",
        "aggregate_id",
        "id",
        postgresql_where=sa.text("status = 'pending'"),
        sqlite_where=sa.text("status = 'pending'"),
    ),
)

api_keys = sa.Table(
    "api_keys",
    metadata,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("role", sa.String(32), nullable=False),
    sa.Column("prefix", sa.String(16), nullable=False, unique=True),
    sa.Column("key_hash", sa.String(64), nullable=False),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("revoked_at", Timestamp, nullable=True),
)
