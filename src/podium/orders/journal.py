"""Recording what happened to an order: a timeline entry and, for others to hear, an event.

Every state change goes through ``record`` so the two are always written together, in the
caller's transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection

from podium.events import store as outbox
from podium.orders import store
from podium.orders.events import OrderEvent
from podium.orders.store import TimelineRow

__all__ = ["add_entry", "record"]


def record(
    conn: Connection,
    order: Mapping[Any, Any],
    actor: str,
    kind: str,
    message: str,
    data: dict[str, Any],
    *,
    event: OrderEvent,
) -> None:
    """Add ``kind`` to the order's timeline and emit ``event`` (about that order)."""
    if event.id != order["id"]:
        raise RuntimeError(f"{event.TYPE} is about {event.id}, not {order['id']}")
    store.add_timeline(conn, order["id"], [TimelineRow(kind, message, data)], actor)
    outbox.emit(conn, [event])


def add_entry(
    conn: Connection, order_id: str, kind: str, message: str, data: dict[str, Any], actor: str
) -> None:
    """A timeline entry alone, with no event: other capabilities' records about the order
    (an e-mail sent to the customer, say), written in their own transaction."""
    store.add_timeline(conn, order_id, [TimelineRow(kind, message, data)], actor)
