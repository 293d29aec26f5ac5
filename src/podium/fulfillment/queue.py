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
from typing import Any

import sqlalchemy as sa

from podium.db.database import Database, as_utc
from podium.db.tables import orders, shipment_lines, shipments
from podium.fulfillment import _store as wstore
from podium.orders.status import OrderStatus
from podium.shipments.model import OPEN_STATUSES, ShipmentStatus

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
# An order with an open shipment is in one of these (shipped/delivered/cancelled have none).
_ORDER_OPEN = tuple(
    s.value
    for s in (
        OrderStatus.PENDING,
        OrderStatus.READY,
        OrderStatus.ON_HOLD,
        OrderStatus.PARTIALLY_SHIPPED,
    )
)


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


def _late_own(today: date) -> sa.Select[Any]:
    """Open shipments with a promise of their own that has passed."""
    return sa.select(shipments.c.id, shipments.c.order_id).where(
        shipments.c.status.in_(OPEN), shipments.c.promised_by < today
    )


def _late_by_order(today: date) -> sa.Select[Any]:
    """Open shipments without a promise of their own whose order's promise has passed."""
    return (
        sa.select(shipments.c.id, shipments.c.order_id)
        .select_from(orders)
        .join(shipments, shipments.c.order_id == orders.c.id)
        .where(
            orders.c.status.in_(_ORDER_OPEN),
            orders.c.promised_date < today,
            shipments.c.status.in_(OPEN),
            shipments.c.promised_by.is_(None),
        )
    )


def late_shipments(db: Database, now: datetime | None = None) -> int:
    """Open shipments past their promise (two index range scans, summed: they are disjoint)."""
    today = _today(now)
    with db.read() as conn:
        return sum(
            int(conn.execute(sa.select(sa.func.count()).select_from(q.subquery())).scalar_one())
            for q in (_late_own(today), _late_by_order(today))
        )


def open_counts(db: Database, warehouse: str | None = None) -> dict[str, int]:
    """Open shipments per status (of one warehouse, or all), every open status present."""
    stmt = (
        sa.select(shipments.c.status, sa.func.count())
        .where(shipments.c.status.in_(OPEN))
        .group_by(shipments.c.status)
    )
    if warehouse:
        stmt = stmt.where(shipments.c.warehouse == warehouse)
    with db.read() as conn:
        found = {str(s): int(n) for s, n in conn.execute(stmt)}
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
    promised = sa.func.coalesce(shipments.c.promised_by, orders.c.promised_date)
    stmt = (
        sa.select(
            shipments.c.id,
            shipments.c.order_id,
            shipments.c.warehouse,
            shipments.c.status,
            shipments.c.created_at,
            shipments.c.tracking_number,
            shipments.c.carrier,
            orders.c.number,
            orders.c.status.label("order_status"),
            sa.func.coalesce(orders.c.customer_name, orders.c.customer_email).label("customer"),
            promised.label("promised"),
        )
        .join(orders, orders.c.id == shipments.c.order_id)
        .where(shipments.c.status.in_(wanted))
        .limit(limit)
    )
    key = sa.tuple_(shipments.c.created_at, shipments.c.id)
    if before is not None:
        stmt = stmt.where(key < sa.tuple_(*before))
        stmt = stmt.order_by(shipments.c.created_at.desc(), shipments.c.id.desc())
    else:
        if after is not None:
            stmt = stmt.where(key > sa.tuple_(*after))
        stmt = stmt.order_by(shipments.c.created_at, shipments.c.id)
    if warehouse:
        stmt = stmt.where(shipments.c.warehouse == warehouse)
    lines: dict[str, list[tuple[str, int]]] = defaultdict(list)
    with db.read() as conn:
        rows = list(conn.execute(stmt).mappings())
        if before is not None:
            rows.reverse()
        if rows:
            for ln in conn.execute(
                sa.select(shipment_lines)
                .where(shipment_lines.c.shipment_id.in_([r["id"] for r in rows]))
                .order_by(shipment_lines.c.shipment_id, shipment_lines.c.line_no)
            ).mappings():
                lines[ln["shipment_id"]].append((ln["sku"], ln["quantity"]))
        skus = sorted({sku for found in lines.values() for sku, _ in found})
        bins = wstore.bins(conn, warehouse, skus) if warehouse else {}
    today = _today(now)
    return [
        ToShip(
            r["id"],
            r["order_id"],
            r["number"],
            r["order_status"],
            r["warehouse"],
            r["status"],
            as_utc(r["created_at"]),
            r["customer"],
            [(sku, qty, bins.get(sku, "")) for sku, qty in lines[r["id"]]],
            promised=r["promised"],
            late=r["promised"] is not None and r["promised"] < today,
            tracking_number=r["tracking_number"],
            carrier=r["carrier"],
        )
        for r in rows
    ]


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
