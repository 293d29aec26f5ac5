"""Tracking the return parcel: the carrier's news on a return label (EasyPost tracker webhooks
and ``podium carriers poll``) moves an approved RMA to ``in_transit`` when the parcel is picked
up and records its delivery at the warehouse on the order timeline. It never receives the
return: counting what arrived stays a warehouse action."""

from __future__ import annotations

import logging
from typing import Any

from podium import orders
from podium.carriers import CarrierError, Carriers, PollResult, Tracking, carrier_for
from podium.db.database import Database, as_utc, utcnow
from podium.returns import _label_store as label_store
from podium.returns.events import ReturnParcelDelivered
from podium.returns.model import ReturnStatus
from podium.returns.service import locked_return, move

__all__ = ["ReturnParcels", "apply_return_tracking", "poll_return_labels"]

log = logging.getLogger("podium.returns.tracking")
MOVING = frozenset({"in_transit", "out_for_delivery", "delivered"})
ON_THE_WAY = (ReturnStatus.APPROVED.value, ReturnStatus.IN_TRANSIT.value)


def apply_return_tracking(db: Database, tracking: Tracking, actor: str) -> str | None:
    """``updated``, ``no_change`` or ``unknown_tracking_number``; None when the tracking
    number is no return label's (so it is someone else's to look up)."""
    with db.read() as conn:
        label = label_store.label_by_tracking(conn, tracking.tracking_number)
    if label is None:
        return None
    if label["voided_at"] is not None:
        return "unknown_tracking_number"
    if tracking.status not in MOVING:
        if tracking.status is not None:
            log.warning("return parcel %s: %s", tracking.tracking_number, tracking.detail)
        return "no_change"
    return_id = label["return_id"]
    changed = False
    with db.write() as conn:
        order, row = locked_return(conn, return_id)
        label = label_store.label_by_tracking(conn, tracking.tracking_number)
        if label is None:
            raise RuntimeError(f"no return label with tracking number {tracking.tracking_number}")
        facts = {
            "return_id": return_id,
            "tracking_number": label["tracking_number"],
            "detail": tracking.detail,
        }
        if label["picked_up_at"] is None:
            values: dict[str, Any] = {"picked_up_at": utcnow()}
            if tracking.public_url:
                values["tracking_url"] = tracking.public_url
            label_store.update_label(conn, label["id"], values)
            if row["status"] == ReturnStatus.APPROVED:
                move(
                    conn,
                    order,
                    return_id,
                    row["status"],
                    ReturnStatus.IN_TRANSIT,
                    actor,
                    {"carrier": label["carrier"], "tracking_number": label["tracking_number"]},
                    facts,
                )
            changed = True
        if tracking.status == "delivered" and label["delivered_at"] is None:
            label_store.update_label(conn, label["id"], {"delivered_at": utcnow()})
            orders.record(
                conn,
                order,
                actor,
                "return.parcel_delivered",
                f"Return {return_id}'s parcel {label['tracking_number']} was delivered to "
                f"{label['warehouse']} ({tracking.detail}); it waits to be received.",
                {**facts, "warehouse": label["warehouse"]},
                event=ReturnParcelDelivered(
                    id=order["id"],
                    number=order["number"],
                    return_id=return_id,
                    tracking_number=label["tracking_number"],
                    detail=tracking.detail,
                    warehouse=label["warehouse"],
                ),
            )
            changed = True
    return "updated" if changed else "no_change"


def poll_return_labels(db: Database, carriers: Carriers, *, limit: int = 500) -> PollResult:
    """Ask the carriers about every return parcel not yet delivered."""
    with db.read() as conn:
        labels = label_store.labels_to_track(conn, ON_THE_WAY, limit=limit)
    updated = failed = 0
    for label in labels:
        carrier = carrier_for(db, carriers, label["carrier"])
        picked = as_utc(label["picked_up_at"]) if label["picked_up_at"] else None
        try:
            tracking = carrier.track(label["tracking_number"], picked)
        except CarrierError as exc:
            log.warning("tracking return parcel %s failed: %s", label["tracking_number"], exc)
            failed += 1
            continue
        if apply_return_tracking(db, tracking, f"carrier:{label['carrier']}") == "updated":
            updated += 1
    return PollResult(len(labels), updated, failed)


class ReturnParcels:
    """Return parcels as a carriers ``ParcelTracker``: bootstrap registers one on ``Carriers``
    so carrier webhooks and ``podium carriers poll`` serve return labels too."""

    def apply(self, db: Database, tracking: Tracking, actor: str) -> str | None:
        return apply_return_tracking(db, tracking, actor)

    def poll(self, db: Database, carriers: Carriers, *, limit: int) -> PollResult:
        return poll_return_labels(db, carriers, limit=limit)
