"""SQL for the warehouse side of fulfilment: settings, bin locations, pick lists (private to
``podium.fulfillment``; shipments themselves belong to ``podium.shipments``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from podium.db.database import utcnow
from podium.db.tables import bin_locations, fulfilment_settings, pick_lists

__all__ = [
    "bins",
    "insert_pick_list",
    "pick_list",
    "pick_lists_of",
    "put_bin",
    "put_settings",
    "settings",
    "settings_for",
]


def settings(conn: Connection, warehouse: str) -> sa.RowMapping | None:
    query = sa.select(fulfilment_settings).where(fulfilment_settings.c.warehouse == warehouse)
    return conn.execute(query).mappings().first()


def settings_for(conn: Connection, codes: Sequence[str]) -> dict[str, sa.RowMapping]:
    if not codes:
        return {}
    query = sa.select(fulfilment_settings).where(fulfilment_settings.c.warehouse.in_(codes))
    return {r["warehouse"]: r for r in conn.execute(query).mappings()}


def put_settings(conn: Connection, warehouse: str, values: dict[str, Any]) -> None:
    values = {**values, "updated_at": utcnow()}
    if settings(conn, warehouse) is None:
        conn.execute(fulfilment_settings.insert().values(warehouse=warehouse, **values))
    else:
        conn.execute(
            fulfilment_settings.update()
            .where(fulfilment_settings.c.warehouse == warehouse)
            .values(**values)
        )


def put_bin(conn: Connection, warehouse: str, sku: str, bin_code: str) -> None:
    key = (bin_locations.c.sku == sku) & (bin_locations.c.warehouse == warehouse)
    if conn.execute(sa.select(bin_locations.c.sku).where(key)).first() is None:
        conn.execute(
            bin_locations.insert().values(
                sku=sku, warehouse=warehouse, bin=bin_code, updated_at=utcnow()
            )
        )
    else:
        conn.execute(bin_locations.update().where(key).values(bin=bin_code, updated_at=utcnow()))


def bins(conn: Connection, warehouse: str, skus: Sequence[str]) -> dict[str, str]:
    if not skus:
        return {}
    query = sa.select(bin_locations.c.sku, bin_locations.c.bin).where(
        bin_locations.c.warehouse == warehouse, bin_locations.c.sku.in_(sorted(set(skus)))
    )
    return {r[0]: r[1] for r in conn.execute(query)}


def insert_pick_list(
    conn: Connection, pick_list_id: str, warehouse: str, shipment_ids: list[str], actor: str
) -> None:
    conn.execute(
        pick_lists.insert().values(
            id=pick_list_id,
            warehouse=warehouse,
            shipment_ids=shipment_ids,
            created_at=utcnow(),
            created_by=actor,
        )
    )


def pick_list(conn: Connection, pick_list_id: str) -> sa.RowMapping | None:
    query = sa.select(pick_lists).where(pick_lists.c.id == pick_list_id)
    return conn.execute(query).mappings().first()


def pick_lists_of(conn: Connection, warehouse: str, *, limit: int) -> list[sa.RowMapping]:
    """A warehouse's newest pick lists (ids grow with time)."""
    query = (
        sa.select(pick_lists)
        .where(pick_lists.c.warehouse == warehouse)
        .order_by(pick_lists.c.id.desc())
        .limit(limit)
    )
    return list(conn.execute(query).mappings())
