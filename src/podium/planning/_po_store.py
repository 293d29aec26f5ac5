"""SQL for purchase orders, transfers and their receipts (``planning_purchase_orders``,
``planning_po_lines``, ``planning_transfers``, ``planning_transfer_lines``,
``planning_receipts``). Both kinds of document share the shape: a header keyed by ``number``
and lines keyed by (number, sku) with ``quantity`` and ``received``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from podium.db.database import utcnow
from podium.db.tables import (
    planning_po_lines,
    planning_purchase_orders,
    planning_receipts,
    planning_transfer_lines,
    planning_transfers,
)

__all__ = [
    "PO",
    "TRANSFER",
    "Kind",
    "add_receipt",
    "book",
    "document",
    "documents",
    "insert",
    "lines",
    "lock",
    "next_number",
    "open_units",
    "receipt",
    "set_status",
]


class Kind:
    def __init__(self, head: sa.Table, body: sa.Table, lock_id: int, prefix: str) -> None:
        self.head, self.body, self.lock_id, self.prefix = head, body, lock_id, prefix


# The advisory lock ids are arbitrary constants, unique to these two counters.
PO = Kind(planning_purchase_orders, planning_po_lines, 0x504F_0016, "PO")
TRANSFER = Kind(planning_transfers, planning_transfer_lines, 0x5452_0016, "TR")


def next_number(conn: Connection, kind: Kind) -> str:
    """PO-000001, TR-000001…: one past the highest so far. Creating is serialised: SQLite's
    write transaction is exclusive, and on PostgreSQL a transaction-scoped advisory lock per
    kind stands in (released at commit)."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.select(sa.func.pg_advisory_xact_lock(kind.lock_id)))
    n = kind.head.c.number
    highest = conn.execute(sa.select(sa.func.max(n))).scalar()
    value = int(highest.rpartition("-")[2]) + 1 if highest else 1
    return f"{kind.prefix}-{value:06d}"


def insert(
    conn: Connection, kind: Kind, head: Mapping[str, Any], rows: Iterable[Mapping[str, Any]]
) -> None:
    conn.execute(kind.head.insert(), dict(head))
    conn.execute(kind.body.insert(), [{**r, "number": head["number"]} for r in rows])


def document(conn: Connection, kind: Kind, number: str) -> sa.RowMapping | None:
    query = sa.select(kind.head).where(kind.head.c.number == number)
    return conn.execute(query).mappings().first()


def lock(conn: Connection, kind: Kind, number: str) -> sa.RowMapping | None:
    """The header, locked for this transaction: an update first (which locks the row on
    PostgreSQL; SQLite's write transaction is already exclusive), then the read."""
    done = conn.execute(
        kind.head.update().where(kind.head.c.number == number).values(updated_at=utcnow())
    )
    return document(conn, kind, number) if done.rowcount else None


def documents(
    conn: Connection, kind: Kind, filters: Mapping[str, Any], after: str | None, limit: int
) -> list[sa.RowMapping]:
    query = sa.select(kind.head).order_by(kind.head.c.number).limit(limit)
    for name, value in filters.items():
        if value is not None:
            query = query.where(kind.head.c[name] == value)
    if after is not None:
        query = query.where(kind.head.c.number > after)
    return list(conn.execute(query).mappings())


def lines(conn: Connection, kind: Kind, numbers: Iterable[str]) -> dict[str, list[sa.RowMapping]]:
    wanted = sorted(set(numbers))
    out: dict[str, list[sa.RowMapping]] = {n: [] for n in wanted}
    if not wanted:
        return out
    b = kind.body.c
    query = sa.select(kind.body).where(b.number.in_(wanted)).order_by(b.number, b.sku)
    for row in conn.execute(query).mappings():
        out[row["number"]].append(row)
    return out


def set_status(conn: Connection, kind: Kind, number: str, status: str, **values: Any) -> None:
    conn.execute(
        kind.head.update()
        .where(kind.head.c.number == number)
        .values(status=status, updated_at=utcnow(), **values)
    )


def book(conn: Connection, kind: Kind, number: str, booked: Mapping[str, int]) -> None:
    """Add received units to the lines (one executemany)."""
    b = kind.body.c
    statement = (
        kind.body.update()
        .where(b.number == sa.bindparam("n"), b.sku == sa.bindparam("s"))
        .values(received=b.received + sa.bindparam("u", type_=sa.Integer))
    )
    rows = [{"n": number, "s": sku, "u": units} for sku, units in sorted(booked.items())]
    if rows:
        conn.execute(statement, rows)


def receipt(conn: Connection, number: str, key: str) -> sa.RowMapping | None:
    r = planning_receipts.c
    query = sa.select(planning_receipts).where(r.document == number, r.key == key)
    return conn.execute(query).mappings().first()


def add_receipt(
    conn: Connection, number: str, key: str, booked: Mapping[str, int], actor: str
) -> None:
    conn.execute(
        planning_receipts.insert(),
        {"document": number, "key": key, "lines": dict(booked), "actor": actor, "at": utcnow()},
    )


def open_units(
    conn: Connection, kind: Kind, statuses: Iterable[str], skus: Iterable[str] | None
) -> list[tuple[str, str, int, Any, str]]:
    """(sku, destination warehouse, units not yet received, expected day, number) of open
    documents."""
    h, b = kind.head.c, kind.body.c
    where = h.warehouse if kind is PO else h.target
    query = (
        sa.select(b.sku, where, b.quantity - b.received, h.expected_on, h.number)
        .join(kind.head, h.number == b.number)
        .where(h.status.in_(list(statuses)), b.quantity > b.received)
    )
    if skus is not None:
        query = query.where(b.sku.in_(sorted(set(skus))))
    return [
        (r[0], r[1], int(r[2]), r[3], r[4]) for r in conn.execute(query.order_by(b.sku, h.number))
    ]
