"""Reading orders back as views (one query per table, however many orders)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from podium import shipments
from podium.db.database import as_utc
from podium.orders import _store as store
from podium.orders.handover import handed_over_of
from podium.orders.model import (
    HoldView,
    LineView,
    OrderView,
    money,
    taxes_included_of,
)
from podium.orders.status import derive_fulfilment_status
from podium.shipments import SHIPPED_STATUSES, Shipment, ShipmentLine, ShipmentStatus, shipment_view

__all__ = ["assemble_view", "order_views"]


def order_views(conn: Connection, rows: Sequence[Mapping[Any, Any]]) -> list[OrderView]:
    if not rows:
        return []
    ids = [r["id"] for r in rows]
    lines_by_order: dict[str, list[sa.RowMapping]] = defaultdict(list)
    for ln in store.lines(conn, ids):
        lines_by_order[ln["order_id"]].append(ln)
    holds_by_order: dict[str, list[sa.RowMapping]] = defaultdict(list)
    for h in store.holds(conn, ids):
        holds_by_order[h["order_id"]].append(h)
    ship_rows = shipments.shipments_for_orders(conn, ids)
    ship_lines: dict[str, list[ShipmentLine]] = defaultdict(list)
    for sl in shipments.lines_for(conn, [s.id for s in ship_rows]):
        ship_lines[sl.shipment_id].append(sl)
    ships_by_order: dict[str, list[Shipment]] = defaultdict(list)
    for s in ship_rows:
        ships_by_order[s.order_id].append(s)
    return [
        assemble_view(
            r, lines_by_order[r["id"]], holds_by_order[r["id"]], ships_by_order[r["id"]], ship_lines
        )
        for r in rows
    ]


def assemble_view(
    row: Mapping[Any, Any],
    lines: Sequence[Mapping[Any, Any]],
    holds: Sequence[Mapping[Any, Any]],
    ships: Sequence[Shipment],
    ship_lines: Mapping[str, Sequence[ShipmentLine]],
) -> OrderView:
    """An order's view from its rows (as read back, or as just written)."""
    cur = row["currency"]
    allocated: dict[int, int] = defaultdict(int)
    shipped: dict[int, int] = defaultdict(int)
    delivered: dict[int, int] = defaultdict(int)
    for s in ships:
        status = ShipmentStatus(s.status)
        if status is ShipmentStatus.CANCELLED:
            continue
        for sl in ship_lines[s.id]:
            allocated[sl.line_no] += sl.quantity
            if status in SHIPPED_STATUSES:
                shipped[sl.line_no] += sl.quantity
            if status is ShipmentStatus.DELIVERED:
                delivered[sl.line_no] += sl.quantity
    line_views = [
        LineView(
            line_no=ln["line_no"],
            sku=ln["sku"],
            name=ln["name"],
            quantity=ln["quantity"],
            unit_price=money(ln["unit_price"], cur),
            total=money(ln["unit_price"] * ln["quantity"], cur),
            quantity_allocated=allocated[ln["line_no"]],
            quantity_backordered=max(
                0, ln["quantity"] - ln["quantity_cancelled"] - allocated[ln["line_no"]]
            ),
            quantity_shipped=shipped[ln["line_no"]],
            quantity_cancelled=ln["quantity_cancelled"],
        )
        for ln in lines
    ]
    wanted = sum(ln["quantity"] - ln["quantity_cancelled"] for ln in lines)
    address = dict(row["shipping_address"])
    handed_over = handed_over_of(row["tags"])
    fulfilment = derive_fulfilment_status(wanted, sum(shipped.values()), sum(delivered.values()))
    if handed_over == "by_channel" and not ships and row["status"] != "cancelled":
        fulfilment = "fulfilled_by_channel"
    return OrderView(
        id=row["id"],
        number=row["number"],
        channel=row["channel"],
        external_id=row["external_id"],
        status=row["status"],
        currency=cur,
        subtotal=money(row["subtotal"], cur),
        shipping_total=money(row["shipping_total"], cur),
        tax_total=money(row["tax_total"], cur),
        discount_total=money(row["discount_total"], cur),
        total=money(row["total"], cur),
        customer={
            "email": row["customer_email"],
            "name": row["customer_name"],
            "phone": row["customer_phone"],
        },
        shipping_address=address,
        lines=line_views,
        shipments=[shipment_view(s, list(ship_lines[s.id])) for s in ships],
        tags=list(row["tags"]),
        holds=[
            HoldView(
                id=h["id"],
                reason=h["reason"],
                note=h["note"],
                created_at=as_utc(h["created_at"]),
                created_by=h["created_by"],
            )
            for h in holds
        ],
        payment_status=row["payment_status"],
        fulfillment_status=fulfilment,
        placed_at=as_utc(row["placed_at"]),
        created_at=as_utc(row["created_at"]),
        updated_at=as_utc(row["updated_at"]),
        promised_date=row.get("promised_date"),
        service_level=row.get("service_level"),
        priority=row.get("priority"),
        taxes_included=taxes_included_of(row),
        handed_over=handed_over,
        billing_address=row.get("billing_address"),
        client_ip=row.get("client_ip"),
        risk=row.get("risk"),
    )
