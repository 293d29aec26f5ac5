"""SQL for returns, their lines, refunds and refund lines."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from podium.db.database import insert_many, utcnow
from podium.db.tables import (
    refund_lines,
    refunds,
    return_line_dispositions,
    return_lines,
    returns,
)
from podium.returns.dispositions import EFFECTS
from podium.returns.model import Disposition

__all__ = [
    "insert_refund",
    "insert_return",
    "link_channel_refund",
    "lock_return",
    "refund_by_channel_id",
    "refund_lines_for",
    "refund_row",
    "refunded_units",
    "refunds_between",
    "refunds_for",
    "return_lines_for",
    "return_row",
    "returned_units",
    "returns_for_order",
    "set_dispositions",
    "update_line",
    "update_return",
]


def insert_return(
    conn: Connection, header: dict[str, Any], lines: Sequence[dict[str, Any]]
) -> None:
    now = utcnow()
    insert_many(conn, returns, [{**header, "created_at": now, "updated_at": now}])
    insert_many(conn, return_lines, [{"quantity_received": 0, **ln} for ln in lines])


def return_row(conn: Connection, return_id: str) -> sa.RowMapping | None:
    return conn.execute(sa.select(returns).where(returns.c.id == return_id)).mappings().first()


def lock_return(conn: Connection, return_id: str) -> sa.RowMapping | None:
    query = sa.select(returns).where(returns.c.id == return_id).with_for_update()
    return conn.execute(query).mappings().first()


def returns_for_order(conn: Connection, order_id: str) -> list[sa.RowMapping]:
    query = sa.select(returns).where(returns.c.order_id == order_id).order_by(returns.c.id)
    return list(conn.execute(query).mappings())


def return_lines_for(conn: Connection, return_ids: Sequence[str]) -> list[dict[str, Any]]:
    """The lines, each with its units per disposition under the disposition's counter
    (``quantity_restocked``…, 0 when none)."""
    if not return_ids:
        return []
    query = (
        sa.select(return_lines)
        .where(return_lines.c.return_id.in_(return_ids))
        .order_by(return_lines.c.return_id, return_lines.c.line_no)
    )
    lines = [dict(r) for r in conn.execute(query).mappings()]
    d = return_line_dispositions.c
    counted: dict[tuple[str, int], dict[str, int]] = defaultdict(dict)
    rows = conn.execute(
        sa.select(d.return_id, d.line_no, d.disposition, d.quantity).where(
            d.return_id.in_(return_ids)
        )
    )
    for return_id, line_no, disposition, quantity in rows:
        counted[(return_id, line_no)][disposition] = quantity
    for ln in lines:
        found = counted.get((ln["return_id"], ln["line_no"]), {})
        for disposition, effect in EFFECTS.items():
            ln[effect.counter] = found.get(disposition.value, 0)
    return lines


def set_dispositions(
    conn: Connection, return_id: str, line_no: int, units: dict[Disposition, int]
) -> None:
    """Replace a line's units per disposition (dispositions with no units have no row)."""
    d = return_line_dispositions.c
    conn.execute(
        return_line_dispositions.delete().where(d.return_id == return_id, d.line_no == line_no)
    )
    rows = [
        {"return_id": return_id, "line_no": line_no, "disposition": k.value, "quantity": q}
        for k, q in units.items()
        if q > 0
    ]
    if rows:
        conn.execute(return_line_dispositions.insert(), rows)


def update_return(conn: Connection, return_id: str, values: dict[str, Any]) -> None:
    conn.execute(
        returns.update().where(returns.c.id == return_id).values(**values, updated_at=utcnow())
    )


def update_line(conn: Connection, return_id: str, line_no: int, values: dict[str, Any]) -> None:
    conn.execute(
        return_lines.update()
        .where(return_lines.c.return_id == return_id, return_lines.c.line_no == line_no)
        .values(**values)
    )


def returned_units(conn: Connection, order_id: str) -> dict[int, int]:
    """Units per order line on this order's returns that were not rejected."""
    query = (
        sa.select(return_lines.c.order_line_no, sa.func.sum(return_lines.c.quantity))
        .join(returns, returns.c.id == return_lines.c.return_id)
        .where(returns.c.order_id == order_id, returns.c.status != "rejected")
        .group_by(return_lines.c.order_line_no)
    )
    return {int(r[0]): int(r[1]) for r in conn.execute(query)}


