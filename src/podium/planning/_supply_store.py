"""SQL for suppliers, their products and per-SKU service levels (``planning_suppliers``,
``planning_supplier_products``, ``planning_sku_policies``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from podium.db.tables import (
    planning_forecasts,
    planning_sku_policies,
    planning_supplier_products,
    planning_suppliers,
)

__all__ = [
    "delete_product",
    "delete_supplier",
    "forecasts",
    "insert_supplier",
    "offers_for",
    "policies",
    "product",
    "products_of",
    "set_policy",
    "supplier",
    "suppliers",
    "update_supplier",
    "upsert_product",
]

_s, _p = planning_suppliers.c, planning_supplier_products.c


def supplier(conn: Connection, code: str) -> sa.RowMapping | None:
    return conn.execute(sa.select(planning_suppliers).where(_s.code == code)).mappings().first()


def suppliers(conn: Connection, after: str | None, limit: int) -> list[sa.RowMapping]:
    query = sa.select(planning_suppliers).order_by(_s.code).limit(limit)
    if after is not None:
        query = query.where(_s.code > after)
    return list(conn.execute(query).mappings())


def insert_supplier(conn: Connection, values: Mapping[str, Any]) -> None:
    conn.execute(planning_suppliers.insert(), dict(values))


def update_supplier(conn: Connection, code: str, values: Mapping[str, Any]) -> None:
    conn.execute(planning_suppliers.update().where(_s.code == code).values(**values))


def delete_supplier(conn: Connection, code: str) -> None:
    conn.execute(planning_supplier_products.delete().where(_p.supplier == code))
    conn.execute(planning_suppliers.delete().where(_s.code == code))


def product(conn: Connection, code: str, sku: str) -> sa.RowMapping | None:
    query = sa.select(planning_supplier_products).where(_p.supplier == code, _p.sku == sku)
    return conn.execute(query).mappings().first()


def products_of(conn: Connection, code: str) -> list[sa.RowMapping]:
    query = sa.select(planning_supplier_products).where(_p.supplier == code).order_by(_p.sku)
    return list(conn.execute(query).mappings())


def upsert_product(conn: Connection, values: Mapping[str, Any]) -> None:
    """One supplier × SKU offer; a preferred offer makes the SKU's other offers not preferred."""
    if values["preferred"]:
        conn.execute(
            planning_supplier_products.update()
            .where(_p.sku == values["sku"], _p.supplier != values["supplier"])
            .values(preferred=False)
        )
    conn.execute(
        planning_supplier_products.delete().where(
            _p.supplier == values["supplier"], _p.sku == values["sku"]
        )
    )
    conn.execute(planning_supplier_products.insert(), dict(values))


def delete_product(conn: Connection, code: str, sku: str) -> int:
    query = planning_supplier_products.delete().where(_p.supplier == code, _p.sku == sku)
    return conn.execute(query).rowcount


def offers_for(conn: Connection, skus: Iterable[str] | None) -> list[sa.RowMapping]:
    """Every offer (with its supplier's lead time and currency) for these SKUs (or all)."""
    query = sa.select(
        _p.supplier,
        _p.sku,
        _p.moq,
        _p.case_pack,
        _p.unit_cost,
        _p.preferred,
        sa.func.coalesce(_p.lead_time_days, _s.lead_time_days).label("lead_time_days"),
        _s.currency,
    ).join(planning_suppliers, _s.code == _p.supplier)
    if skus is not None:
        query = query.where(_p.sku.in_(sorted(set(skus))))
    return list(conn.execute(query.order_by(_p.sku, _p.supplier)).mappings())


def policies(conn: Connection) -> dict[str, float]:
    rows = conn.execute(sa.select(planning_sku_policies))
    return {r[0]: float(r[1]) for r in rows}


def set_policy(conn: Connection, sku: str, service_level: float | None) -> None:
    c = planning_sku_policies.c
    conn.execute(planning_sku_policies.delete().where(c.sku == sku))
    if service_level is not None:
        conn.execute(planning_sku_policies.insert(), {"sku": sku, "service_level": service_level})


def forecasts(conn: Connection, sku: str | None) -> list[tuple[str, str, Any, float, float, float]]:
    """(sku, warehouse, day, quantity, lo, hi) of the latest run, by SKU, warehouse, day."""
    f = planning_forecasts.c
    query = sa.select(f.sku, f.warehouse, f.day, f.quantity, f.lo, f.hi).where(f.warehouse != "")
    if sku is not None:
        query = query.where(f.sku == sku)
    rows = conn.execute(query.order_by(f.sku, f.warehouse, f.day))
    return [(r[0], r[1], r[2], r[3], r[4], r[5]) for r in rows]
