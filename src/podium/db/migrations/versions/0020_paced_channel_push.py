"""Paced per-channel stock pushes (issue 21): the relay only marks listings, a pusher per
channel tells the platform at its rate budget.

- ``channel_listings.wanted_seq`` / ``wanted_at``: the newest untold stock change (outbox id)
  and when the oldest untold change was made; NULL when the platform is up to date.
- ``channel_listings.push_attempts`` / ``push_error``: failed pushes of the mark, and why.
- ``ix_channel_listings_channel_wanted_at``: the pusher takes a channel's marks oldest first.
- ``channel_pushers``: one row per channel, leased by the process pushing for it.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("channel_listings") as batch:
        batch.add_column(sa.Column("wanted_seq", sa.BigInteger, nullable=True))
        batch.add_column(sa.Column("wanted_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("push_attempts", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("push_error", sa.String(2000), nullable=True))
    op.create_index(
        "ix_channel_listings_channel_wanted_at", "channel_listings", ["channel", "wanted_at"]
    )
    op.create_table(
        "channel_pushers",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("holder", sa.String(100), nullable=True),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_channel_pushers"),
    )


def downgrade() -> None:
    op.drop_table("channel_pushers")
    op.drop_index("ix_channel_listings_channel_wanted_at", table_name="channel_listings")
    with op.batch_alter_table("channel_listings") as batch:
        batch.drop_column("push_error")
        batch.drop_column("push_attempts")
        batch.drop_column("wanted_at")
        batch.drop_column("wanted_seq")
