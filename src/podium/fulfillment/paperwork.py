"""Gathering what the warehouse documents show: packing slips, and what left on a day."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from podium import catalog, shipments
from podium.db.database import Database, as_utc
from podium.errors import NotFound
from podium.fulfillment.documents import PackingSlipDoc
from podium.orders import order_lines, order_numbers, require_order
from podium.shipments import Shipment

__all__ = ["address_lines", "packing_slip_document", "shipped_on", "weights"]


def address_lines(name: str | None, a: dict[str, object]) -> list[str]:
    city = " ".join(str(x) for x in (a.get("city"), a.get("region"), a.get("postal_code")) if x)
    parts = [name, a.get("company"), a.get("line1"), a.get("line2"), city, a.get("country")]
    return [str(p) for p in parts if p]


def packing_slip_document(db: Database, shipment_id: str) -> PackingSlipDoc:
    with db.read() as conn:
        shipment = shipments.get_shipment(conn, shipment_id)
        if shipment is None:
            raise NotFound(f"No shipment {shipment_id}.", code="shipment_not_found")
        order = require_order(conn, shipment.order_id)
        lines = shipments.lines_for(conn, [shipment_id])
        names = {ln.line_no: ln.name for ln in order_lines(conn, [shipment.order_id])}
    return PackingSlipDoc(
        order_number=order["number"],
        shipment_id=shipment_id,
        warehouse=shipment.warehouse,
        placed_on=as_utc(order["placed_at"]).strftime("%Y-%m-%d"),
        ship_to=address_lines(order["customer_name"], dict(order["shipping_address"])),
        lines=[(ln.sku, names.get(ln.line_no, ln.sku), ln.quantity) for ln in lines],
        tracking_number=shipment.tracking_number,
    )


def shipped_on(db: Database, code: str, day: date) -> list[tuple[Shipment, str]]:
    """Shipments that left the warehouse on ``day`` (UTC), with their order numbers."""
    catalog.get_warehouse(db, code)
    start = datetime.combine(day, time(0), tzinfo=UTC)
    with db.read() as conn:
        rows = shipments.shipped_between(conn, code, start, start + timedelta(days=1))
        numbers = order_numbers(conn, sorted({r.order_id for r in rows}))
    return [(r, numbers[r.order_id]) for r in rows]


def weights(db: Database, shipment_ids: list[str]) -> dict[str, int]:
    """Catalogue weight of each shipment's contents, in grams."""
    with db.read() as conn:
        lines = shipments.lines_for(conn, shipment_ids)
        products = catalog.products_by_sku(conn, sorted({ln.sku for ln in lines}))
    out: dict[str, int] = dict.fromkeys(shipment_ids, 0)
    for ln in lines:
        p = products.get(ln.sku)
        out[ln.shipment_id] += (p.weight_grams or 0) * ln.quantity if p else 0
    return out
