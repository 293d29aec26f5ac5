"""Old months of the stock ledger move to ``stock_movements_archive`` (``podium db archive``).

Movements move per SKU × warehouse, and in the same transaction one ``carried_forward``
movement takes the place of the newest one moved (its id and time, the sum of everything
moved, earlier carried-forward movements included), so the live ledger still sums to every
balance (``podium doctor``) and replays in order. The archive keeps only real movements: a
carried-forward movement is never archived, it is folded into the next one.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from podium.db.tables import stock_movements, stock_movements_archive

__all__ = ["CARRIED_FORWARD", "archive_ledger", "count_ledger_to_archive", "ledger_keys_to_archive"]

CARRIED_FORWARD = "carried_forward"
Key = tuple[str, str]

_ACTOR = "podium db archive"


def _before(table: sa.Table, when: datetime) -> sa.BindParameter[datetime]:
    return sa.bindparam(None, when, type_=table.c.at.type)


def _old_movements(before: datetime) -> Any:
    m = stock_movements.c
    return m.at < _before(stock_movements, before)


def ledger_keys_to_archive(conn: Connection, before: datetime) -> list[Key]:
    """SKU × warehouse pairs with a real (not carried-forward) movement to archive."""
    m = stock_movements.c
    query = (
        sa.select(m.sku, m.warehouse)
        .where(_old_movements(before), m.kind != CARRIED_FORWARD)
        .group_by(m.sku, m.warehouse)
        .order_by(m.sku, m.warehouse)
    )
    return [(r[0], r[1]) for r in conn.execute(query)]


def count_ledger_to_archive(conn: Connection, before: datetime) -> int:
    m = stock_movements.c
    query = (
        sa.select(sa.func.count())
        .select_from(stock_movements)
        .where(_old_movements(before), m.kind != CARRIED_FORWARD)
    )
    return int(conn.execute(query).scalar_one())


def _of_keys(keys: Sequence[Key]) -> Any:
    m = stock_movements.c
    return sa.tuple_(m.sku, m.warehouse).in_([sa.tuple_(s, w) for s, w in keys])


def archive_ledger(conn: Connection, before: datetime, keys: Sequence[Key]) -> tuple[int, int]:
    """Archive these keys' movements before ``before``: (movements moved, carried written)."""
    m = stock_movements.c
    old = sa.and_(_old_movements(before), _of_keys(keys))
    sums = conn.execute(
        sa.select(
            m.sku,
            m.warehouse,
            sa.func.sum(m.on_hand_delta),
            sa.func.sum(m.reserved_delta),
            sa.func.max(m.id),
        )
        .where(old)
        .group_by(m.sku, m.warehouse)
    ).all()
    if not sums:
        return 0, 0
    top = {r[4] for r in sums}
    at_of = dict(conn.execute(sa.select(m.id, m.at).where(m.id.in_(top))).all())
    columns = [c.name for c in stock_movements_archive.c]
    real = sa.and_(old, m.kind != CARRIED_FORWARD)
    moved = conn.execute(
        sa.select(sa.func.count()).select_from(stock_movements).where(real)
    ).scalar_one()
    conn.execute(
        stock_movements_archive.insert().from_select(
            columns, sa.select(*(m[n] for n in columns)).where(real)
        )
    )
    conn.execute(stock_movements.delete().where(old))
    conn.execute(
        stock_movements.insert(),
        [
            {
                "id": last,
                "at": at_of[last],
                "sku": sku,
                "warehouse": warehouse,
                "kind": CARRIED_FORWARD,
                "on_hand_delta": int(on_hand),
                "reserved_delta": int(reserved),
                "reason": CARRIED_FORWARD,
                "reference": f"archive:{before:%Y-%m}",
                "actor": _ACTOR,
            }
            for sku, warehouse, on_hand, reserved, last in sums
        ],
    )
    return int(moved), len(sums)
