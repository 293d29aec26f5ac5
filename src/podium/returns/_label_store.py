"""SQL for return labels (the ``return_labels`` table)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from podium.db.database import utcnow
from podium.db.tables import return_labels, returns

__all__ = [
    "current_label",
    "insert_label",
    "label_by_tracking",
    "labels_to_track",
    "update_label",
]


def insert_label(conn: Connection, values: dict[str, Any]) -> None:
    conn.execute(
        return_labels.insert().values(
            **values, created_at=utcnow(), picked_up_at=None, delivered_at=None, voided_at=None
        )
    )


def current_label(conn: Connection, return_id: str) -> sa.RowMapping | None:
    query = (
        sa.select(return_labels)
        .where(return_labels.c.return_id == return_id, return_labels.c.voided_at.is_(None))
        .order_by(return_labels.c.id.desc())
    )
    return conn.execute(query).mappings().first()


def label_by_tracking(conn: Connection, tracking_number: str) -> sa.RowMapping | None:
    query = sa.select(return_labels).where(return_labels.c.tracking_number == tracking_number)
    return conn.execute(query).mappings().first()


def update_label(conn: Connection, label_id: str, values: dict[str, Any]) -> None:
    conn.execute(return_labels.update().where(return_labels.c.id == label_id).values(**values))


def labels_to_track(
    conn: Connection, statuses: Sequence[str], *, limit: int
) -> list[sa.RowMapping]:
    """Live labels not yet delivered whose return is still on its way back."""
    query = (
        sa.select(return_labels)
        .join(returns, returns.c.id == return_labels.c.return_id)
        .where(
            return_labels.c.voided_at.is_(None),
            return_labels.c.delivered_at.is_(None),
            returns.c.status.in_(list(statuses)),
        )
        .order_by(return_labels.c.id)
        .limit(limit)
    )
    return list(conn.execute(query).mappings())
