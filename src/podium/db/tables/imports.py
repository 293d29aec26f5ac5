"""CSV import runs (issue 3)."""

from __future__ import annotations

import sqlalchemy as sa

from podium.db.tables._base import Timestamp, metadata

__all__ = ["import_runs"]

import_runs = sa.Table(
    "import_runs",
    metadata,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("kind", sa.String(16), nullable=False),
    sa.Column("channel", sa.String(64), nullable=True),
    sa.Column("digest", sa.String(64), nullable=False),
    sa.Column("filename", sa.String(300), nullable=True),
    sa.Column("rows_read", sa.Integer, nullable=False),
    sa.Column("created", sa.Integer, nullable=False),
    sa.Column("already_present", sa.Integer, nullable=False),
    sa.Column("movements", sa.Integer, nullable=False),
    sa.Column("rejected", sa.Integer, nullable=False),
    sa.Column("actor", sa.String(200), nullable=False),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Index("ix_import_runs_kind_digest", "kind", "digest"),
    sa.Index("ix_import_runs_created_at", "created_at"),
)
