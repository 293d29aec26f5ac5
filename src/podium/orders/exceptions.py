"""Open holds across all orders, grouped by reason, for the exceptions page."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from podium.db.database import Database, as_utc
from podium.db.tables import order_holds, orders
from podium.orders import _store as store
from podium.orders.model import LineView
from podium.orders.views import order_views

__all__ = ["OpenHold", "open_hold_counts", "open_holds", "short_lines"]


@dataclass(frozen=True, slots=True)
class OpenHold:
    id: str
    order_id: str
    number: str
    reason: str
    note: str | None
    created_at: datetime
    created_by: str
    customer: str | None


def open_hold_counts(db: Database) -> dict[str, int]:
    """How many holds are open, per reason."""
    with db.read() as conn:
        rows = conn.execute(
            sa.select(order_holds.c.reason, sa.func.count())
            .where(order_holds.c.released_at.is_(None))
            .group_by(order_holds.c.reason)
            .order_by(order_holds.c.reason)
        ).all()
    return {str(reason): int(n) for reason, n in rows}


def open_holds(db: Database, *, limit_per_reason: int = 100) -> dict[str, list[OpenHold]]:
    """Open holds by reason, oldest first (the ones waiting longest lead)."""
    reasons = list(open_hold_counts(db))
    with db.read() as conn:
        grouped: dict[str, list[OpenHold]] = {}
        for reason in reasons:
            rows = conn.execute(
                sa.select(
                    order_holds,
                    orders.c.number,
                    sa.func.coalesce(orders.c.customer_name, orders.c.customer_email).label(
                        "customer"
                    ),
                )
                .join(orders, orders.c.id == order_holds.c.order_id)
                .where(order_holds.c.released_at.is_(None), order_holds.c.reason == reason)
                .order_by(order_holds.c.created_at, order_holds.c.id)
                .limit(limit_per_reason)
            ).mappings()
            grouped[reason] = [
                OpenHold(
                    r["id"],
                    r["order_id"],
                    r["number"],
                    r["reason"],
                    r["note"],
                    as_utc(r["created_at"]),
                    r["created_by"],
                    r["customer"],
                )
                for r in rows
            ]
    return grouped


def short_lines(db: Database, order_ids: Sequence[str]) -> dict[str, list[LineView]]:
    """Per order, the lines still waiting for stock, computed the way the order's own view is
    (ordered minus cancelled minus what live shipments hold), so the two never disagree."""
    if not order_ids:
        return {}
    with db.read() as conn:
        views = order_views(conn, store.orders_by_id(conn, list(order_ids)))
    return {
        v.id: [ln for ln in v.lines if ln.quantity_backordered > 0]
        for v in views
        if any(ln.quantity_backordered > 0 for ln in v.lines)
    }
