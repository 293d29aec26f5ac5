"""SQL for stock levels and the stock ledger.

All stock row locking lives here and always goes in (sku, warehouse) order, so that concurrent
multi-line orders cannot deadlock. Changes are conditional updates: a reservation only succeeds
while enough is available, whatever another transaction did in between.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from podium.db.database import insert_many, utcnow
from podium.db.raw import array_literal, run_raw
from podium.db.tables import stock_levels, stock_movements
from podium.inventory.model import Level, Movement, MovementKind
from podium.paging import Keyset, Page, Position, keyset_page

__all__ = [
    "all_levels",
    "apply_movement",
    "apply_movements_at_once",
    "ensure_levels",
    "insert_movements",
    "ledger_balances",
    "levels",
    "movements",
    "set_safety_stock",
]

Key = tuple[str, str]


def _level(row: Any) -> Level:
    return Level(str(row[0]), str(row[1]), int(row[2]), int(row[3]), int(row[4]))


_COLUMNS = (
    stock_levels.c.sku,
    stock_levels.c.warehouse,
    stock_levels.c.on_hand,
    stock_levels.c.reserved,
    stock_levels.c.safety_stock,
)


# Hot-path statements are built once, with bound parameters: building SQLAlchemy expressions
# per call cost more CPU than the database spent running them.
_SKUS: sa.BindParameter[Any] = sa.bindparam("skus", expanding=True)
_WAREHOUSES: sa.BindParameter[Any] = sa.bindparam("warehouses", expanding=True)
_LEVELS = (
    sa.select(*_COLUMNS)
    .where(stock_levels.c.sku.in_(_SKUS))
    .order_by(stock_levels.c.sku, stock_levels.c.warehouse)
)
_LEVELS_AT = _LEVELS.where(stock_levels.c.warehouse.in_(_WAREHOUSES))


_LOCK_LEVELS_PG = (
    "SELECT sku, warehouse, on_hand, reserved, safety_stock FROM stock_levels"
    " WHERE sku = ANY($1::text[]) AND warehouse = ANY($2::text[])"
    " ORDER BY sku, warehouse FOR UPDATE"
)


def levels(
    conn: Connection,
    skus: Iterable[str],
    warehouses: Iterable[str] | None = None,
    *,
    lock: bool = False,
) -> dict[Key, Level]:
    """Stock rows for these SKUs (and warehouses); ``lock`` takes row locks in key order."""
    wanted = sorted(set(skus))
    if not wanted:
        return {}
    if lock and warehouses is not None and conn.dialect.name == "postgresql":
        # The placement hot path: straight on psycopg, one array parameter per list.
        rows = run_raw(
            conn,
            _LOCK_LEVELS_PG,
            (array_literal(wanted), array_literal(sorted(set(warehouses)))),
        )
        return {(r[0], r[1]): _level(r) for r in rows}
    params: dict[str, Any] = {"skus": wanted}
    query = _LEVELS
    if warehouses is not None:
        params["warehouses"] = sorted(set(warehouses))
        if not params["warehouses"]:
            return {}
        query = _LEVELS_AT
    if lock:
        query = query.with_for_update()
    return {(r[0], r[1]): _level(r) for r in conn.execute(query, params)}


def ensure_levels(conn: Connection, keys: Iterable[Key]) -> None:
    """Create zero rows for (sku, warehouse) pairs that have none; safe under concurrency."""
    rows = [
        {
            "sku": s,
            "warehouse": w,
            "on_hand": 0,
            "reserved": 0,
            "safety_stock": 0,
            "updated_at": utcnow(),
        }
        for s, w in sorted(set(keys))
    ]
    if not rows:
        return
    insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    conn.execute(insert(stock_levels).values(rows).on_conflict_do_nothing())


_c = stock_levels.c
_DH = sa.bindparam("dh", type_=sa.Integer)
_DR = sa.bindparam("dr", type_=sa.Integer)
# ``need`` is the reservation size for reservations (available must cover it) and a number
# below any possible balance for every other kind of movement.
_APPLY = (
    stock_levels.update()
    .where(
        _c.sku == sa.bindparam("m_sku"),
        _c.warehouse == sa.bindparam("m_warehouse"),
        _c.on_hand + _DH >= _c.reserved + _DR,
        _c.reserved + _DR >= 0,
        _c.on_hand - _c.reserved - _c.safety_stock >= sa.bindparam("need", type_=sa.Integer),
    )
    .values(on_hand=_c.on_hand + _DH, reserved=_c.reserved + _DR, updated_at=sa.bindparam("m_now"))
    .returning(*_COLUMNS)
)
_NO_NEED = -(2**31)


def apply_movement(conn: Connection, m: Movement) -> Level | None:
    """Apply one movement with its guard; None when the guard refuses it (not enough stock)."""
    need = m.reserved_delta if m.kind is MovementKind.RESERVATION else _NO_NEED
    row = conn.execute(
        _APPLY,
        {
            "m_sku": m.sku,
            "m_warehouse": m.warehouse,
            "dh": m.on_hand_delta,
            "dr": m.reserved_delta,
            "need": need,
            "m_now": utcnow(),
        },
    ).first()
    return _level(row) if row is not None else None


_APPLY_ALL_PG = """
    UPDATE stock_levels AS s
       SET on_hand = s.on_hand + v.dh, reserved = s.reserved + v.dr, updated_at = $1
      FROM unnest($2::text[], $3::text[], $4::int[], $5::int[], $6::int[])
           AS v(sku, warehouse, dh, dr, need)
     WHERE s.sku = v.sku AND s.warehouse = v.warehouse
       AND s.on_hand + v.dh >= s.reserved + v.dr AND s.reserved + v.dr >= 0
       AND s.on_hand - s.reserved - s.safety_stock >= v.need
    RETURNING s.sku, s.warehouse, s.on_hand, s.reserved, s.safety_stock
