"""Stock per SKU across warehouses, searchable, for the dashboard's inventory list."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from podium.db.database import Database
from podium.db.tables import products, stock_levels, warehouses

__all__ = ["SkuStock", "stock_by_sku"]


@dataclass(frozen=True, slots=True)
class SkuStock:
    sku: str
    name: str
    on_hand: int
    reserved: int
    available: int
    locations: int


def stock_by_sku(
    db: Database, *, q: str | None = None, after: str | None = None, limit: int = 50
) -> tuple[list[SkuStock], str | None]:
    """SKUs in order with their totals; ``q`` matches a SKU prefix or part of the name."""
    spare = stock_levels.c.on_hand - stock_levels.c.reserved - stock_levels.c.safety_stock
    # Available counts only active warehouses, and never below zero per location.
    free = sa.case((sa.and_(warehouses.c.active, spare > 0), spare), else_=0)
    stmt = (
        sa.select(
            products.c.sku,
            products.c.name,
            sa.func.coalesce(sa.func.sum(stock_levels.c.on_hand), 0).label("on_hand"),
            sa.func.coalesce(sa.func.sum(stock_levels.c.reserved), 0).label("reserved"),
            sa.func.coalesce(sa.func.sum(free), 0).label("available"),
            sa.func.count(stock_levels.c.warehouse).label("locations"),
        )
        .select_from(
            products.outerjoin(stock_levels, stock_levels.c.sku == products.c.sku).outerjoin(
                warehouses, warehouses.c.code == stock_levels.c.warehouse
            )
        )
        .group_by(products.c.sku, products.c.name)
        .order_by(products.c.sku)
        .limit(limit + 1)
    )
    if q:
        text = q.strip()
        escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = stmt.where(
            sa.or_(
                products.c.sku.like(f"{escaped}%", escape="\\"),
                sa.func.lower(products.c.name).like(f"%{escaped.lower()}%", escape="\\"),
            )
        )
    if after:
        stmt = stmt.where(products.c.sku > after)
    with db.read() as conn:
        rows = conn.execute(stmt).all()
    page = [
        SkuStock(r.sku, r.name, int(r.on_hand), int(r.reserved), int(r.available), int(r.locations))
        for r in rows[:limit]
    ]
    return page, (page[-1].sku if len(rows) > limit else None)
