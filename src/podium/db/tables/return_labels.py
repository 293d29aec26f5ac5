"""Return labels (issue 6)."""

from __future__ import annotations

import sqlalchemy as sa

from podium.db.tables._base import Timestamp, metadata

__all__ = ["return_labels"]

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
