"""Routing hold queues: orders a routing rule held, by the queue the rule named."""

from __future__ import annotations

from collections import Counter

from podium.db.database import Database
from podium.errors import NotFound
from podium.orders import HoldReason, OrderView, held_by_reason, order_views, orders_by_id

__all__ = ["queue_orders", "queues"]

_MAX = 10_000


def queues(db: Database) -> list[dict[str, object]]:
    """Every queue with orders in it, and how many."""
    with db.read() as conn:
        held = held_by_reason(conn, HoldReason.ROUTING.value, limit=_MAX)
    counts = Counter(note or "" for _, note in held)
    return [{"queue": q, "orders": n} for q, n in sorted(counts.items())]


def queue_orders(db: Database, queue: str, *, limit: int = 100) -> list[OrderView]:
    """The orders held in ``queue``, oldest hold first."""
    with db.read() as conn:
        held = held_by_reason(conn, HoldReason.ROUTING.value, limit=_MAX)
        ids = list(dict.fromkeys(oid for oid, note in held if note == queue))[:limit]
        if not ids:
            raise NotFound(f"No orders held in routing queue {queue}.", code="queue_empty")
        rows = {r.id: r for r in orders_by_id(conn, ids)}
        return order_views(conn, [rows[oid] for oid in ids if oid in rows])
