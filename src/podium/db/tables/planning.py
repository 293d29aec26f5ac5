"""Demand planning (issue 16): daily demand history, stock-out days, forecasts and their runs
(owned by ``podium.planning``)."""

from __future__ import annotations

import sqlalchemy as sa

from podium.db.tables._base import Json, Timestamp, metadata

__all__ = [
    "planning_demand",
    "planning_forecast_runs",
    "planning_forecasts",
    "planning_po_lines",
    "planning_preorder_caps",
    "planning_purchase_orders",
    "planning_receipts",
    "planning_sku_policies",
    "planning_stockouts",
    "planning_supplier_products",
    "planning_suppliers",
    "planning_transfer_lines",
    "planning_transfers",
]

# One row per day × SKU × warehouse × channel × source. An empty warehouse or channel means the
# source did not say (an imported row without that column, or units no shipment carries yet).
# ``source`` is "orders" (rebuilt from Podium's own orders) or "import" (a merchant's history).
planning_demand = sa.Table(
    "planning_demand",
    metadata,
    sa.Column("sku", sa.String(64), primary_key=True),
    sa.Column("warehouse", sa.String(64), primary_key=True),
    sa.Column("channel", sa.String(64), primary_key=True),
    sa.Column("day", sa.Date, primary_key=True),
    sa.Column("source", sa.String(8), primary_key=True),
    sa.Column("quantity", sa.Integer, nullable=False),
    sa.CheckConstraint("quantity >= 0", name="quantity_not_negative"),
    sa.Index("ix_planning_demand_source_day", "source", "day"),
)

# Days a SKU could not be sold from a warehouse (nothing available at the day's close, from the
# stock ledger; or marked in an imported file): their demand is unknown, not zero.
planning_stockouts = sa.Table(
    "planning_stockouts",
    metadata,
    sa.Column("sku", sa.String(64), primary_key=True),
    sa.Column("warehouse", sa.String(64), primary_key=True),
    sa.Column("day", sa.Date, primary_key=True),
    sa.Column("source", sa.String(8), primary_key=True),
)

# Each forecast run: when, how far, and its rolling-origin backtest (overall and per SKU).
planning_forecast_runs = sa.Table(
    "planning_forecast_runs",
    metadata,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("actor", sa.String(200), nullable=False),
    sa.Column("horizon_days", sa.Integer, nullable=False),
    sa.Column("first_day", sa.Date, nullable=False),
    sa.Column("series", sa.Integer, nullable=False),
    sa.Column("seconds", sa.Float, nullable=False),
    sa.Column("backtest", Json, nullable=False),
    sa.Index("ix_planning_forecast_runs_created_at", "created_at"),
)

# The latest run's daily forecast per SKU × warehouse (a run replaces the previous one).
planning_forecasts = sa.Table(
    "planning_forecasts",
    metadata,
    sa.Column("sku", sa.String(64), primary_key=True),
    sa.Column("warehouse", sa.String(64), primary_key=True),
    sa.Column("day", sa.Date, primary_key=True),
    sa.Column("run_id", sa.String(40), nullable=False),
    sa.Column("method", sa.String(32), nullable=False),
    sa.Column("quantity", sa.Float, nullable=False),
    sa.Column("lo", sa.Float, nullable=False),
    sa.Column("hi", sa.Float, nullable=False),
)

