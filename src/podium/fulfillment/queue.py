"""Shipments waiting to leave a warehouse (the warehouse view) and the late ones (home, queue).

A shipment is *late* when it is still open (pending, released, picking or packed) after the
day it was promised: ``shipments.promised_by`` when set, else the order's ``promised_date``
(which placement always sets, from the intake or the service level). Both reads walk indexes
on (status, promise), so their cost follows the number of late shipments, not of orders.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from podium import shipments as shipment_records
from podium.db.database import Database, as_utc
from podium.fulfillment import _store as wstore
from podium.orders import briefs, past_promise_ids
from podium.shipments import OPEN_STATUSES, ShipmentStatus

__all__ = [
    "OPEN",
    "PickListSummary",
    "ShipKey",
    "ToShip",
    "late_shipments",
    "open_counts",
    "recent_pick_lists",
    "to_ship",
]

OPEN = tuple(s.value for s in ShipmentStatus if s in OPEN_STATUSES)  # in walking order
ShipKey = tuple[datetime, str]  # (created_at, id): the order the warehouse view walks


@dataclass(frozen=True, slots=True)
class ToShip:
    id: str
    order_id: str
    number: str
    order_status: str
    warehouse: str
    status: str
    created_at: datetime
    customer: str | None
    lines: list[tuple[str, int, str]]  # sku, quantity, bin ("" when none is set)
    promised: date | None = None
    late: bool = False
    tracking_number: str | None = None
    carrier: str | None = None


def _today(now: datetime | None) -> date:
    return (now or datetime.now(UTC)).astimezone(UTC).date()


def late_shipments(db: Database, now: datetime | None = None) -> int:
    """Open shipments past their promise (two index range scans, summed: they are disjoint)."""
    today = _today(now)
    with db.read() as conn:
        return shipment_records.count_late(conn, today, past_promise_ids(today))


def open_counts(db: Database, warehouse: str | None = None) -> dict[str, int]:
    """Open shipments per status (of one warehouse, or all), every open status present."""
    with db.read() as conn:
        found = shipment_records.open_counts(conn, warehouse)
    return {s: found.get(s, 0) for s in OPEN}


def to_ship(
    db: Database,
    warehouse: str | None = None,
    *,
    statuses: Sequence[str] = OPEN,
    limit: int = 100,
    now: datetime | None = None,
    after: ShipKey | None = None,
    before: ShipKey | None = None,
) -> list[ToShip]:
    """Open shipments (oldest first) in ``statuses``, optionally of one warehouse, with their
    lines, bins (when one warehouse is shown), promise and lateness.

    Pages by keyset on (created_at, id): ``after`` the last of a page for the next one,
    ``before`` the first of a page for the previous one (still returned oldest first)."""
    wanted = [s for s in statuses if s in OPEN] or list(OPEN)
    lines: dict[str, list[tuple[str, int]]] = defaultdict(list)
    with db.read() as conn:
        ships = shipment_records.open_page(
            conn, wanted, warehouse, limit=limit, after=after, before=before
        )
        of_order = briefs(conn, [s.order_id for s in ships])
        for ln in shipment_records.lines_for(conn, [s.id for s in ships]):
            lines[ln.shipment_id].append((ln.sku, ln.quantity))
        skus = sorted({sku for found in lines.values() for sku, _ in found})
        bins = wstore.bins(conn, warehouse, skus) if warehouse else {}
    today = _today(now)
    out = []
    for s in ships:
        order = of_order[s.order_id]
        promised = s.promised_by or order.promised_date
        out.append(
            ToShip(
                s.id,
                s.order_id,
                order.number,
                order.status,
                s.warehouse,
                s.status,
                as_utc(s.created_at),
                order.customer,
                [(sku, qty, bins.get(sku, "")) for sku, qty in lines[s.id]],
                promised=promised,
                late=promised is not None and promised < today,
                tracking_number=s.tracking_number,
                carrier=s.carrier,
            )
        )
    return out


@dataclass(frozen=True, slots=True)
class PickListSummary:
    id: str
    created_at: datetime
    created_by: str
    shipments: int


def recent_pick_lists(db: Database, warehouse: str, *, limit: int = 8) -> list[PickListSummary]:
    """A warehouse's newest pick lists, to print again."""
    with db.read() as conn:
        rows = wstore.pick_lists_of(conn, warehouse, limit=limit)
    return [
        PickListSummary(
            r["id"], as_utc(r["created_at"]), r["created_by"], len(r["shipment_ids"] or [])
        )
        for r in rows
    ]
