"""Use cases for the catalogue: create and change channels, warehouses and products."""

from __future__ import annotations

from typing import Any

from podium.catalog import _store as store
from podium.catalog import cache
from podium.catalog.model import (
    Channel,
    Product,
    ProductIn,
    Warehouse,
    WarehouseIn,
    WarehousePatch,
)
from podium.catalog.rates import RateTable
from podium.catalog.variants import check_group
from podium.db.database import Database
from podium.errors import Conflict, NotFound, ValidationFailed
from podium.paging import Page, decode_cursor

__all__ = [
    "add_channel",
    "channel_settings",
    "create_product",
    "create_warehouse",
    "get_channel",
    "get_product",
    "get_warehouse",
    "list_channels",
    "list_products",
    "list_warehouses",
    "update_warehouse",
]


def add_channel(
    db: Database,
    *,
    code: str,
    name: str,
    type_: str,
    warehouses: list[str] | None,
    settings: dict[str, Any],
) -> Channel:
    """Record a new channel. ``settings`` come already checked for the type: that is the
    channels capability's knowledge (``podium.channels.records.create_channel``)."""
    with db.write() as conn:
        if store.channel(conn, code) is not None:
            raise Conflict(
                f"Channel {code} already exists.",
                code="already_exists",
                details={"field": "code"},
            )
        if warehouses is not None:
            known = {w.code for w in store.list_warehouses(conn)}
            missing = sorted(set(warehouses) - known)
            if missing:
                raise ValidationFailed(
                    f"Unknown warehouse(s): {', '.join(missing)}.",
                    code="unknown_warehouse",
                    details={"field": "warehouses", "unknown": missing},
                )
        store.insert_channel(
            conn,
            {
                "code": code,
                "name": name,
                "type": type_,
                "warehouse_codes": sorted(set(warehouses)) if warehouses else None,
                "settings": settings,
                "active": True,
            },
        )
        created = store.channel(conn, code)
    cache.forget(db.engine)
    if created is None:
        raise RuntimeError(f"Channel {code} vanished in the transaction that inserted it")
    return created


def get_channel(db: Database, code: str) -> Channel:
    with db.read() as conn:
        found = store.channel(conn, code)
    if found is None:
        raise NotFound(f"No channel {code}.", code="channel_not_found")
    return found


def list_channels(db: Database) -> list[Channel]:
    with db.read() as conn:
        return store.list_channels(conn)


def _address_columns(address: Any) -> dict[str, Any]:
    return {
        "line1": address.line1,
        "line2": address.line2,
        "city": address.city,
        "region": address.region,
        "postal_code": address.postal_code,
        "country": address.country,
    }


ROUTING_NULLABLE = frozenset(
    {
        "cutoff_time",
        "time_zone",
        "working_days",
        "serves_channels",
        "serves_countries",
        "shipping_rates",
    }
)


def _routing_columns(changes: dict[str, Any]) -> dict[str, Any]:
    """Routing settings (issue 4), checked: a real time zone, a well-formed rate table."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    out = {k: changes[k] for k in (*ROUTING_NULLABLE, "ship_from_store") if k in changes}
    if out.get("ship_from_store", False) is None:
        out["ship_from_store"] = False
    zone = out.get("time_zone")
    if zone is not None:
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValidationFailed(
                f"Unknown time zone {zone}.",
                code="invalid_time_zone",
                details={"field": "time_zone"},
            ) from None
    if out.get("shipping_rates") is not None:
        try:
            out["shipping_rates"] = RateTable.from_json(out["shipping_rates"]).as_json()
        except (KeyError, TypeError, ValueError) as exc:
            raise ValidationFailed(
                f"Bad rate table: {exc}.",
                code="invalid_rate_table",
                details={"field": "shipping_rates"},
            ) from None
    for key in ("serves_channels", "serves_countries"):
        if out.get(key) is not None:
            out[key] = sorted(set(out[key]))
    return out


def create_warehouse(db: Database, data: WarehouseIn) -> Warehouse:
    with db.write() as conn:
        if store.warehouse(conn, data.code) is not None:
            raise Conflict(
                f"Warehouse {data.code} already exists.",
                code="already_exists",
                details={"field": "code"},
            )
        store.insert_warehouse(
            conn,
            {
                "code": data.code,
                "name": data.name,
                **_address_columns(data.address),
                "latitude": data.latitude,
                "longitude": data.longitude,
                "priority": data.priority,
                "active": data.active,
                "daily_order_capacity": data.daily_order_capacity,
                **_routing_columns(data.model_dump(exclude_unset=True)),
            },
        )
        created = store.warehouse(conn, data.code)
    cache.forget(db.engine)
    if created is None:
        raise RuntimeError(f"warehouse {data.code} not found after it was created")
    return created


def update_warehouse(db: Database, code: str, patch: WarehousePatch) -> Warehouse:
    changes = patch.model_dump(exclude_unset=True)
    nullable = {"latitude", "longitude", "daily_order_capacity", *ROUTING_NULLABLE}
    for field, value in changes.items():
        if value is None and field not in nullable:
            raise ValidationFailed(
                f"{field} cannot be null.", code="null_not_allowed", details={"field": field}
            )
    values: dict[str, Any] = {k: v for k, v in changes.items() if k != "address"}
    values.update(_routing_columns(changes))
    if patch.address is not None:
        values.update(_address_columns(patch.address))
    with db.write() as conn:
        if store.warehouse(conn, code) is None:
            raise NotFound(f"No warehouse {code}.", code="warehouse_not_found")
        if values:
            store.update_warehouse(conn, code, values)
        updated = store.warehouse(conn, code)
    cache.forget(db.engine)
    if updated is None:
        raise RuntimeError(f"warehouse {code} not found after it was updated")
    return updated


def get_warehouse(db: Database, code: str) -> Warehouse:
    with db.read() as conn:
        found = store.warehouse(conn, code)
    if found is None:
        raise NotFound(f"No warehouse {code}.", code="warehouse_not_found")
    return found


def list_warehouses(db: Database) -> list[Warehouse]:
    with db.read() as conn:
        return store.list_warehouses(conn)


def create_product(db: Database, data: ProductIn) -> Product:
    with db.write() as conn:
        if store.product(conn, data.sku) is not None:
            raise Conflict(
                f"Product {data.sku} already exists.",
                code="already_exists",
                details={"field": "sku"},
            )
        check_group(conn, data.sku, data.group, data.options)
        store.insert_product(conn, data.model_dump())
        created = store.product(conn, data.sku)
    if created is None:
        raise RuntimeError(f"product {data.sku} not found after it was created")
    return created


def get_product(db: Database, sku: str) -> Product:
    with db.read() as conn:
        found = store.product(conn, sku)
    if found is None:
        raise NotFound(f"No product {sku}.", code="product_not_found")
    return found


def list_products(db: Database, *, cursor: str | None = None, limit: int = 50) -> Page[Product]:
    position = decode_cursor(cursor, (str,)) if cursor is not None else None
    with db.read() as conn:
        return store.list_products(conn, position=position, limit=limit)


def channel_settings(db: Database, code: str) -> dict[str, Any]:
    """A channel's settings (kept out of the ``Channel`` view, which may be shown to anyone
    with read access)."""
    with db.read() as conn:
        found = store.channel_settings(conn, code)
    if found is None:
        raise NotFound(f"No channel {code}.", code="channel_not_found")
    return found
