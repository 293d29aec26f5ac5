"""SQL for orders, their lines and holds (private: other packages use orders' public modules,
``records``, ``holds``, ``timeline``, ``payment_status``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from podium.db.database import insert_many, utcnow
from podium.db.raw import fetch_raw, run_raw
from podium.db.tables import counters, order_holds, order_lines, orders
from podium.ids import new_id
from podium.orders.model import NUMBER_PREFIX

__all__ = [
    "Existing",
    "awaiting_stock",
    "find_existing",
    "held_by_reason",
    "holds",
    "insert_hold",
    "insert_lines",
    "insert_order",
    "lines",
    "list_orders",
    "lock_order",
    "lock_orders",
    "order",
    "orders_by_id",
    "release_holds",
    "set_lines_cancelled",
    "set_payment_statuses",
    "set_status",
    "update_line",
    "update_order",
]


@dataclass(frozen=True, slots=True)
class Existing:
    id: str
    request_hash: str
    by_key: bool


_NEXT_COUNTER = (
    counters.update()
    .where(counters.c.name == "order_number")
    .values(value=counters.c.value + 1)
    .returning(counters.c.value)
)


_FOUND = sa.select(orders.c.id, orders.c.request_hash, orders.c.idempotency_key)
_BY_KEY = orders.c.idempotency_key == sa.bindparam("key")
_BY_EXTERNAL = sa.and_(
    orders.c.channel == sa.bindparam("channel"), orders.c.external_id == sa.bindparam("external")
)
_FIND = {
    (True, False): _FOUND.where(_BY_KEY),
    (False, True): _FOUND.where(_BY_EXTERNAL),
    (True, True): _FOUND.where(sa.or_(_BY_KEY, _BY_EXTERNAL)),
}


_FIND_PG = (
    "SELECT id, request_hash, idempotency_key FROM orders"
    " WHERE idempotency_key = $1 OR (channel = $2 AND external_id = $3)"
)


def find_existing(
    conn: Connection, channel: str, external_id: str | None, idempotency_key: str | None
) -> Existing | None:
    """The order this request repeats, by Idempotency-Key first, then channel + external id."""
    shape = (idempotency_key is not None, external_id is not None)
    if shape == (False, False):
        return None
    if conn.dialect.name == "postgresql":
        rows: Sequence[Any] = run_raw(conn, _FIND_PG, (idempotency_key, channel, external_id))
    else:
        params = {"key": idempotency_key, "channel": channel, "external": external_id}
        rows = conn.execute(_FIND[shape], params).all()
    for row in rows:
        if idempotency_key is not None and row[2] == idempotency_key:
            return Existing(row[0], row[1], True)
    return Existing(rows[0][0], rows[0][1], False) if rows else None


def insert_order(conn: Connection, values: dict[str, Any]) -> str:
    """Insert the order header, giving it the next human-friendly number; returns it."""
    if conn.dialect.name == "postgresql":
        # A sequence: concurrent orders never queue on a counter row.
        found = fetch_raw(conn, "SELECT nextval('order_number_seq')", ())
        if found is None:
            raise RuntimeError("order_number_seq returned no value")
        value = int(found[0])
    else:
        value = int(conn.execute(_NEXT_COUNTER).scalar_one())
    number = f"{NUMBER_PREFIX}{value}"
    insert_many(conn, orders, [{**values, "number": number}])
    return number


def insert_lines(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    insert_many(conn, order_lines, rows)


def order(conn: Connection, order_id: str) -> sa.RowMapping | None:
    return conn.execute(sa.select(orders).where(orders.c.id == order_id)).mappings().first()


def orders_by_id(conn: Connection, order_ids: Sequence[str]) -> list[sa.RowMapping]:
    """Many orders' rows, in id order (unknown ids are left out)."""
    if not order_ids:
        return []
    query = sa.select(orders).where(orders.c.id.in_(sorted(set(order_ids)))).order_by(orders.c.id)
    return list(conn.execute(query).mappings())


def lock_order(conn: Connection, order_id: str) -> sa.RowMapping | None:
    """The order row, locked until the transaction ends (orders lock before stock rows)."""
    query = sa.select(orders).where(orders.c.id == order_id).with_for_update()
    return conn.execute(query).mappings().first()


def lock_orders(
    conn: Connection, order_ids: Sequence[str], columns: Sequence[str] | None = None
) -> list[sa.RowMapping]:
    """Many orders, locked by one statement in id order (the order one-at-a-time lockers take
    them in, so the two cannot deadlock); ``columns`` to read only those (and ``id``)."""
    if not order_ids:
        return []
    selected = [orders.c.id, *(orders.c[c] for c in columns if c != "id")] if columns else [orders]
    query = (
        sa.select(*selected)
        .where(orders.c.id.in_(sorted(set(order_ids))))
        .order_by(orders.c.id)
        .with_for_update()
    )
    return list(conn.execute(query).mappings())


def set_status(conn: Connection, order_id: str, status: str) -> None:
    conn.execute(
        orders.update().where(orders.c.id == order_id).values(status=status, updated_at=utcnow())
    )


def update_order(conn: Connection, order_id: str, values: dict[str, Any]) -> None:
    conn.execute(
        orders.update().where(orders.c.id == order_id).values(**values, updated_at=utcnow())
    )


