"""Data lifecycle (issue 19 item 7): the maintenance lease and last-run record, and the archive
tables old timeline and ledger months move to (``podium db archive``)."""

from __future__ import annotations

import sqlalchemy as sa

from podium.db.tables._base import BigId, Json, Timestamp, metadata

__all__ = ["maintenance", "order_events_archive", "stock_movements_archive"]

# One row per periodic maintenance job (``prune``): who holds its lease, until when, and what
# its last pass did, so every node's metrics and health show the last prune.
maintenance = sa.Table(
    "maintenance",
    metadata,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("holder", sa.String(100), nullable=True),
    sa.Column("locked_until", Timestamp, nullable=True),
    sa.Column("last_run_at", Timestamp, nullable=True),
    sa.Column("last_result", Json, nullable=True),
)

# Timeline entries of archived months, as they were (same ids): an order's timeline reads both.
order_events_archive = sa.Table(
    "order_events_archive",
    metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=False),
    sa.Column("order_id", sa.String(40), nullable=False),
    sa.Column("at", Timestamp, nullable=False),
    sa.Column("type", sa.String(64), nullable=False),
    sa.Column("message", sa.String(2000), nullable=False),
    sa.Column("data", Json, nullable=False),
    sa.Column("actor", sa.String(200), nullable=False),
    sa.Index("ix_order_events_archive_order_id", "order_id", "id"),
)

# Ledger movements of archived months, as they were (same ids). The live ledger keeps one
# ``carried_forward`` movement per SKU × warehouse equal to their sum, so balances still equal
# the live ledger's sum (``podium doctor``).
stock_movements_archive = sa.Table(
    "stock_movements_archive",
    metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=False),
    sa.Column("at", Timestamp, nullable=False),
    sa.Column("sku", sa.String(64), nullable=False),
    sa.Column("warehouse", sa.String(64), nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("on_hand_delta", sa.Integer, nullable=False),
    sa.Column("reserved_delta", sa.Integer, nullable=False),
    sa.Column("reason", sa.String(64), nullable=False),
    sa.Column("reference", sa.String(200), nullable=True),
    sa.Column("actor", sa.String(200), nullable=False),
    sa.Index("ix_stock_movements_archive_sku_warehouse", "sku", "warehouse", "id"),
)
