"""Shipments and their lines (owned by ``podium.shipments``)."""

from __future__ import annotations

import sqlalchemy as sa

from podium.db.tables._base import Timestamp, metadata

__all__ = ["shipment_lines", "shipments"]

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