def insert_refund(
    conn: Connection, header: dict[str, Any], lines: Sequence[dict[str, Any]]
) -> None:
    insert_many(conn, refunds, [{**header, "created_at": utcnow()}])
    insert_many(conn, refund_lines, lines)


def refunds_for(
    conn: Connection, *, order_id: str | None = None, return_ids: Sequence[str] = ()
) -> list[sa.RowMapping]:
    query = sa.select(refunds).order_by(refunds.c.created_at, refunds.c.id)
    if order_id is not None:
        query = query.where(refunds.c.order_id == order_id)
    else:
        if not return_ids:
            return []
        query = query.where(refunds.c.return_id.in_(return_ids))
    return list(conn.execute(query).mappings())


def refund_lines_for(conn: Connection, refund_ids: Sequence[str]) -> list[sa.RowMapping]:
    if not refund_ids:
        return []
    query = (
        sa.select(refund_lines)
        .where(refund_lines.c.refund_id.in_(refund_ids))
        .order_by(refund_lines.c.refund_id, refund_lines.c.line_no)
    )
    return list(conn.execute(query).mappings())


def refunded_units(
    conn: Connection, order_id: str
) -> tuple[dict[int, int], dict[tuple[str, int], int]]:
    """Units refunded per order line, and per (return id, return line no)."""
    query = (
        sa.select(
            refunds.c.return_id,
            refund_lines.c.return_line_no,
            refund_lines.c.order_line_no,
            refund_lines.c.quantity,
        )
        .join(refunds, refunds.c.id == refund_lines.c.refund_id)
        .where(refunds.c.order_id == order_id)
    )
    by_line: dict[int, int] = defaultdict(int)
    by_return_line: dict[tuple[str, int], int] = defaultdict(int)
    for return_id, return_line_no, line_no, quantity in conn.execute(query):
        by_line[int(line_no)] += int(quantity)
        if return_id is not None and return_line_no is not None:
            by_return_line[(return_id, int(return_line_no))] += int(quantity)
    return dict(by_line), dict(by_return_line)


def refund_by_channel_id(
    conn: Connection, order_id: str, channel_refund_id: str
) -> sa.RowMapping | None:
    query = sa.select(refunds).where(
        refunds.c.order_id == order_id, refunds.c.channel_refund_id == channel_refund_id
    )
    return conn.execute(query).mappings().first()


def refunds_between(conn: Connection, start: Any, end: Any) -> list[sa.RowMapping]:
    query = (
        sa.select(refunds)
        .where(refunds.c.created_at >= start, refunds.c.created_at < end)
        .order_by(refunds.c.created_at, refunds.c.id)
    )
    return list(conn.execute(query).mappings())


def link_channel_refund(conn: Connection, refund_id: str, channel_refund_id: str) -> bool:
    """Name the platform's refund that a Podium refund became (pushed to the channel)."""
    query = (
        refunds.update()
        .where(refunds.c.id == refund_id, refunds.c.channel_refund_id.is_(None))
        .values(channel_refund_id=channel_refund_id)
    )
    return bool(conn.execute(query).rowcount)


def refund_row(conn: Connection, refund_id: str) -> sa.RowMapping | None:
    return conn.execute(sa.select(refunds).where(refunds.c.id == refund_id)).mappings().first()


def lines_returned_between(conn: Connection, start: Any, end: Any) -> list[sa.RowMapping]:
    """(order id, created at, SKU, units, reason) of the lines of returns opened in
    [start, end) that were not rejected."""
    query = (
        sa.select(
            returns.c.order_id,
            returns.c.created_at,
            return_lines.c.sku,
            return_lines.c.quantity,
            return_lines.c.reason,
        )
        .join(return_lines, return_lines.c.return_id == returns.c.id)
        .where(
            returns.c.created_at >= start,
            returns.c.created_at < end,
            returns.c.status != "rejected",
        )
        .order_by(returns.c.created_at, returns.c.id, return_lines.c.line_no)
    )
    return list(conn.execute(query).mappings())
