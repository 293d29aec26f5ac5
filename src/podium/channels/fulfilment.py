"""Telling the channel an order shipped, with tracking, when a Podium shipment ships."""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any

from podium import carriers, fulfillment, orders
from podium.channels import _store as store
from podium.channels.connector import Connectors, Fulfilment
from podium.channels.kept_lines import room_of, spread
from podium.channels.registry import typed
from podium.db.database import Database
from podium.events import Envelope
from podium.orders import TimelineRow, add_timeline

__all__ = ["on_shipment_shipped", "platform_lines"]

log = logging.getLogger("podium.channels")
ACTOR = "system:channels"


def _line(
    listed: dict[str, tuple[str, str | None]], sku: str, quantity: int
) -> tuple[str, int, str | None]:
    platform_sku, remote_id = listed.get(sku, (sku, None))
    return platform_sku, quantity, remote_id


def platform_lines(
    kept: Sequence[Mapping[Any, Any]],
    shipped: Sequence[tuple[str, int]],
    live_skus: Collection[str] | None = None,
) -> list[tuple[str, int]]:
    """The platform's line ids (with quantities) that carry ``shipped`` units of Podium SKUs:
    each SKU's units are spread over the order's lines of that SKU in order. A line the
    platform gave no id is left out.

    ``live_skus`` (the order's SKUs now): a captured line whose SKU the order no longer has
    was replaced by an edit (an unknown SKU resolved by editing the order rather than mapping
    the listing). When exactly one such line is left and exactly one shipped SKU names no
    captured line, that SKU's units go to it: the one reading that cannot be wrong."""
    room = room_of(kept)
    out: list[tuple[str, int]] = []
    left_over: dict[str, int] = {}
    for sku, quantity in shipped:
        taken, left = spread(kept, room, sku, quantity)
        out.extend((str(kept[i]["line_id"]), take) for i, take in taken)
        if left > 0:
            left_over[sku] = left_over.get(sku, 0) + left
    if live_skus is None:
        return out
    captured = {k["sku"] for k in kept}
    stale = [i for i, k in enumerate(kept) if k["sku"] not in live_skus and k["line_id"]]
    new = [(sku, q) for sku, q in left_over.items() if sku not in captured]
    if len(stale) == 1 and len(new) == 1 and room[stale[0]] > 0:
        take = min(new[0][1], room[stale[0]])
        out.append((str(kept[stale[0]]["line_id"]), take))
    return out


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
            kept = store.channel_order_lines_of(conn, order.channel, order.external_id)
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
            line_items=platform_lines(
                kept,
                [(ln.sku, ln.quantity) for ln in shipment.lines],
                {ln.sku for ln in order.lines if ln.quantity > ln.quantity_cancelled},
            ),
            shipment_id=shipment_id,
            package=made.index(shipment_id) + 1 if shipment_id in made else None,
            carrier_name=label.carrier_name
            if label is not None and label.tracking_number == shipment.tracking_number
            else None,
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
