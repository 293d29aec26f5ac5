"""Product variants (issue 17, returns portal exchanges): a product may belong to a product
group (``group_code``, the parent product's code) and carry its option values (``options``:
``[["size", "M"], ["colour", "Blue"]]`` pairs, so their order survives JSONB). Both are optional;
existing products stay ungrouped. A return records the replacement the shopper asked for
(``exchange_skus``: returned SKU → replacement SKU), shown to staff and used by the exchange.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

_JSON = sa.JSON().with_variant(JSONB(), "postgresql")

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("products") as batch:
        batch.add_column(sa.Column("group_code", sa.String(64), nullable=True))
        batch.add_column(sa.Column("options", _JSON, nullable=True))
    op.create_index("ix_products_group_code", "products", ["group_code", "sku"])
    with op.batch_alter_table("returns") as batch:
        batch.add_column(sa.Column("exchange_skus", _JSON, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("returns") as batch:
        batch.drop_column("exchange_skus")
    op.drop_index("ix_products_group_code", table_name="products")
    with op.batch_alter_table("products") as batch:
        batch.drop_column("options")
        batch.drop_column("group_code")
