"""The schema, in one place. Changes go through an Alembic migration as well.

Each capability's ``store.py`` reads and writes only its own tables; capabilities talk through
service functions and events.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

__all__ = [
    "api_keys",
    "app_secrets",
    "bin_locations",
    "carrier_accounts",
    "channel_deliveries",
    "channel_listings",
    "channel_orders",
    "channel_state",
    "channels",
    "counters",
    "fulfilment_settings",
    "import_runs",
    "labels",
    "metadata",
    "notifications",
    "order_events",
    "order_holds",
    "order_lines",
    "order_number_seq",
    "orders",
    "outbox",
    "payment_transactions",
    "pick_lists",
    "products",
    "refund_lines",
    "refunds",
    "return_labels",
    "return_lines",
    "returns",
    "routing_rule_sets",
    "shipment_lines",
    "shipments",
    "stock_levels",
    "stock_movements",
    "store_credits",
    "users",
    "warehouses",
    "webhook_attempts",
    "webhook_deliveries",
    "webhook_subscriptions",
]

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

Json = sa.JSON().with_variant(JSONB(), "postgresql")
Timestamp = sa.DateTime(timezone=True)
# SQLite only turns INTEGER PRIMARY KEY into an auto-increment rowid, so BIGINT there is INTEGER.
BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

# PostgreSQL hands out order numbers from a sequence (no row lock between concurrent orders);
# SQLite, which has one writer at a time anyway, uses the counters table.
order_number_seq = sa.Sequence("order_number_seq", start=100001, metadata=metadata)

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
    sa.Column("settings", Json, nullable=False),
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
)

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

shipments = sa.Table(
    "shipments",
    metadata,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("order_id", sa.String(40), sa.ForeignKey("orders.id"), nullable=False),
    sa.Column("warehouse", sa.String(64), sa.ForeignKey("warehouses.code"), nullable=False),
    sa.Column("status", sa.String(32), nullable=False),
    sa.Column("carrier", sa.String(64), nullable=True),
    sa.Column("service", sa.String(64), nullable=True),
    sa.Column("tracking_number", sa.String(100), nullable=True),
    sa.Column("tracking_url", sa.String(500), nullable=True),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("updated_at", Timestamp, nullable=False),
    sa.Column("shipped_at", Timestamp, nullable=True),
    # When the customer was promised the parcel (rate shopping picks a service that makes it).
    sa.Column("promised_by", sa.Date, nullable=True),
    sa.Column("released_at", Timestamp, nullable=True),
    sa.Column("delivered_at", Timestamp, nullable=True),
    sa.Index("ix_shipments_order_id", "order_id"),
    sa.Index("ix_shipments_warehouse_status", "warehouse", "status"),
    # Smart routing (issue 4): what each location was given today, for its daily capacity.
    sa.Index("ix_shipments_warehouse_created", "warehouse", "created_at"),
    # Dashboard (migration 0013): open shipments past their promise, counted cheaply.
    sa.Index("ix_shipments_status_promised", "status", "promised_by"),
)

shipment_lines = sa.Table(
    "shipment_lines",
    metadata,
    sa.Column("shipment_id", sa.String(40), sa.ForeignKey("shipments.id"), primary_key=True),
    sa.Column("line_no", sa.Integer, primary_key=True),
    sa.Column("sku", sa.String(64), nullable=False),
    sa.Column("quantity", sa.Integer, nullable=False),
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

# --- notify: customer e-mails and outgoing webhooks (issue 5) ---

# One row per e-mail sent: (event, template) is unique, so a redelivered event sends nothing.
notifications = sa.Table(
    "notifications",
    metadata,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("event_id", sa.BigInteger, nullable=False),
    sa.Column("template", sa.String(64), nullable=False),
    sa.Column("order_id", sa.String(40), nullable=True),
    sa.Column("channel", sa.String(64), nullable=True),
    sa.Column("recipient", sa.String(320), nullable=False),
    sa.Column("subject", sa.String(500), nullable=False),
    sa.Column("message_id", sa.String(300), nullable=False),
    sa.Column("sent_at", Timestamp, nullable=False),
    sa.UniqueConstraint("event_id", "template", name="uq_notifications_event_template"),
    sa.Index("ix_notifications_order_id", "order_id", "sent_at"),
)

webhook_subscriptions = sa.Table(
    "webhook_subscriptions",
    metadata,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("url", sa.String(2000), nullable=False),
    sa.Column("event_types", Json, nullable=False),
    sa.Column("secret", sa.String(100), nullable=False),
    sa.Column("description", sa.String(500), nullable=True),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("consecutive_failures", sa.Integer, nullable=False),
    sa.Column("failing_since", Timestamp, nullable=True),
    sa.Column("paused_at", Timestamp, nullable=True),
    sa.Column("pause_reason", sa.String(500), nullable=True),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("updated_at", Timestamp, nullable=False),
    # After a rotation the old secret signs too, until it expires (receivers switch over).
    sa.Column("previous_secret", sa.String(100), nullable=True),
    sa.Column("previous_secret_expires_at", Timestamp, nullable=True),
)

webhook_deliveries = sa.Table(
    "webhook_deliveries",
    metadata,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column(
        "subscription_id",
        sa.String(40),
        sa.ForeignKey("webhook_subscriptions.id"),
        nullable=False,
    ),
    sa.Column("event_id", sa.BigInteger, nullable=False),
    sa.Column("event_type", sa.String(64), nullable=False),
    sa.Column("body", Json, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("next_attempt_at", Timestamp, nullable=False),
    sa.Column("locked_until", Timestamp, nullable=True),
    sa.Column("last_status_code", sa.Integer, nullable=True),
    sa.Column("last_error", sa.String(2000), nullable=True),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("delivered_at", Timestamp, nullable=True),
    sa.UniqueConstraint("subscription_id", "event_id", name="uq_webhook_deliveries_sub_event"),
    sa.Index("ix_webhook_deliveries_status_next", "status", "next_attempt_at"),
    sa.Index("ix_webhook_deliveries_subscription", "subscription_id", "id"),
)

webhook_attempts = sa.Table(
    "webhook_attempts",
    metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("delivery_id", sa.String(40), sa.ForeignKey("webhook_deliveries.id"), nullable=False),
    sa.Column("attempted_at", Timestamp, nullable=False),
    sa.Column("succeeded", sa.Boolean, nullable=False),
    sa.Column("status_code", sa.Integer, nullable=True),
    sa.Column("duration_ms", sa.Integer, nullable=False),
    sa.Column("error", sa.String(2000), nullable=True),
    sa.Index("ix_webhook_attempts_delivery", "delivery_id", "id"),
)


# --- routing (issue 4) ---

routing_rule_sets = sa.Table(
    "routing_rule_sets",
    metadata,
    # Every save is a new version; the highest is the active rule set.
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("rules", Json, nullable=False),
    sa.Column("note", sa.String(500), nullable=True),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("created_by", sa.String(200), nullable=False),
)


# --- fulfilment, carriers and tracking (issue 5) ---

# How each warehouse gets its work: released at once or in waves; handed off or not.
fulfilment_settings = sa.Table(
    "fulfilment_settings",
    metadata,
    sa.Column("warehouse", sa.String(64), sa.ForeignKey("warehouses.code"), primary_key=True),
    sa.Column("release_mode", sa.String(16), nullable=False),
    sa.Column("handoff", sa.String(16), nullable=False),
    sa.Column("handoff_url", sa.String(500), nullable=True),
    sa.Column("handoff_secret", sa.String(200), nullable=True),
    sa.Column("handoff_dir", sa.String(500), nullable=True),
    sa.Column("updated_at", Timestamp, nullable=False),
)

bin_locations = sa.Table(
    "bin_locations",
    metadata,
    sa.Column("sku", sa.String(64), primary_key=True),
    sa.Column("warehouse", sa.String(64), sa.ForeignKey("warehouses.code"), primary_key=True),
    sa.Column("bin", sa.String(32), nullable=False),
    sa.Column("updated_at", Timestamp, nullable=False),
)

pick_lists = sa.Table(
    "pick_lists",
    metadata,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("warehouse", sa.String(64), sa.ForeignKey("warehouses.code"), nullable=False),
    sa.Column("shipment_ids", Json, nullable=False),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("created_by", sa.String(200), nullable=False),
    sa.Index("ix_pick_lists_warehouse", "warehouse", "id"),
)

carrier_accounts = sa.Table(
    "carrier_accounts",
    metadata,
    sa.Column("code", sa.String(64), primary_key=True),
    sa.Column("type", sa.String(32), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("settings", Json, nullable=False),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("updated_at", Timestamp, nullable=False),
)

labels = sa.Table(
    "labels",
    metadata,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("shipment_id", sa.String(40), sa.ForeignKey("shipments.id"), nullable=False),
    sa.Column("carrier", sa.String(64), nullable=False),
    sa.Column("carrier_name", sa.String(64), nullable=False),
    sa.Column("service", sa.String(64), nullable=False),
    sa.Column("tracking_number", sa.String(100), nullable=False, unique=True),
    sa.Column("rate_amount", sa.BigInteger, nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("transit_days", sa.Integer, nullable=True),
    sa.Column("weight_grams", sa.Integer, nullable=False),
    sa.Column("external_id", sa.String(100), nullable=True),
    # The carrier's own postage label (EasyPost), when it made one; Podium renders its own too.
    sa.Column("label_url", sa.String(1000), nullable=True),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("voided_at", Timestamp, nullable=True),
    sa.Index("ix_labels_shipment_id", "shipment_id"),
)


# --- channels (issue 3) ---

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
    sa.Index("ix_channel_listings_sku", "sku"),
    sa.Index("ix_channel_listings_remote_sku", "channel", "remote_sku"),
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


# --- imports (issue 3) ---

import_runs = sa.Table(
    "import_runs",
    metadata,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("channel", sa.String(64), nullable=True),
    sa.Column("digest", sa.String(64), nullable=False),
    sa.Column("filename", sa.String(300), nullable=True),
    sa.Column("rows_read", sa.Integer, nullable=False),
    sa.Column("created", sa.Integer, nullable=False),
    sa.Column("already_present", sa.Integer, nullable=False),
    sa.Column("movements", sa.Integer, nullable=False),
    sa.Column("rejected", sa.Integer, nullable=False),
    sa.Column("actor", sa.String(200), nullable=False),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Index("ix_import_runs_kind_digest", "kind", "digest"),
    sa.Index("ix_import_runs_created_at", "created_at"),
)


# --- returns, refunds and payments (issue 6) ---

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
    sa.Column("quantity_restocked", sa.Integer, nullable=False),
    sa.Column("quantity_damaged", sa.Integer, nullable=False),
    sa.Column("quantity_scrapped", sa.Integer, nullable=False),
    sa.Column("quantity_refurbished", sa.Integer, nullable=False),
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


# --- dashboard (issue 7) ---

users = sa.Table(
    "users",
    metadata,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("email", sa.String(320), nullable=False, unique=True),
    sa.Column("role", sa.String(32), nullable=False),
    sa.Column("password_hash", sa.String(255), nullable=False),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("last_login_at", Timestamp, nullable=True),
)

# Secrets every process serving this database shares (the session-signing key).
app_secrets = sa.Table(
    "app_secrets",
    metadata,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("value", sa.String(200), nullable=False),
    sa.Column("created_at", Timestamp, nullable=False),
)

# The order queue: newest first, by status, and found by a channel's own id.
sa.Index("ix_orders_placed_at_id", orders.c.placed_at, orders.c.id)
sa.Index("ix_orders_status_placed_at_id", orders.c.status, orders.c.placed_at, orders.c.id)
sa.Index("ix_orders_external_id", orders.c.external_id)


# --- return labels (issue 6) ---

return_labels = sa.Table(
    "return_labels",
    metadata,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("return_id", sa.String(40), sa.ForeignKey("returns.id"), nullable=False),
    sa.Column("warehouse", sa.String(64), nullable=False),  # where the parcel goes back to
    sa.Column("carrier", sa.String(64), nullable=False),
    sa.Column("carrier_name", sa.String(64), nullable=False),
    sa.Column("service", sa.String(64), nullable=False),
    sa.Column("tracking_number", sa.String(100), nullable=False, unique=True),
    sa.Column("rate_amount", sa.BigInteger, nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("transit_days", sa.Integer, nullable=True),
    sa.Column("weight_grams", sa.Integer, nullable=False),
    sa.Column("external_id", sa.String(100), nullable=True),
    sa.Column("label_url", sa.String(1000), nullable=True),
    sa.Column("tracking_url", sa.String(1000), nullable=True),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("created_by", sa.String(200), nullable=False),
    sa.Column("picked_up_at", Timestamp, nullable=True),
    sa.Column("delivered_at", Timestamp, nullable=True),
    sa.Column("voided_at", Timestamp, nullable=True),
    sa.Index("ix_return_labels_return_id", "return_id"),
)
