"""Routing rule sets (issue 4)."""

from __future__ import annotations

import sqlalchemy as sa

from podium.db.tables._base import Json, Timestamp, metadata

__all__ = ["routing_rule_sets"]

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
