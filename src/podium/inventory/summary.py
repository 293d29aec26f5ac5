"""Stock per SKU across warehouses, searchable, for the dashboard's inventory list."""

from __future__ import annotations

from dataclasses import dataclass

from podium import catalog
from podium.db.database import Database
from podium.inventory import _store as store
from podium.inventory.model import Level

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
    with db.read() as conn:
        found = catalog.search_products(conn, q=q, after=after, limit=limit + 1)
        shown = found[:limit]
        levels = store.levels(conn, [p.sku for p in shown])
        active = {w.code for w in catalog.list_warehouses(conn) if w.active}
    per_sku: dict[str, list[Level]] = {}
    for (sku, _), level in levels.items():
        per_sku.setdefault(sku, []).append(level)
    page = []
    for p in shown:
        here = per_sku.get(p.sku, [])
        page.append(
            SkuStock(
                p.sku,
                p.name,
                sum(lv.on_hand for lv in here),
                sum(lv.reserved for lv in here),
                # Available counts only active warehouses, and never below zero per location.
                sum(lv.available for lv in here if lv.warehouse in active),
                len(here),
            )
        )
    return page, (page[-1].sku if len(found) > limit else None)
