"""SQL for channels, warehouses and products."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from podium.catalog.model import Channel, Product, Warehouse
from podium.db.database import as_utc, utcnow
from podium.db.tables import channels, products, warehouses
from podium.paging import Keyset, Page, Position, keyset_page
from podium.validation import Address

__all__ = [
    "channel",
    "channel_settings",
    "group_products",
    "insert_channel",
    "insert_product",
    "insert_warehouse",
    "list_channels",
    "list_products",
    "list_warehouses",
    "product",
    "products_by_sku",
    "search_products",
    "set_channel_setting",
    "update_product",
    "update_warehouse",
    "warehouse",
]


def _channel(row: sa.RowMapping) -> Channel:
    return Channel(
        code=row["code"],
        name=row["name"],
        type=row["type"],
        warehouses=row["warehouse_codes"],
        active=row["active"],
        created_at=as_utc(row["created_at"]),
        settings=dict(row["settings"] or {}),
    )


def _warehouse(row: sa.RowMapping) -> Warehouse:
    return Warehouse(
        code=row["code"],
        name=row["name"],
        address=Address(
            line1=row["line1"],
            line2=row["line2"],
            city=row["city"],
            region=row["region"],
            postal_code=row["postal_code"],
            country=row["country"],
        ),
        latitude=row["latitude"],
        longitude=row["longitude"],
        priority=row["priority"],
        active=row["active"],
        daily_order_capacity=row["daily_order_capacity"],
        cutoff_time=row["cutoff_time"],
        time_zone=row["time_zone"],
        working_days=row["working_days"],
        serves_channels=row["serves_channels"],
        serves_countries=row["serves_countries"],
        ship_from_store=bool(row["ship_from_store"]),
        shipping_rates=row["shipping_rates"],
    )


_PLAIN = tuple(k for k in Product.model_fields if k not in ("group", "options"))


def _product(row: sa.RowMapping) -> Product:
    options = row["options"]
    return Product(
        **{k: row[k] for k in _PLAIN},
        group=row["group_code"],
        options={str(k): str(v) for k, v in options} if options else None,
    )


def product_columns(values: dict[str, Any]) -> dict[str, Any]:
    """A product's input as columns: options kept as ordered ``[name, value]`` pairs."""
    out = {k: v for k, v in values.items() if k not in ("group", "options")}
    options = values.get("options")
    out["group_code"] = values.get("group") or None
    out["options"] = [[k, v] for k, v in options.items()] if options else None
    return out


def insert_channel(conn: Connection, values: dict[str, Any]) -> None:
    now = utcnow()
    conn.execute(channels.insert().values(**values, created_at=now, updated_at=now))


_CHANNEL = sa.select(channels).where(channels.c.code == sa.bindparam("code"))
_WAREHOUSES = sa.select(warehouses).order_by(warehouses.c.code)
_PRODUCTS = sa.select(products).where(products.c.sku.in_(sa.bindparam("skus", expanding=True)))


def channel(conn: Connection, code: str) -> Channel | None:
    row = conn.execute(_CHANNEL, {"code": code}).mappings().first()
    return _channel(row) if row else None


def channel_settings(conn: Connection, code: str) -> dict[str, Any] | None:
    """A channel's settings (policies such as payment capture and returns), or None."""
    row = conn.execute(_CHANNEL, {"code": code}).mappings().first()
    return dict(row["settings"] or {}) if row else None


def set_channel_setting(conn: Connection, code: str, key: str, value: Any) -> bool:
    """Replace one top-level key of a channel's settings; False when there is no such channel."""
    row = conn.execute(_CHANNEL.with_for_update(), {"code": code}).mappings().first()
    if row is None:
        return False
    settings = {**(row["settings"] or {}), key: value}
    conn.execute(
        channels.update()
        .where(channels.c.code == code)
        .values(settings=settings, updated_at=utcnow())
    )
    return True


def list_channels(conn: Connection) -> list[Channel]:
    rows = conn.execute(sa.select(channels).order_by(channels.c.code)).mappings()
    return [_channel(r) for r in rows]


def insert_warehouse(conn: Connection, values: dict[str, Any]) -> None:
    now = utcnow()
    conn.execute(warehouses.insert().values(**values, created_at=now, updated_at=now))


def update_warehouse(conn: Connection, code: str, values: dict[str, Any]) -> None:
    conn.execute(
        warehouses.update().where(warehouses.c.code == code).values(**values, updated_at=utcnow())
    )


def warehouse(conn: Connection, code: str) -> Warehouse | None:
    row = conn.execute(sa.select(warehouses).where(warehouses.c.code == code)).mappings().first()
    return _warehouse(row) if row else None


def list_warehouses(conn: Connection) -> list[Warehouse]:
    return [_warehouse(r) for r in conn.execute(_WAREHOUSES).mappings()]


def insert_product(conn: Connection, values: dict[str, Any]) -> None:
    now = utcnow()
    conn.execute(
        products.insert().values(
            **product_columns(values), active=True, created_at=now, updated_at=now
        )
    )


def update_product(conn: Connection, sku: str, values: dict[str, Any]) -> None:
    conn.execute(
        products.update()
        .where(products.c.sku == sku)
        .values(**product_columns(values), updated_at=utcnow())
    )


def group_products(conn: Connection, group: str) -> list[Product]:
    """Every product of a product group (its variants), by SKU."""
    stmt = sa.select(products).where(products.c.group_code == group).order_by(products.c.sku)
    return [_product(r) for r in conn.execute(stmt).mappings()]


def product(conn: Connection, sku: str) -> Product | None:
    row = conn.execute(sa.select(products).where(products.c.sku == sku)).mappings().first()
    return _product(row) if row else None


def products_by_sku(conn: Connection, skus: Iterable[str]) -> dict[str, Product]:
    wanted = sorted(set(skus))
    if not wanted:
        return {}
    rows = conn.execute(_PRODUCTS, {"skus": wanted}).mappings()
    return {r["sku"]: _product(r) for r in rows}


def search_products(
    conn: Connection, *, q: str | None = None, after: str | None = None, limit: int = 50
) -> list[Product]:
    """Products by SKU after ``after``; ``q`` matches a SKU prefix or part of the name."""
    stmt = sa.select(products).order_by(products.c.sku).limit(limit)
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
    return [_product(r) for r in conn.execute(stmt).mappings()]


def list_products(conn: Connection, *, position: Position | None, limit: int) -> Page[Product]:
    """Products by SKU, keyset-paged both ways."""
    by_sku = Keyset((products.c.sku,), descending=False)
    page = keyset_page(conn, sa.select(products), by_sku, position, limit, lambda r: (r["sku"],))
    return page.map([_product(r) for r in page.items])