# Suppliers (issue 16 item 3): who sells what, how fast and in what lots.
planning_suppliers = sa.Table(
    "planning_suppliers",
    metadata,
    sa.Column("code", sa.String(64), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("email", sa.String(320), nullable=True),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("lead_time_days", sa.Integer, nullable=False),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.CheckConstraint("lead_time_days >= 0", name="lead_time_not_negative"),
)

# A supplier's offer for one SKU: lead time override, minimum order, case pack, unit cost
# (a decimal string in the supplier's currency) and whether it is the preferred source.
planning_supplier_products = sa.Table(
    "planning_supplier_products",
    metadata,
    sa.Column(
        "supplier",
        sa.String(64),
        sa.ForeignKey("planning_suppliers.code", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("sku", sa.String(64), primary_key=True),
    sa.Column("lead_time_days", sa.Integer, nullable=True),
    sa.Column("moq", sa.Integer, nullable=False),
    sa.Column("case_pack", sa.Integer, nullable=False),
    sa.Column("unit_cost", sa.String(32), nullable=False),
    sa.Column("preferred", sa.Boolean, nullable=False),
    sa.CheckConstraint("moq >= 1", name="moq_positive"),
    sa.CheckConstraint("case_pack >= 1", name="case_pack_positive"),
    sa.Index("ix_planning_supplier_products_sku", "sku"),
)

# A SKU's own target service level, overriding the default of a replenishment request.
planning_sku_policies = sa.Table(
    "planning_sku_policies",
    metadata,
    sa.Column("sku", sa.String(64), primary_key=True),
    sa.Column("service_level", sa.Float, nullable=False),
)

# Purchase orders (issue 16 item 4): a supplier's order for one destination warehouse, with the
# day the goods are expected (from the lead time) and its status (draft, sent,
# partially_received, received, cancelled).
planning_purchase_orders = sa.Table(
    "planning_purchase_orders",
    metadata,
    sa.Column("number", sa.String(32), primary_key=True),
    sa.Column("supplier", sa.String(64), sa.ForeignKey("planning_suppliers.code"), nullable=False),
    sa.Column("warehouse", sa.String(64), nullable=False),
    sa.Column("status", sa.String(24), nullable=False),
    sa.Column("currency", sa.String(3), nullable=False),
    sa.Column("expected_on", sa.Date, nullable=False),
    sa.Column("note", sa.String(500), nullable=True),
    sa.Column("created_by", sa.String(200), nullable=False),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("sent_at", Timestamp, nullable=True),
    sa.Column("updated_at", Timestamp, nullable=False),
    sa.Index("ix_planning_purchase_orders_status", "status"),
)

# One SKU of a purchase order: units ordered and received so far, unit cost (decimal string).
planning_po_lines = sa.Table(
    "planning_po_lines",
    metadata,
    sa.Column(
        "number",
        sa.String(32),
        sa.ForeignKey("planning_purchase_orders.number", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("sku", sa.String(64), primary_key=True),
    sa.Column("quantity", sa.Integer, nullable=False),
    sa.Column("received", sa.Integer, nullable=False),
    sa.Column("unit_cost", sa.String(32), nullable=False),
    sa.CheckConstraint("quantity >= 1", name="quantity_positive"),
    sa.CheckConstraint("received >= 0", name="received_not_negative"),
    sa.Index("ix_planning_po_lines_sku", "sku"),
)

# Transfers between warehouses: draft, in_transit (stock left the source), partially_received,
# received, cancelled.
planning_transfers = sa.Table(
    "planning_transfers",
    metadata,
    sa.Column("number", sa.String(32), primary_key=True),
    sa.Column("source", sa.String(64), nullable=False),
    sa.Column("target", sa.String(64), nullable=False),
    sa.Column("status", sa.String(24), nullable=False),
    sa.Column("expected_on", sa.Date, nullable=True),
    sa.Column("note", sa.String(500), nullable=True),
    sa.Column("created_by", sa.String(200), nullable=False),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("shipped_at", Timestamp, nullable=True),
    sa.Column("updated_at", Timestamp, nullable=False),
    sa.Index("ix_planning_transfers_status", "status"),
)

planning_transfer_lines = sa.Table(
    "planning_transfer_lines",
    metadata,
    sa.Column(
        "number",
        sa.String(32),
        sa.ForeignKey("planning_transfers.number", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("sku", sa.String(64), primary_key=True),
    sa.Column("quantity", sa.Integer, nullable=False),
    sa.Column("received", sa.Integer, nullable=False),
    sa.CheckConstraint("quantity >= 1", name="quantity_positive"),
    sa.CheckConstraint("received >= 0", name="received_not_negative"),
    sa.Index("ix_planning_transfer_lines_sku", "sku"),
)

# Each receipt against a purchase order or transfer (``document`` is its number), by the
# caller's idempotency key: a repeat with the same lines answers the first one's result.
planning_receipts = sa.Table(
    "planning_receipts",
    metadata,
    sa.Column("document", sa.String(32), primary_key=True),
    sa.Column("key", sa.String(100), primary_key=True),
    sa.Column("lines", Json, nullable=False),
    sa.Column("actor", sa.String(200), nullable=False),
    sa.Column("at", Timestamp, nullable=False),
)

# Pre-orders: per channel, how many units of a SKU may be sold ahead of incoming stock (on
# sent purchase orders), waiting on backorder holds at once.
planning_preorder_caps = sa.Table(
    "planning_preorder_caps",
    metadata,
    sa.Column("channel", sa.String(64), primary_key=True),
    sa.Column("cap", sa.Integer, nullable=False),
    sa.Column("updated_at", Timestamp, nullable=False),
    sa.CheckConstraint("cap >= 0", name="cap_not_negative"),
)
