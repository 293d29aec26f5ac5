"""The shipment reads behind lists and counts: the warehouse view's keyset page, open and late
counts, and the SELECTs the order queue filters by (private: other packages go through
``service``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from podium.db.tables.shipments import shipments
from podium.shipments.model import OPEN_STATUSES

__all__ = ["count_late", "late_order_ids", "open_counts", "open_page", "order_ids_at"]


def order_ids_at(warehouse: str) -> sa.Select[Any]:
    """A SELECT of the ids of orders with a shipment from ``warehouse`` (for a filter)."""
    return sa.select(shipments.c.order_id).where(shipments.c.warehouse == warehouse)


def late_order_ids(today: date, past_promise: sa.Select[Any]) -> sa.Select[Any]:
    """A SELECT of the ids of orders with an open shipment past its promise: its own
    ``promised_by`` before ``today``, or none of its own and its order in ``past_promise`` (a
    SELECT of open order ids whose promised date has passed, which the order side builds)."""
    open_ = sorted(s.value for s in OPEN_STATUSES)
    own = sa.select(shipments.c.order_id).where(
        shipments.c.status.in_(open_), shipments.c.promised_by < today
    )
    by_order = sa.select(shipments.c.order_id).where(
        shipments.c.order_id.in_(past_promise),
        shipments.c.status.in_(open_),
        shipments.c.promised_by.is_(None),
    )
    return sa.union(own, by_order)  # type: ignore[return-value]


def _open() -> list[str]:
    return sorted(s.value for s in OPEN_STATUSES)


def open_counts(conn: Connection, warehouse: str | None) -> dict[str, int]:
    """Open shipments per status (of one warehouse, or all); absent statuses left out."""
    stmt = (
        sa.select(shipments.c.status, sa.func.count())
        .where(shipments.c.status.in_(_open()))
        .group_by(shipments.c.status)
    )
    if warehouse:
        stmt = stmt.where(shipments.c.warehouse == warehouse)
    return {str(s): int(n) for s, n in conn.execute(stmt)}


def count_late(conn: Connection, today: date, past_promise: sa.Select[Any]) -> int:
    """Open shipments past their own promise, plus open ones without a promise of their own
    whose order is in ``past_promise`` (two index range scans, summed: they are disjoint)."""
    own = sa.select(shipments.c.id).where(
        shipments.c.status.in_(_open()), shipments.c.promised_by < today
    )
    by_order = sa.select(shipments.c.id).where(
        shipments.c.order_id.in_(past_promise),
        shipments.c.status.in_(_open()),
        shipments.c.promised_by.is_(None),
    )
    return sum(
        int(conn.execute(sa.select(sa.func.count()).select_from(q.subquery())).scalar_one())
        for q in (own, by_order)
    )


def open_page(
    conn: Connection,
    statuses: Sequence[str],
    warehouse: str | None,
    *,
    limit: int,
    after: tuple[datetime, str] | None,
    before: tuple[datetime, str] | None,
) -> list[sa.RowMapping]:
    """Shipments in ``statuses`` keyset-paged on (created_at, id), returned oldest first."""
    stmt = sa.select(shipments).where(shipments.c.status.in_(statuses)).limit(limit)
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
    rows = list(conn.execute(stmt).mappings())
    if before is not None:
        rows.reverse()
    return rows
