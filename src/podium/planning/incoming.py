"""Incoming stock: units on open purchase orders (draft, sent, partially received) and on
transfers in transit, per SKU × destination warehouse with the day they are expected."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import Connection

from podium.db.database import Database
from podium.planning import _po_store as store
from podium.planning.po_views import IncomingView
from podium.planning.purchase_model import OPEN_PO, OPEN_TRANSFER

__all__ = ["incoming", "incoming_by_key"]


def _rows(conn: Connection, skus: list[str] | None) -> list[IncomingView]:
    found = store.open_units(conn, store.PO, [s.value for s in OPEN_PO], skus)
    found += store.open_units(conn, store.TRANSFER, [s.value for s in OPEN_TRANSFER], skus)
    return [
        IncomingView(sku=s, warehouse=w, quantity=q, expected_on=d, document=n)
        for s, w, q, d, n in found
    ]


def incoming_by_key(conn: Connection, skus: list[str] | None) -> dict[tuple[str, str], int]:
    """Open units per (sku, warehouse), for the replenishment position."""
    total: dict[tuple[str, str], int] = defaultdict(int)
    for row in _rows(conn, skus):
        total[(row.sku, row.warehouse)] += row.quantity
    return dict(total)


def incoming(
    db: Database, sku: str | None = None, warehouse: str | None = None
) -> list[IncomingView]:
    """What is on its way, soonest first (undated transfers last)."""
    with db.read() as conn:
        rows = _rows(conn, [sku] if sku is not None else None)
    if warehouse is not None:
        rows = [r for r in rows if r.warehouse == warehouse]
    return sorted(
        rows,
        key=lambda r: (
            r.expected_on is None,
            r.expected_on or date.min,
            r.sku,
            r.warehouse,
            r.document,
        ),
    )
