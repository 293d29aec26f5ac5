"""Telling the channel an order shipped, with tracking, when a Podium shipment ships."""

from __future__ import annotations

import logging
from collections.abc import Callable

from podium import carriers, fulfillment, orders
from podium.channels import _store as store
from podium.channels.connector import Connectors, Fulfilment
from podium.channels.registry import typed
from podium.db.database import Database
from podium.events import Envelope
from podium.orders import TimelineRow, add_timeline

__all__ = ["on_shipment_shipped"]

log = logging.getLogger("podium.channels")
ACTOR = "system:channels"


def _line(
    listed: dict[str, tuple[str, str | None]], sku: str, quantity: int
) -> tuple[str, int, str | None]:
    platform_sku, remote_id = listed.get(sku, (sku, None))
    return platform_sku, quantity, remote_id


def on_shipment_shipped(db: Database, connectors: Connectors) -> Callable[[Envelope], None]:
    """The relay's subscriber for ``shipment.shipped``; a failure is retried with backoff."""

    def handle(event: Envelope) -> None:
        order_id = str(event.payload.get("order_id") or event.aggregate_id)
        shipment_id = str(event.payload["shipment_id"])
        order = orders.get_order(db, order_id)
        if order.external_id is None:
            return
        with db.read() as conn:
            row = store.channel_row(conn, order.channel)
            known = store.channel_order(conn, order.channel, order.external_id)
            listed = {
                r["sku"]: (r["remote_sku"] or r["sku"], r["remote_id"])
                for r in store.listings(conn, order.channel, limit=1_000_000)
            }
        connector = connectors.for_type(row["type"]) if row is not None else None
        if connector is None or known is None or row is None:
            return  # not an order a connector captured
        shipment = fulfillment.get_shipment(db, shipment_id)
        made = sorted(s.id for s in order.shipments)
        label = carriers.current_labels(db, [shipment_id]).get(shipment_id)
        fulfilment = Fulfilment(
            external_id=order.external_id,
            lines=[_line(listed, ln.sku, ln.quantity) for ln in shipment.lines],
            tracking_number=shipment.tracking_number,
            carrier=shipment.carrier,
            tracking_url=shipment.tracking_url,
            package=made.index(shipment_id) + 1 if shipment_id in made else None,
            carrier_name=label.carrier_name if label is not None else None,
        )
        connector.mark_shipped(order.channel, typed(row["type"], row["settings"]), fulfilment)
        with db.write() as conn:
            add_timeline(
                conn,
                order_id,
                [
                    TimelineRow(
                        "channel.fulfilment_reported",
                        f"{order.channel} told that shipment {shipment_id} shipped"
                        + (
                            f" (tracking {shipment.tracking_number})."
                            if shipment.tracking_number
                            else "."
                        ),
                        {"shipment_id": shipment_id, "tracking_number": shipment.tracking_number},
                    )
                ],
                ACTOR,
            )

    return handle
