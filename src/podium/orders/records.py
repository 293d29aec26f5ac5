"""Orders' rows for other capabilities, typed: the order header, its lines, order numbers.

Other packages read orders through these functions (never orders' store or table). The records
are frozen dataclasses; they also read as mappings (``order["number"]``) so code written
against rows keeps working while it moves to attributes.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any, Self

from sqlalchemy import Connection

from podium.errors import NotFound
from podium.orders import _store as store

__all__ = [
    "LineRecord",
    "OrderHead",
    "OrderRecord",
    "find_order",
    "latest_orders",
    "lock_order_heads",
    "order_lines",
    "order_numbers",
    "orders_by_id",
    "rename_line_sku",
    "require_order",
]


class _ReadsAsMapping(Mapping[str, Any]):
    """``record["field"]`` as well as ``record.field``."""

    __slots__ = ()

    def __getitem__(self, key: str) -> Any:
        if key not in self._names():
            raise KeyError(key)
        return getattr(self, key)

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())

    def __len__(self) -> int:
        return len(self._names())

    @classmethod
    def _names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))  # type: ignore[arg-type]

    @classmethod
    def _of(cls, row: Mapping[Any, Any]) -> Self:
        return cls(**{name: row[name] for name in cls._names()})


@dataclass(frozen=True, slots=True, eq=True)
class OrderRecord(_ReadsAsMapping):
    """The order header as stored."""

    id: str
    number: str
    channel: str
    external_id: str | None
    idempotency_key: str | None
    request_hash: str | None
    status: str
    currency: str
    subtotal: int
    shipping_total: int
    tax_total: int
    discount_total: int
    total: int
    payment_status: str
    customer_email: str | None
    customer_name: str | None
    customer_phone: str | None
    shipping_address: dict[str, Any]
    destination_latitude: float | None
    destination_longitude: float | None
    tags: list[str] | None
    placed_at: datetime
    created_at: datetime
    updated_at: datetime
    promised_date: date | None
    service_level: str | None
    priority: int | None


@dataclass(frozen=True, slots=True, eq=True)
class OrderHead(_ReadsAsMapping):
    """What batch jobs (release, payment settlement) read of many locked orders."""

    id: str
    number: str
    status: str
    tags: list[str] | None
    total: int
    currency: str
    channel: str
    payment_status: str


@dataclass(frozen=True, slots=True, eq=True)
class LineRecord(_ReadsAsMapping):
    order_id: str
    line_no: int
    sku: str
    name: str
    quantity: int
    unit_price: int
    quantity_cancelled: int


_HEAD = tuple(f.name for f in fields(OrderHead))


def find_order(conn: Connection, order_id: str) -> OrderRecord | None:
    row = store.order(conn, order_id)
    return None if row is None else OrderRecord._of(row)


def require_order(conn: Connection, order_id: str) -> OrderRecord:
    """The order, or NotFound (404 ``order_not_found``)."""
    found = find_order(conn, order_id)
    if found is None:
        raise NotFound(f"No order {order_id}.", code="order_not_found")
    return found


def orders_by_id(conn: Connection, order_ids: Sequence[str]) -> list[OrderRecord]:
    """Many orders, in id order (unknown ids are left out)."""
    return [OrderRecord._of(r) for r in store.orders_by_id(conn, order_ids)]


def lock_order_heads(conn: Connection, order_ids: Sequence[str]) -> list[OrderHead]:
    """Many orders' heads, locked by one statement in id order (the order one-at-a-time
    lockers take them in, so the two cannot deadlock)."""
    return [OrderHead._of(r) for r in store.lock_orders(conn, order_ids, _HEAD)]


def order_numbers(conn: Connection, order_ids: Sequence[str]) -> dict[str, str]:
    """Order id → order number (unknown ids are left out)."""
    return {r["id"]: r["number"] for r in store.orders_by_id(conn, order_ids)}


def order_lines(conn: Connection, order_ids: Sequence[str]) -> list[LineRecord]:
    """These orders' lines, by order then line number."""
    return [LineRecord._of(r) for r in store.lines(conn, order_ids)]


def latest_orders(conn: Connection, *, status: str | None, limit: int) -> list[OrderRecord]:
    """The newest orders (of ``status``, when given), newest first."""
    rows = store.list_orders(
        conn, status=status, channel=None, email=None, before=None, limit=limit
    )
    return [OrderRecord._of(r) for r in rows]


def rename_line_sku(conn: Connection, channel: str, from_sku: str, to_sku: str) -> list[str]:
    """Point open-order lines of ``channel`` that name ``from_sku`` at ``to_sku`` (a channel
    SKU mapped to Podium's); returns the orders changed."""
    return store.rename_line_sku(conn, channel, from_sku, to_sku)
