"""Holds: the one way an order is put on hold, and its open holds read and released.

Putting an order on hold is always the same sequence: check the status machine allows it (a
final order is never held), set ``on_hold``, open the hold row, and record ``order.held`` on
the timeline with its event. Every capability that holds an order (placement, routing, a
re-route, a short pick, an advance exchange, an operator) calls ``put_on_hold``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from podium.orders import _store as store
from podium.orders import journal
from podium.orders.events import OrderHeld
from podium.orders.journal import Batch
from podium.orders.status import HoldReason, OrderStatus, change_status
from podium.orders.timeline import TimelineRow

__all__ = [
    "Hold",
    "awaiting_stock",
    "held_by_reason",
    "open_holds",
    "put_on_backorder",
    "put_on_hold",
    "release_holds",
    "risk_decision",
]


@dataclass(frozen=True, slots=True)
class Hold:
    id: str
    order_id: str
    reason: str
    note: str | None
    created_at: datetime
    created_by: str
    released_at: datetime | None
    released_by: str | None

    def row(self) -> dict[str, Any]:
        return asdict(self)


def _hold(row: Mapping[Any, Any]) -> Hold:
    return Hold(**{k: row[k] for k in Hold.__slots__})


def put_on_hold(
    conn: Connection,
    order: Mapping[Any, Any],
    reason: str,
    note: str | None,
    *,
    actor: str,
    message: str | None = None,
    data: dict[str, Any] | None = None,
    queue: str | None = None,
    batch: Batch | None = None,
    announce: bool = True,
    reuse_open: bool = False,
) -> Hold:
    """Put ``order`` (its row, locked by the caller: ``id``, ``number``, ``status``) on hold
    for ``reason``, in the caller's transaction; returns the hold.

    The timeline says ``message`` (default ``On hold (reason): note``) with ``data`` (default
    the reason and hold id); the ``order.held`` event carries the reason and, for a routing
    hold, its ``queue``.
    ``batch``: collect the entry and event there for the caller to write with its others.
    ``announce=False``: no entry nor event (the caller's own record covers the hold).
    ``reuse_open``: an open hold for this reason stays the hold (no second row).
    """
    if order["status"] != OrderStatus.ON_HOLD:
        change_status(conn, order["id"], order["status"], OrderStatus.ON_HOLD)
    existing = (
        [h for h in open_holds(conn, [order["id"]]) if h.reason == reason] if reuse_open else []
    )
    hold = (
        existing[0]
        if existing
        else _hold(store.insert_hold(conn, order["id"], reason, note, actor))
    )
    if announce:
        journal.record(
            conn,
            order,
            actor,
            "order.held",
            message
            if message is not None
            else f"On hold ({reason})" + (f": {note}" if note else "."),
            data if data is not None else {"reason": reason, "hold_id": hold.id},
            event=OrderHeld(id=order["id"], number=order["number"], reason=reason, queue=queue),
            batch=batch,
        )
    return hold


def put_on_backorder(
    conn: Connection,
    order: Mapping[Any, Any],
    shortages: Mapping[str, int],
    *,
    actor: str,
    batch: Batch | None = None,
    why: str = "not in stock",
    reuse_open: bool = False,
) -> Hold:
    """Hold ``order`` for stock: ``shortages`` (SKU → units short) are on the timeline and the
    hold's data; ``why`` ends the sentence ("not in stock", "cannot ship from any other
    location")."""
    return put_on_hold(
        conn,
        order,
        HoldReason.BACKORDER.value,
        "waiting for stock",
        actor=actor,
        message="On hold (backorder): "
        + ", ".join(f"{q} × {s}" for s, q in sorted(shortages.items()))
        + f" {why}.",
        data={"reason": "backorder", "short": dict(shortages)},
        batch=batch,
        reuse_open=reuse_open,
    )


def open_holds(conn: Connection, order_ids: Sequence[str]) -> list[Hold]:
    """These orders' open holds, oldest first."""
    return [_hold(r) for r in store.holds(conn, order_ids)]


def release_holds(
    conn: Connection, order_id: str, actor: str, holds: Sequence[Hold] | None = None
) -> int:
    """Release these open holds of the order (all of them when ``holds`` is None); the caller
    records it and moves the order on (``lifecycle.sync_status``)."""
    hold_ids = None if holds is None else [h.id for h in holds]
    return store.release_holds(conn, order_id, actor, hold_ids=hold_ids)


def held_by_reason(conn: Connection, reason: str, *, limit: int) -> list[tuple[str, str | None]]:
    """(order id, hold note) of open holds with this reason, oldest first (routing queues)."""
    return store.held_by_reason(conn, reason, limit=limit)


def awaiting_stock(conn: Connection, skus: Sequence[str], *, limit: int) -> list[str]:
    """Orders with an open backorder hold and a line of one of these SKUs, oldest first."""
    return store.awaiting_stock(conn, skus, limit=limit)


def risk_decision(decision: str, note: str | None, score: object) -> TimelineRow:
    """A reviewer's decision on an order held for risk (``order.risk_approved`` /
    ``order.risk_rejected``), whether taken in the review queue or by releasing the hold."""
    said = f": {note}" if note else "."
    return TimelineRow(
        f"order.risk_{decision}",
        f"Risk review: {decision}{said}",
        {"decision": decision, "note": note, "score": score},
    )
