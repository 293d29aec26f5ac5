"""Automation rules (issue 15): versioned rule sets, and the events they were applied to.

- ``automation_rule_sets``: numbered versions of the rule set; the highest is active.
- ``automation_runs``: one row per outbox event the rules were applied to (its id is the key),
  so a redelivered event fires nothing twice.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

_JSON = sa.JSON().with_variant(JSONB(), "postgresql")
_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "automation_rule_sets",
        sa.Column("version", sa.Integer, nullable=False, autoincrement=False),
        sa.Column("rules", _JSON, nullable=False),
        sa.Column("note", sa.String(500), nullable=True),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("version", name=op.f("pk_automation_rule_sets")),
    )
    op.create_table(
        "automation_runs",
        sa.Column("event_id", sa.BigInteger, nullable=False, autoincrement=False),
        sa.Column("order_id", sa.String(40), nullable=False),
        sa.Column("trigger", sa.String(40), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("fired", _JSON, nullable=False),
        sa.Column("at", _TS, nullable=False),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_automation_runs")),
    )
    op.create_index("ix_automation_runs_order_id", "automation_runs", ["order_id"])


def downgrade() -> None:
    op.drop_index("ix_automation_runs_order_id", table_name="automation_runs")
    op.drop_table("automation_runs")
    op.drop_table("automation_rule_sets")
