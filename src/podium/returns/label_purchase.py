"""Buying a return label: where the parcel goes back to, what it weighs, rate shopping
through the carrier interface, and the label stored on the return (one write)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from podium import catalog, orders, shipments
from podium.carriers import Carrier, CarrierError, Carriers, CarrierUnavailable, RateRequest, shop
from podium.db.database import Database
from podium.errors import Conflict, NotFound, ValidationFailed
from podium.ids import new_id
from podium.money import format_amount
from podium.orders import require_order
from podium.returns import _label_store as label_store
from podium.returns import _store as store
from podium.returns.events import ReturnLabelCreated
from podium.returns.labels import ReturnLabelIn, ReturnLabelView, label_view
from podium.returns.model import ReturnStatus, return_policy
from podium.returns.service import locked_return

__all__ = ["buy_return_label"]

log = logging.getLogger("podium.returns.labels")
DEFAULT_WEIGHT_GRAMS = 500


def _labellable(conn: Connection, return_id: str) -> sa.RowMapping:
    row = store.return_row(conn, return_id)
    if row is None:
        raise NotFound(f"No return {return_id}.", code="return_not_found")
    if row["status"] != ReturnStatus.APPROVED:
        raise Conflict(
            f"Only an approved return gets a label; this one is {row['status']}.",
            code="return_not_approved",
            details={"return_id": return_id, "status": row["status"]},
        )
    if label_store.current_label(conn, return_id) is not None:
        raise Conflict(
            "This return already has a label; void it first.",
            code="label_exists",
            details={"return_id": return_id},
        )
    return row


def _warehouse_for(
    conn: Connection, order: Mapping[Any, Any], skus: set[str], wanted: str | None
) -> str:
    """The body's warehouse, else the channel's return policy's, else the one that shipped
    the returned units (the first such parcel)."""
    if wanted is None:
        wanted = return_policy(catalog.channel_settings(conn, order["channel"]) or {}).warehouse
    if wanted is not None:
        if catalog.warehouse(conn, wanted) is None:
            raise ValidationFailed(
                f"Unknown warehouse {wanted}.",
                code="unknown_warehouse",
                details={"field": "warehouse"},
            )
        return wanted
    parcels = [
        s for s in shipments.shipments_for_orders(conn, [order["id"]]) if s.shipped_at is not None
    ]
    carrying = {
        ln.shipment_id
        for ln in shipments.lines_for(conn, [s.id for s in parcels])
        if ln.sku in skus
    }
    for s in sorted(parcels, key=lambda s: (s.id not in carrying, s.id)):
        return str(s.warehouse)
    raise Conflict(
        "Nothing on this order was shipped from a warehouse; name one.",
        code="no_return_warehouse",
        details={"field": "warehouse"},
    )


def _request(db: Database, return_id: str, data: ReturnLabelIn) -> tuple[RateRequest, str]:
    with db.read() as conn:
        _labellable(conn, return_id)
        row = store.return_row(conn, return_id)
        if row is None:
            raise RuntimeError(f"return {return_id} not found")
        order = require_order(conn, row["order_id"])
        lines = store.return_lines_for(conn, [return_id])
        products = catalog.products_by_sku(conn, [ln["sku"] for ln in lines])
        code = _warehouse_for(conn, order, {ln["sku"] for ln in lines}, data.warehouse)
        warehouse = catalog.warehouse(conn, code)
    if warehouse is None:
        raise RuntimeError(f"warehouse {code} not found")
    weight = (
        sum(
            (products[ln["sku"]].weight_grams or 0) * ln["quantity"]
            for ln in lines
            if ln["sku"] in products
        )
        or DEFAULT_WEIGHT_GRAMS
    )
    request = RateRequest(
        reference=f"{order['number']} {return_id}",
        from_name=order["customer_name"] or "",
        from_address=dict(order["shipping_address"]),
        to_name=warehouse.name,
        to_address=warehouse.address.model_dump(),
        weight_grams=weight,
        currency=order["currency"],
        is_return=True,
    )
    return request, code


def buy_return_label(
    db: Database, carriers: Carriers, return_id: str, data: ReturnLabelIn, actor: str
) -> ReturnLabelView:
    """Buy the label an approved return is sent back with: the named carrier and service, or
    the cheapest rate across carriers. Its tracking number is stored on the return."""
    request, warehouse = _request(db, return_id, data)
    rate, carrier = shop(db, carriers, request, data.carrier, data.service, None)
    for _attempt in range(3):
        try:
            purchase = carrier.buy(request, rate)
        except CarrierError as exc:
            raise CarrierUnavailable.of(exc, {"carrier": rate.carrier}) from exc
        try:
            with db.write() as conn:
                order, _row = locked_return(conn, return_id)
                _labellable(conn, return_id)  # nobody labelled or moved it meanwhile
                label_store.insert_label(
                    conn,
                    {
                        "id": new_id("rlb"),
                        "return_id": return_id,
                        "warehouse": warehouse,
                        "carrier": rate.carrier,
                        "carrier_name": rate.carrier_name,
                        "service": rate.service,
                        "tracking_number": purchase.tracking_number,
                        "rate_amount": rate.amount,
                        "currency": rate.currency,
                        "transit_days": rate.transit_days,
                        "weight_grams": request.weight_grams,
                        "external_id": purchase.external_id,
                        "label_url": purchase.label_url,
                        "tracking_url": purchase.tracking_url,
                        "created_by": actor,
                    },
                )
                store.update_return(
                    conn,
                    return_id,
                    {"carrier": rate.carrier, "tracking_number": purchase.tracking_number},
                )
                price = format_amount(rate.amount, rate.currency)
                facts = {
                    "return_id": return_id,
                    "carrier": rate.carrier,
                    "service": rate.service,
                    "tracking_number": purchase.tracking_number,
                    "rate": price,
                    "currency": rate.currency,
                    "warehouse": warehouse,
                }
                orders.record(
                    conn,
                    order,
                    actor,
                    "return.label_created",
                    f"Return label for {return_id}: {rate.carrier_name} {rate.service}, "
                    f"{rate.currency} {price}, tracking {purchase.tracking_number}, "
                    f"back to {warehouse}.",
                    facts,
                    event=ReturnLabelCreated(
                        id=order["id"],
                        number=order["number"],
                        return_id=return_id,
                        carrier=rate.carrier,
                        service=rate.service,
                        tracking_number=purchase.tracking_number,
                        rate=price,
                        currency=rate.currency,
                        warehouse=warehouse,
                    ),
                )
                row = label_store.current_label(conn, return_id)
        except IntegrityError:
            continue  # a tracking number drawn twice: draw again
        except Conflict:
            _void_quietly(carrier, purchase.tracking_number, purchase.external_id)
            raise
        if row is None:
            raise RuntimeError(f"label of return {return_id} not found after it was stored")
        return label_view(row)
    raise CarrierUnavailable("Could not get a unique tracking number.")


def _void_quietly(carrier: Carrier, tracking_number: str, external_id: str | None) -> None:
    try:
        carrier.void(tracking_number, external_id)
    except CarrierError as exc:
        log.warning("voiding unused return label %s failed: %s", tracking_number, exc)
