"""Retention of webhook deliveries (``podium db prune``, docs/operations.md "Data lifecycle"):
deliveries that succeeded before the cutoff go with their attempts; a delivery still retrying
or given up (``failed``) is kept for the operator.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from podium.db.tables import webhook_attempts, webhook_deliveries

__all__ = ["count_settled_webhooks", "prune_settled_webhooks"]

_SUCCEEDED: sa.ColumnClause[str] = sa.literal_column("'succeeded'", sa.String)


def _ts(table: sa.Table, column: str, when: datetime) -> sa.BindParameter[datetime]:
    return sa.bindparam(None, when, type_=table.c[column].type)


def _settled_webhooks(before: datetime) -> sa.Select[Any]:
    """Succeeded before ``before``; the redundant ``next_attempt_at`` bound (a delivery is
    sent only once due) lets ``ix_webhook_deliveries_status_next`` find just the candidates."""
    d = webhook_deliveries.c
    settled = sa.func.coalesce(d.delivered_at, d.created_at)
    cutoff = _ts(webhook_deliveries, "created_at", before)
    return sa.select(d.id).where(
        d.status == _SUCCEEDED, d.next_attempt_at < cutoff, settled < cutoff
    )


def prune_settled_webhooks(conn: Connection, before: datetime, limit: int) -> tuple[int, int]:
    """(attempts, deliveries) deleted: deliveries that succeeded before ``before``, with
    their attempts."""
    oldest_first = _settled_webhooks(before).order_by(webhook_deliveries.c.next_attempt_at)
    ids = list(conn.execute(oldest_first.limit(limit)).scalars())
    if not ids:
        return 0, 0
    attempts = conn.execute(
        webhook_attempts.delete().where(webhook_attempts.c.delivery_id.in_(ids))
    ).rowcount
    conn.execute(webhook_deliveries.delete().where(webhook_deliveries.c.id.in_(ids)))
    return int(attempts or 0), len(ids)


def count_settled_webhooks(conn: Connection, before: datetime) -> tuple[int, int]:
    settled = _settled_webhooks(before).subquery()
    deliveries = conn.execute(sa.select(sa.func.count()).select_from(settled)).scalar_one()
    attempts = conn.execute(
        sa.select(sa.func.count())
        .select_from(webhook_attempts)
        .where(webhook_attempts.c.delivery_id.in_(sa.select(settled.c.id)))
    ).scalar_one()
    return int(attempts), int(deliveries)
