"""Moving a pre-order's promise (issue 16 item 4): when the purchase order it was promised
against moves its expected day or is cancelled, planning works out the new day (or that none
can be promised) and the order's ``promised_date`` follows, with a timeline entry saying why
and an ``order.promise_changed`` event for webhooks and automations. The order stays on its
backorder hold either way."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa
from sqlalchemy import Connection

from podium.db.database import utcnow
from podium.db.tables import order_events, orders
from podium.orders import journal
from podium.orders.events import OrderPromiseChanged

__all__ = ["change_promise", "preordered"]


def preordered(conn: Connection, order_ids: Sequence[str]) -> set[str]:
    """Which of these orders were placed (or edited) as pre-orders."""
    if not order_ids:
        return set()
    e = order_events.c
    query = sa.select(e.order_id).where(
        e.order_id.in_(sorted(set(order_ids))), e.type == "order.preordered"
    )
    return {str(r[0]) for r in conn.execute(query)}


def change_promise(
    conn: Connection, order_id: str, promised: date | None, why: str, actor: str
) -> None:
    """Set the order's ``promised_date`` (None: nothing can be promised now), recording why."""
    row = conn.execute(
        sa.select(orders.c.id, orders.c.number, orders.c.promised_date).where(
            orders.c.id == order_id
        )
    ).first()
    if row is None or row[2] == promised:
        return
    previous: date | None = row[2]
    conn.execute(
        orders.update()
        .where(orders.c.id == order_id)
        .values(promised_date=promised, updated_at=utcnow())
    )
    message = (
        f"Promise moved to {promised.isoformat()}: {why}"
        if promised is not None
        else f"Promise cleared (still waiting for stock): {why}"
    )
    new = promised.isoformat() if promised else None
    old = previous.isoformat() if previous else None
    data: dict[str, object] = {"promised_date": new, "previous": old, "reason": why}
    event = OrderPromiseChanged(
        id=row[0], number=row[1], promised_date=new, previous=old, reason=why
    )
    order = {"id": row[0], "number": row[1]}
    journal.record(conn, order, actor, "order.promise_changed", message, data, event=event)
