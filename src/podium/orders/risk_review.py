"""Reviewing an order held for risk (issue 15): approve releases the ``risk`` hold, reject
cancels the order and refunds what was captured (``returns.reject_for_risk``, in the same
transaction) — each
decision on the timeline. The review queue lists the orders waiting for a decision."""

from __future__ import annotations

from sqlalchemy import Connection

from podium.db.database import Database
from podium.errors import Conflict
from podium.orders import _store as store
from podium.orders.holds import Hold, held_by_reason, open_holds, risk_decision
from podium.orders.lifecycle import get_order, locked_order, release_in_transaction
from podium.orders.model import OrderView
from podium.orders.status import HoldReason, OrderStatus
from podium.orders.timeline import add_timeline
from podium.orders.views import order_views

__all__ = ["approve_risk", "reject_risk_in_transaction", "risk_review_queue"]


def _risk_holds(conn: Connection, order_id: str) -> list[Hold]:
    return [h for h in open_holds(conn, [order_id]) if h.reason == HoldReason.RISK]


def _not_in_review(number: str, order_id: str) -> Conflict:
    return Conflict(
        f"Order {number} is not held for risk review.",
        code="not_in_risk_review",
        details={"order_id": order_id},
    )


def approve_risk(db: Database, order_id: str, actor: str, note: str | None = None) -> OrderView:
    """Release the order's ``risk`` hold: it carries on when no other hold remains."""
    with db.write() as conn:
        order = locked_order(conn, order_id)
        if not _risk_holds(conn, order_id):
            raise _not_in_review(order["number"], order_id)
        score = (order["risk"] or {}).get("score")
        add_timeline(conn, order_id, [risk_decision("approved", note, score)], actor)
        release_in_transaction(conn, order_id, HoldReason.RISK.value, actor)
    return get_order(db, order_id)


def reject_risk_in_transaction(
    conn: Connection, order_id: str, actor: str, note: str | None = None
) -> None:
    """The reviewer's rejection on the timeline, in the caller's transaction, which then
    cancels the order and refunds it (``returns.reject_for_risk``); 409
    ``not_in_risk_review`` unless the order has an open ``risk`` hold."""
    order = locked_order(conn, order_id)
    if not _risk_holds(conn, order_id):
        raise _not_in_review(order["number"], order_id)
    score = (order["risk"] or {}).get("score")
    add_timeline(conn, order_id, [risk_decision("rejected", note, score)], actor)


def risk_review_queue(db: Database, *, limit: int = 100) -> list[OrderView]:
    """Orders with an open ``risk`` hold, oldest hold first."""
    with db.read() as conn:
        ids = [order_id for order_id, _ in held_by_reason(conn, HoldReason.RISK.value, limit=limit)]
        rows = {r["id"]: r for r in store.orders_by_id(conn, ids)}
        held = [rows[i] for i in ids if i in rows and rows[i]["status"] == OrderStatus.ON_HOLD]
        return order_views(conn, held)
