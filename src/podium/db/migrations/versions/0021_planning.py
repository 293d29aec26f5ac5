"""Demand planning (issue 16, items 1-2): demand history, stock-out days, forecasts.

- ``planning_demand``: daily units per SKU × warehouse × channel × source ("orders" rebuilt
  from Podium's orders net of cancellations, "import" from a merchant's history file).
- ``planning_stockouts``: days a SKU had nothing available at a warehouse (lost sales).
- ``planning_forecast_runs``: each forecast run with its rolling-origin backtest.
- ``planning_forecasts``: the latest run's daily forecast per SKU × warehouse with its interval.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

_JSON = sa.JSON().with_variant(JSONB(), "postgresql")
_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "planning_demand",
        sa.Column("sku", sa.String(64), nullable=False),
        sa.Column("warehouse", sa.String(64), nullable=False),
        sa.Column("channel", sa.String(64), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("source", sa.String(8), nullable=False),
        sa.Column("quantity", sa.Integer, nullable=False),
        sa.CheckConstraint("quantity >= 0", name=op.f("ck_planning_demand_quantity_not_negative")),
        sa.PrimaryKeyConstraint(
            "sku", "warehouse", "channel", "day", "source", name=op.f("pk_planning_demand")
        ),
    )
    op.create_index("ix_planning_demand_source_day", "planning_demand", ["source", "day"])
    op.create_table(
        "planning_stockouts",
        sa.Column("sku", sa.String(64), nullable=False),
        sa.Column("warehouse", sa.String(64), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("source", sa.String(8), nullable=False),
        sa.PrimaryKeyConstraint(
            "sku", "warehouse", "day", "source", name=op.f("pk_planning_stockouts")
        ),
    )
    op.create_table(
        "planning_forecast_runs",
        sa.Column("id", sa.String(40), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("horizon_days", sa.Integer, nullable=False),
        sa.Column("first_day", sa.Date, nullable=False),
        sa.Column("series", sa.Integer, nullable=False),
        sa.Column("seconds", sa.Float, nullable=False),
        sa.Column("backtest", _JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_planning_forecast_runs")),
    )
    op.create_index(
        "ix_planning_forecast_runs_created_at", "planning_forecast_runs", ["created_at"]
    )
    op.create_table(
        "planning_forecasts",
        sa.Column("sku", sa.String(64), nullable=False),
        sa.Column("warehouse", sa.String(64), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("run_id", sa.String(40), nullable=False),
        sa.Column("method", sa.String(32), nullable=False),
        sa.Column("quantity", sa.Float, nullable=False),
        sa.Column("lo", sa.Float, nullable=False),
        sa.Column("hi", sa.Float, nullable=False),
        sa.PrimaryKeyConstraint("sku", "warehouse", "day", name=op.f("pk_planning_forecasts")),
    )


def downgrade() -> None:
    op.drop_table("planning_forecasts")
    op.drop_index("ix_planning_forecast_runs_created_at", table_name="planning_forecast_runs")
    op.drop_table("planning_forecast_runs")
    op.drop_table("planning_stockouts")
    op.drop_index("ix_planning_demand_source_day", table_name="planning_demand")
    op.drop_table("planning_demand")
