"""An order's money and shipped units, for returns, refunds, payments and reports.

Other capabilities read an order through this module rather than the orders tables. "Shipped"
means on a shipment whose ``shipped_at`` is set, whatever status the shipment has reached since
(in transit, delivered…).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import Connection

from podium import shipments
from podium.db.database import as_utc
from podium.db.tables import orders
from podium.errors import NotFound
from podium.orders import _store as store
from podium.orders.model import taxes_included_of
from podium.orders.money import OrderMoney, PricedLine

__all__ = ["OrderFacts", "order_facts", "order_for_customer"]


@dataclass(frozen=True, slots=True)
class OrderFacts:
    id: str
    number: str
    channel: str
    status: str
    currency: str
    total: int
    customer_email: str | None
    money: OrderMoney
    cancelled: dict[int, int]
    shipped_by_sku: dict[str, int]
    shipped_from: dict[str, str]  # sku -> the warehouse that shipped it (first shipment)
    last_shipped_at: datetime | None


def order_facts(conn: Connection, order_id: str) -> OrderFacts:
    row = store.order(conn, order_id)
    if row is None:
        raise NotFound(f"No order {order_id}.", code="order_not_found")
    lines = store.lines(conn, [order_id])
    ships = [
        s for s in shipments.shipments_for_orders(conn, [order_id]) if s.shipped_at is not None
    ]
    warehouse = {s.id: s.warehouse for s in ships}
    shipped: dict[str, int] = defaultdict(int)
    shipped_from: dict[str, str] = {}
    for sl in shipments.lines_for(conn, [s.id for s in ships]):
        shipped[sl.sku] += sl.quantity
        shipped_from.setdefault(sl.sku, warehouse[sl.shipment_id])
    last = max((as_utc(s.shipped_at) for s in ships if s.shipped_at), default=None)
    return OrderFacts(
        id=row["id"],
        number=row["number"],
        channel=row["channel"],
        status=row["status"],
        currency=row["currency"],
        total=row["total"],
        customer_email=row["customer_email"],
        money=OrderMoney(
            row["currency"],
            tuple(
                PricedLine(
                    ln["line_no"],
                    ln["sku"],
                    ln["quantity"] - ln["quantity_cancelled"],
                    ln["unit_price"],
                )
                for ln in lines
                if ln["quantity"] > ln["quantity_cancelled"]
            ),
            row["discount_total"],
            row["tax_total"],
            row["shipping_total"],
            taxes_included_of(row),
        ),
        cancelled={ln["line_no"]: ln["quantity_cancelled"] for ln in lines},
        shipped_by_sku=dict(shipped),
        shipped_from=shipped_from,
        last_shipped_at=last,
    )


def order_for_customer(conn: Connection, number: str, email: str) -> str | None:
    """The id of order ``number`` if it belongs to ``email`` (case-insensitive), else None."""
    query = sa.select(orders.c.id, orders.c.customer_email).where(orders.c.number == number)
    row = conn.execute(query).first()
    if row is None or not row[1] or row[1].lower() != email.strip().lower():
        return None
    return str(row[0])
