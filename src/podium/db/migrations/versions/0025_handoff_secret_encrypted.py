"""Room for an encrypted warehouse hand-off secret (issue 18, item 6).

The secret a warehouse's hand-off webhook is signed with is stored encrypted when
PODIUM_ENCRYPTION_KEYS is set, like the webhook subscriptions' secrets (migration 0022): a
200-character secret becomes about 365 characters of ``enc:v1:`` + Fernet token. Existing
values are untouched: plaintext still reads, and is encrypted on its next write or by
``podium db rotate-secrets``.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("fulfilment_settings") as batch:
        batch.alter_column("handoff_secret", type_=sa.String(500), existing_nullable=True)


def downgrade() -> None:
    with op.batch_alter_table("fulfilment_settings") as batch:
        batch.alter_column("handoff_secret", type_=sa.String(200), existing_nullable=True)
