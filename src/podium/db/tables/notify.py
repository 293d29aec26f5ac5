"""Customer e-mails and outgoing webhooks (issue 5)."""

from __future__ import annotations

import sqlalchemy as sa

from podium.db.secrets import SecretString
from podium.db.tables._base import BigId, Json, Timestamp, metadata

__all__ = ["notifications", "webhook_attempts", "webhook_deliveries", "webhook_subscriptions"]

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
    sa.Column("secret", SecretString(500), nullable=False),
    sa.Column("description", sa.String(500), nullable=True),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("consecutive_failures", sa.Integer, nullable=False),
    sa.Column("failing_since", Timestamp, nullable=True),
    sa.Column("paused_at", Timestamp, nullable=True),
    sa.Column("pause_reason", sa.String(500), nullable=True),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("updated_at", Timestamp, nullable=False),
    # After a rotation the old secret signs too, until it expires (receivers switch over).
    sa.Column("previous_secret", SecretString(500), nullable=True),
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
