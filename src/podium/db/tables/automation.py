"""Automation rule sets and the events they have been applied to (issue 15)."""

from __future__ import annotations

import sqlalchemy as sa

from podium.db.tables._base import Json, Timestamp, metadata

__all__ = ["automation_rule_sets", "automation_runs"]

automation_rule_sets = sa.Table(
    "automation_rule_sets",
    metadata,
    # Every save is a new version; the highest is the active rule set.
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("rules", Json, nullable=False),
    sa.Column("note", sa.String(500), nullable=True),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("created_by", sa.String(200), nullable=False),
)

automation_runs = sa.Table(
    "automation_runs",
    metadata,
    # One row per outbox event the rules were applied to: a redelivery finds it and does nothing.
    sa.Column("event_id", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("order_id", sa.String(40), nullable=False),
    sa.Column("trigger", sa.String(40), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("fired", Json, nullable=False),
    sa.Column("at", Timestamp, nullable=False),
    sa.Index("ix_automation_runs_order_id", "order_id"),
)