"""


def apply_movements_at_once(conn: Connection, moves: Sequence[Movement]) -> dict[Key, Level] | None:
    """PostgreSQL: apply movements of distinct rows (already locked) in one statement.

    Returns the rows the guards let through (a refused row is simply absent), or None on an
    engine without it, so the caller applies them one by one.
    """
    if conn.dialect.name != "postgresql":
        return None
    rows = run_raw(
        conn,
        _APPLY_ALL_PG,
        (
            utcnow(),
            array_literal([m.sku for m in moves]),
            array_literal([m.warehouse for m in moves]),
            array_literal([m.on_hand_delta for m in moves]),
            array_literal([m.reserved_delta for m in moves]),
            array_literal(
                [
                    m.reserved_delta if m.kind is MovementKind.RESERVATION else _NO_NEED
                    for m in moves
                ]
            ),
        ),
    )
    return {(r[0], r[1]): _level(r) for r in rows}


def insert_movements(conn: Connection, moves: Sequence[Movement], actor: str) -> None:
    if not moves:
        return
    now = utcnow()
    insert_many(
        conn,
        stock_movements,
        [
            {
                "at": now,
                "sku": m.sku,
                "warehouse": m.warehouse,
                "kind": m.kind.value,
                "on_hand_delta": m.on_hand_delta,
                "reserved_delta": m.reserved_delta,
                "reason": m.reason,
                "reference": m.reference,
                "actor": actor,
            }
            for m in moves
        ],
    )


def set_safety_stock(conn: Connection, sku: str, warehouse: str, safety: int) -> Level | None:
    c = stock_levels.c
    row = conn.execute(
        stock_levels.update()
        .where(c.sku == sku, c.warehouse == warehouse)
        .values(safety_stock=safety, updated_at=utcnow())
        .returning(*_COLUMNS)
    ).first()
    return _level(row) if row is not None else None


def all_levels(conn: Connection) -> list[Level]:
    query = sa.select(*_COLUMNS).order_by(stock_levels.c.sku, stock_levels.c.warehouse)
    return [_level(r) for r in conn.execute(query)]


def ledger_balances(conn: Connection) -> dict[Key, tuple[int, int]]:
    """Sum of on-hand and reserved deltas per (sku, warehouse), straight from the ledger."""
    m = stock_movements.c
    query = sa.select(
        m.sku, m.warehouse, sa.func.sum(m.on_hand_delta), sa.func.sum(m.reserved_delta)
    ).group_by(m.sku, m.warehouse)
    return {(r[0], r[1]): (int(r[2]), int(r[3])) for r in conn.execute(query)}


def movements(
    conn: Connection, sku: str, *, position: Position | None, limit: int
) -> Page[sa.RowMapping]:
    """A SKU's ledger, newest first, keyset-paged on the movement id."""
    query = sa.select(stock_movements).where(stock_movements.c.sku == sku)
    newest = Keyset((stock_movements.c.id,), descending=True)
    return keyset_page(conn, query, newest, position, limit, lambda r: (r["id"],))


def ledger_deltas(conn: Connection) -> Iterator[tuple[datetime, str, str, int, int]]:
    """Every movement as (at, sku, warehouse, on-hand delta, reserved delta), oldest first
    (planning replays it into the days nothing was available)."""
    m = stock_movements.c
    query = sa.select(m.at, m.sku, m.warehouse, m.on_hand_delta, m.reserved_delta).order_by(m.id)
    for row in conn.execute(query.execution_options(yield_per=5000)):
        yield row[0], row[1], row[2], row[3], row[4]
