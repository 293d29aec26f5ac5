"""Recording what happened to an order: a timeline entry and, for others to hear, an event.

Every state change goes through ``record`` so the two are always written together, in the
caller's transaction. A use case that writes several entries at once (placement, a re-route)
collects them in a ``Batch`` and writes it at the end, so they keep their order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from podium import events as outbox
from podium.orders.events import OrderEvent
from podium.orders.timeline import TimelineRow, add_timeline

__all__ = ["Batch", "add_entry", "record"]


@dataclass(slots=True)
class Batch:
    """Timeline entries and events collected to be written together, in this order."""

    entries: list[TimelineRow] = field(default_factory=list)
    events: list[OrderEvent] = field(default_factory=list)

    def write(self, conn: Connection, order_id: str, actor: str) -> None:
        add_timeline(conn, order_id, self.entries, actor)
        outbox.emit(conn, self.events)


def record(
    conn: Connection,
    order: Mapping[Any, Any],
    actor: str,
    kind: str,
    message: str,
    data: dict[str, Any],
    *,
    event: OrderEvent,
    batch: Batch | None = None,
) -> None:
    """Add ``kind`` to the order's timeline and emit ``event`` (about that order); into
    ``batch`` when given, for the caller to write."""
    if event.id != order["id"]:
        raise RuntimeError(f"{event.TYPE} is about {event.id}, not {order['id']}")
    entry = TimelineRow(kind, message, data)
    if batch is not None:
        batch.entries.append(entry)
        batch.events.append(event)
        return
    add_timeline(conn, order["id"], [entry], actor)
    outbox.emit(conn, [event])


def add_entry(
    conn: Connection, order_id: str, kind: str, message: str, data: dict[str, Any], actor: str
) -> None:
    """A timeline entry alone, with no event: other capabilities' records about the order
    (an e-mail sent to the customer, say), written in their own transaction."""
    add_timeline(conn, order_id, [TimelineRow(kind, message, data)], actor)
