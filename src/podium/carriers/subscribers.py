"""Carrier work done after the fact by the outbox relay."""

from __future__ import annotations

from collections.abc import Callable

from podium import shipments
from podium.carriers import _store as store
from podium.carriers import service
from podium.carriers.accounts import Carriers
from podium.db.database import Database
from podium.events import Envelope

__all__ = ["ACTOR", "on_order_cancelled"]

ACTOR = "system:carriers"


def on_order_cancelled(db: Database, carriers: Carriers) -> Callable[[Envelope], None]:
    """An order was cancelled: void the labels bought for its shipments, so the postage is
    refunded (EasyPost) and the tracking numbers are free of them. A carrier that fails makes
    the relay try again later."""

    def handle(event: Envelope) -> None:
        with db.read() as conn:
            ships = [
                s.id
                for s in shipments.shipments_for_orders(conn, [event.aggregate_id])
                if s.status == "cancelled"
            ]
            labelled = store.labels_for(conn, ships)
        for shipment_id in sorted(labelled):
            service.void_label(db, carriers, shipment_id, ACTOR)

    return handle
