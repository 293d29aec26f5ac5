"""Room for encrypted webhook subscription secrets (issue 18, item 6).

An outgoing webhook's signing secret (and the previous one kept during a rotation) is stored
encrypted when PODIUM_ENCRYPTION_KEYS is set (``enc:v1:`` + a Fernet token, about 190
characters for a 40-character secret), which does not fit the 100 characters the columns had.
Existing values are untouched: plaintext secrets still read, and are encrypted on their next
write or by ``podium db rotate-secrets``.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("webhook_subscriptions") as batch:
        batch.alter_column("secret", type_=sa.String(500), existing_nullable=False)
        batch.alter_column("previous_secret", type_=sa.String(500), existing_nullable=True)


def downgrade() -> None:
    with op.batch_alter_table("webhook_subscriptions") as batch:
        batch.alter_column("secret", type_=sa.String(100), existing_nullable=False)
        batch.alter_column("previous_secret", type_=sa.String(100), existing_nullable=True)
