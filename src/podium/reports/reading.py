"""What every report reads: the range as UTC instants, order lines sold in it, and which
units left from one warehouse (through the shipments' public names)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import Connection

from podium import shipments
from podium.orders import SalesLine
from podium.reports.model import ReportQuery
from podium.shipments import Shipment, ShipmentStatus

__all__ = ["CHUNK", "chunks", "from_warehouse", "live_shipments", "shipped_units", "window"]

CHUNK = 1000


def window(q: ReportQuery) -> tuple[datetime, datetime]:
    """[first day 00:00 UTC, the day after the last 00:00 UTC)."""
    start = datetime.combine(q.first, time(), tzinfo=UTC)
    return start, datetime.combine(q.last, time(), tzinfo=UTC) + timedelta(days=1)


def chunks(ids: Sequence[str]) -> Iterator[list[str]]:
    for i in range(0, len(ids), CHUNK):
        yield list(ids[i : i + CHUNK])


def live_shipments(conn: Connection, order_ids: Sequence[str]) -> list[Shipment]:
    """The orders' shipments that were not cancelled."""
    found: list[Shipment] = []
    for part in chunks(sorted(set(order_ids))):
        found += [
            s
            for s in shipments.shipments_for_orders(conn, part)
            if s.status != ShipmentStatus.CANCELLED
        ]
    return found


def shipped_units(
    conn: Connection, order_ids: Sequence[str], warehouse: str
) -> dict[tuple[str, str], int]:
    """Units per (order, SKU) that the live shipments from ``warehouse`` carry."""
    of_order = {
        s.id: s.order_id for s in live_shipments(conn, order_ids) if s.warehouse == warehouse
    }
    units: dict[tuple[str, str], int] = defaultdict(int)
    ids = list(of_order)
    for part in chunks(ids):
        for ln in shipments.lines_for(conn, part):
            units[(of_order[ln.shipment_id], ln.sku)] += ln.quantity
    return units


def from_warehouse(conn: Connection, lines: list[SalesLine], warehouse: str) -> list[SalesLine]:
    """The lines cut to the units the warehouse's live shipments carry (lines of one SKU in an
    order take those units in line order); lines it carries none of are left out."""
    left = shipped_units(conn, [ln.order_id for ln in lines], warehouse)
    out = []
    for ln in lines:
        take = min(ln.quantity, left.get((ln.order_id, ln.sku), 0))
        if take > 0:
            left[(ln.order_id, ln.sku)] -= take
            out.append(replace(ln, quantity=take))
    return out