def update_line(conn: Connection, order_id: str, line_no: int, values: dict[str, Any]) -> None:
    conn.execute(
        order_lines.update()
        .where(order_lines.c.order_id == order_id, order_lines.c.line_no == line_no)
        .values(**values)
    )


def set_payment_statuses(conn: Connection, statuses: Mapping[str, str]) -> None:
    """Each order's new payment status (by order id): one UPDATE per status."""
    by_status: dict[str, list[str]] = defaultdict(list)
    for order_id, status in statuses.items():
        by_status[status].append(order_id)
    now = utcnow()
    for status, ids in sorted(by_status.items()):
        conn.execute(
            orders.update()
            .where(orders.c.id.in_(sorted(ids)))
            .values(payment_status=status, updated_at=now)
        )


def lines(conn: Connection, order_ids: Sequence[str]) -> list[sa.RowMapping]:
    query = (
        sa.select(order_lines)
        .where(order_lines.c.order_id.in_(order_ids))
        .order_by(order_lines.c.order_id, order_lines.c.line_no)
    )
    return list(conn.execute(query).mappings())


def set_lines_cancelled(conn: Connection, order_id: str, cancelled: dict[int, int]) -> None:
    for line_no, quantity in cancelled.items():
        conn.execute(
            order_lines.update()
            .where(order_lines.c.order_id == order_id, order_lines.c.line_no == line_no)
            .values(quantity_cancelled=quantity)
        )


def insert_hold(
    conn: Connection, order_id: str, reason: str, note: str | None, actor: str
) -> dict[str, Any]:
    """Open a hold; returns the row as written."""
    row = {
        "id": new_id("hld"),
        "order_id": order_id,
        "reason": reason,
        "note": note,
        "created_at": utcnow(),
        "created_by": actor,
        "released_at": None,
        "released_by": None,
    }
    insert_many(conn, order_holds, [row])
    return row


def holds(
    conn: Connection, order_ids: Sequence[str], *, open_only: bool = True
) -> list[sa.RowMapping]:
    query = sa.select(order_holds).where(order_holds.c.order_id.in_(order_ids))
    if open_only:
        query = query.where(order_holds.c.released_at.is_(None))
    return list(conn.execute(query.order_by(order_holds.c.created_at)).mappings())


def awaiting_stock(conn: Connection, skus: Sequence[str], *, limit: int) -> list[str]:
    """Orders with an open backorder hold and a line of one of these SKUs, oldest first."""
    query = (
        sa.select(order_holds.c.order_id)
        .join(order_lines, order_lines.c.order_id == order_holds.c.order_id)
        .where(
            order_holds.c.released_at.is_(None),
            order_holds.c.reason == "backorder",
            order_lines.c.sku.in_(sorted(set(skus))),
        )
        .group_by(order_holds.c.order_id)
        .order_by(order_holds.c.order_id)
        .limit(limit)
    )
    return [r[0] for r in conn.execute(query)]


def release_holds(
    conn: Connection, order_id: str, actor: str, *, hold_ids: Sequence[str] | None = None
) -> int:
    query = order_holds.update().where(
        order_holds.c.order_id == order_id, order_holds.c.released_at.is_(None)
    )
    if hold_ids is not None:
        query = query.where(order_holds.c.id.in_(hold_ids))
    return conn.execute(query.values(released_at=utcnow(), released_by=actor)).rowcount


def list_orders(
    conn: Connection,
    *,
    status: str | None,
    channel: str | None,
    email: str | None,
    before: str | None,
    limit: int,
) -> list[sa.RowMapping]:
    query = sa.select(orders).order_by(orders.c.id.desc()).limit(limit)
    if status is not None:
        query = query.where(orders.c.status == status)
    if channel is not None:
        query = query.where(orders.c.channel == channel)
    if email is not None:
        query = query.where(orders.c.customer_email == email.lower())
    if before is not None:
        query = query.where(orders.c.id < before)
    return list(conn.execute(query).mappings())


def held_by_reason(conn: Connection, reason: str, *, limit: int) -> list[tuple[str, str | None]]:
    """(order id, hold note) of open holds with this reason, oldest first (routing queues)."""
    query = (
        sa.select(order_holds.c.order_id, order_holds.c.note)
        .where(order_holds.c.reason == reason, order_holds.c.released_at.is_(None))
        .order_by(order_holds.c.created_at, order_holds.c.id)
        .limit(limit)
    )
    return [(r[0], r[1]) for r in conn.execute(query)]


def rename_line_sku(conn: Connection, channel: str, from_sku: str, to_sku: str) -> list[str]:
    """Point open-order lines of ``channel`` that name ``from_sku`` at ``to_sku`` (a channel
    SKU mapped to Podium's); returns the orders changed."""
    open_orders = sa.select(orders.c.id).where(
        orders.c.channel == channel, orders.c.status.in_(("pending", "ready", "on_hold"))
    )
    ids = [
        r[0]
        for r in conn.execute(
            sa.select(order_lines.c.order_id)
            .where(order_lines.c.sku == from_sku, order_lines.c.order_id.in_(open_orders))
            .distinct()
        )
    ]
    if ids:
        conn.execute(
            order_lines.update()
            .where(order_lines.c.sku == from_sku, order_lines.c.order_id.in_(ids))
            .values(sku=to_sku)
        )
    return ids
