"""Fulfilment, carriers and labels (issue 5)."""

from __future__ import annotations

import sqlalchemy as sa

from podium.db.secrets import SecretJson, SecretString
from podium.db.tables._base import Json, Timestamp, metadata

__all__ = ["bin_locations", "carrier_accounts", "fulfilment_settings", "labels", "pick_lists"]

# How each warehouse gets its work: released at once or in waves; handed off or not.
fulfilment_settings = sa.Table(
    "fulfilment_settings",
    metadata,
    sa.Column("warehouse", sa.String(64), sa.ForeignKey("warehouses.code"), primary_key=True),
    sa.Column("release_mode", sa.String(16), nullable=False),
    sa.Column("handoff", sa.String(16), nullable=False),
    sa.Column("handoff_url", sa.String(500), nullable=True),
    # Encrypted at rest like every other secret (``enc:v1:`` + a Fernet token, migration 0025).
    sa.Column("handoff_secret", SecretString(500), nullable=True),
    sa.Column("handoff_dir", sa.String(500), nullable=True),
    # What the warehouse's label printer takes: PDF, ZPL or PNG (asked of the carrier).
    sa.Column("label_format", sa.String(8), nullable=False, server_default="PDF"),
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
    sa.Column("settings", SecretJson(), nullable=False),
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
    # The carrier's postage label as it sent it (PDF, ZPL or PNG), served by the label endpoints.
    sa.Column("label_format", sa.String(8), nullable=True),
    sa.Column("label_file", sa.LargeBinary, nullable=True),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("voided_at", Timestamp, nullable=True),
    sa.Index("ix_labels_shipment_id", "shipment_id"),
)
