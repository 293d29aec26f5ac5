"""A short-lived, per-process copy of the catalogue for the order hot path.

Placing an order needs its channel, every warehouse and its products; reading and building
them cost about a sixth of an order's CPU. Channels and warehouses are kept for ``TTL`` seconds
and dropped at once when this process changes them (another process sees a change within the
TTL; stock itself is never cached, so a stale warehouse can cost a routing choice, never a
unit). Products are cached only when found, so a product created elsewhere is never refused,
and for ``PRODUCT_TTL``: a product row is never updated today (there is no product edit), so
the copy only bounds how stale one could be if that changes. With a 2 s TTL a 500-SKU
catalogue under load cost nearly every order a product read.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine

from podium.catalog import _store as store
from podium.catalog.model import Channel, Product, Warehouse

__all__ = ["PRODUCT_TTL", "TTL", "channel", "forget", "products_by_sku", "warehouses"]

TTL = 2.0
PRODUCT_TTL = 60.0
_MAX_PRODUCTS = 50_000


@dataclass
class _Copy:
    channels: dict[str, tuple[float, Channel]] = field(default_factory=dict)
    warehouses: tuple[float, list[Warehouse]] | None = None
    products: dict[str, tuple[float, Product]] = field(default_factory=dict)


_copies: weakref.WeakKeyDictionary[Engine, _Copy] = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def _copy(conn: Connection) -> _Copy:
    with _lock:
        found = _copies.get(conn.engine)
        if found is None:
            found = _copies[conn.engine] = _Copy()
        return found


def channel(conn: Connection, code: str) -> Channel | None:
    copy, now = _copy(conn), time.monotonic()
    hit = copy.channels.get(code)
    if hit is not None and hit[0] > now:
        return hit[1]
    found = store.channel(conn, code)
    if found is not None:
        copy.channels[code] = (now + TTL, found)
    return found


def warehouses(conn: Connection) -> list[Warehouse]:
    copy, now = _copy(conn), time.monotonic()
    hit = copy.warehouses
    if hit is not None and hit[0] > now:
        return hit[1]
    found = store.list_warehouses(conn)
    copy.warehouses = (now + TTL, found)
    return found


def products_by_sku(conn: Connection, skus: Iterable[str]) -> dict[str, Product]:
    copy, now = _copy(conn), time.monotonic()
    wanted = set(skus)
    result: dict[str, Product] = {}
    for sku in wanted:
        hit = copy.products.get(sku)
        if hit is not None and hit[0] > now:
            result[sku] = hit[1]
    missing = wanted - result.keys()
    if missing:
        fetched = store.products_by_sku(conn, missing)
        if len(copy.products) > _MAX_PRODUCTS:
            copy.products.clear()
        for sku, product in fetched.items():
            copy.products[sku] = (now + PRODUCT_TTL, product)
        result.update(fetched)
    return result


def forget(engine: Engine) -> None:
    """Drop this process's copy (after the catalogue changed here)."""
    with _lock:
        _copies.pop(engine, None)
