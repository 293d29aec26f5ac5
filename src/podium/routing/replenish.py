"""Filling backorders when stock arrives: oldest order first, automatically.

The relay hands this module, in batches, the ``inventory.changed`` events that may have added
availability; one look-up finds the orders waiting for any of those SKUs. Each waiting order is
allocated in its own transaction, so one order's failure never blocks the others, and a
redelivered event finds nothing left to do.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from podium.db.database import Database
from podium.events import Envelope
from podium.orders import (
    HoldReason,
    OrderStatus,
    TimelineRow,
    add_timeline,
    awaiting_stock,
    locked_order,
    open_holds,
    release_holds,
    sync_status,
)
from podium.routing.backorders import allocate_backorder

__all__ = ["BATCH", "fill_backorders", "on_inventory_changed"]

BATCH = 100
# Changes that can raise availability.
_GROWING = frozenset({"receipt", "adjustment", "release", "return", "transfer", "safety_stock"})
ACTOR = "system:backorders"


def fill_backorders(db: Database, skus: Sequence[str]) -> int:
    """Allocate newly available stock of these SKUs to waiting orders, oldest first; returns
    how many orders were released."""
    if not skus:
        return 0
    with db.read() as conn:
        waiting = awaiting_stock(conn, skus, limit=BATCH)
    released = 0
    for order_id in waiting:
        with db.write() as conn:
            order = locked_order(conn, order_id)
            holds = [h for h in open_holds(conn, [order_id]) if h.reason == HoldReason.BACKORDER]
            if order["status"] != OrderStatus.ON_HOLD or not holds:
                continue
            entries: list[TimelineRow] = []
            short = allocate_backorder(conn, order, ACTOR, entries)
            if not entries:
                continue  # nothing could be allocated: leave the order untouched
            if not short:
                release_holds(conn, order_id, ACTOR, holds)
                entries.append(
                    TimelineRow(
                        "order.hold_released",
                        "Backorder filled: stock arrived.",
                        {"reasons": ["backorder"]},
                    )
                )
                released += 1
            add_timeline(conn, order_id, entries, ACTOR)
            if not open_holds(conn, [order_id]):
                sync_status(conn, order_id, ACTOR, released=True)
    return released


def on_inventory_changed(db: Database) -> Callable[[list[Envelope]], None]:
    """The relay's batch subscriber: one look-up for every SKU that gained availability."""

    def handle(events: list[Envelope]) -> None:
        skus = sorted(
            {
                str(e.payload["sku"])
                for e in events
                # Reservations and shipments never make more units available: skip them.
                if set(e.payload.get("movements", _GROWING)) & _GROWING
                and int(e.payload.get("available", 0)) > 0
            }
        )
        fill_backorders(db, skus)

    return handle
