"""Changing a purchase order after it was made: moving its expected day, cancelling it. The
pre-orders promised against it follow (``promises.py``) and the channels are told their
pre-order allowance again (``allowance.py``), in the same transaction."""

from __future__ import annotations

from podium.db.database import Database, utcnow
from podium.errors import InvalidTransition, NotFound, ValidationFailed
from podium.planning import _po_store as store
from podium.planning.allowance import announce
from podium.planning.po_views import PurchaseOrderPatch, PurchaseOrderView
from podium.planning.promises import revisit_promises
from podium.planning.purchase_model import OPEN_PO, PoStatus, po_move
from podium.planning.purchasing import _read

__all__ = ["cancel_purchase_order", "change_purchase_order"]


def change_purchase_order(
    db: Database, number: str, body: PurchaseOrderPatch, actor: str
) -> PurchaseOrderView:
    """Move an open PO's expected day; its pre-orders' promises move with it."""
    if body.expected_on < utcnow().date():
        raise ValidationFailed(
            "expected_on must not be in the past.",
            code="expected_in_past",
            details={"field": "expected_on"},
        )
    with db.write() as conn:
        head = store.lock(conn, store.PO, number)
        if head is None:
            raise NotFound(
                f"No purchase order {number}.", code="po_not_found", details={"number": number}
            )
        if PoStatus(head["status"]) not in OPEN_PO:
            raise InvalidTransition("purchase order", head["status"], "rescheduled")
        if head["expected_on"] != body.expected_on:
            conn.execute(
                store.PO.head.update()
                .where(store.PO.head.c.number == number)
                .values(expected_on=body.expected_on)
            )
            po = _read(conn, number)
            why = f"purchase order {number} is now expected on {body.expected_on.isoformat()}"
            revisit_promises(conn, [ln.sku for ln in po.lines], why, actor)
        return _read(conn, number)


def cancel_purchase_order(db: Database, number: str, actor: str = "system") -> PurchaseOrderView:
    """Cancel a draft or sent PO with nothing received. Its pre-orders stay on their backorder
    hold, promised for another sent PO's day if one covers them, else with no promise."""
    with db.write() as conn:
        head = store.lock(conn, store.PO, number)
        if head is None:
            raise NotFound(f"No purchase order {number}.", code="po_not_found")
        po_move(head["status"], "cancel")
        store.set_status(conn, store.PO, number, PoStatus.CANCELLED.value)
        po = _read(conn, number)
        skus = [ln.sku for ln in po.lines]
        revisit_promises(conn, skus, f"purchase order {number} was cancelled", actor)
        announce(conn, skus)  # no longer sold ahead
        return po
