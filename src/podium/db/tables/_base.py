"""What every table module shares: the metadata (with its naming convention), column types, and
the order-number sequence.

"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

__all__ = ["BigId", "Json", "Timestamp", "metadata", "order_number_seq"]

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

Json = sa.JSON().with_variant(JSONB(), "postgresql")
Timestamp = sa.DateTime(timezone=True)
# SQLite only turns INTEGER PRIMARY KEY into an auto-increment rowid, so BIGINT there is INTEGER.
BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

# PostgreSQL hands out order numbers from a sequence (no row lock between concurrent orders);
# SQLite, which has one writer at a time anyway, uses the counters table.
order_number_seq = sa.Sequence("order_number_seq", start=100001, metadata=metadata)
