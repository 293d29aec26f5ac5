"""Orders by channel + external id, many at once (an import checks a whole file in one go), and
brief orders by id (what a list of shipments shows of each order)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy import Connection

from podium.db.tables import orders

__all__ = ["OrderBrief", "OrderRef", "briefs", "by_external_ids"]

_CHUNK = 500
_BY_EXTERNAL = sa.select(
    orders.c.external_id, orders.c.id, orders.c.number, orders.c.status, orders.c.request_hash
).where(
    orders.c.channel == sa.bindparam("channel"),
    orders.c.external_id.in_(sa.bindparam("externals", expanding=True)),
)


@dataclass(frozen=True, slots=True)
class OrderRef:
    id: str
    number: str
    status: str
    request_hash: str | None  # OrderIntake.fingerprint() of what placed it


def by_external_ids(
    conn: Connection, channel: str, external_ids: Iterable[str]
) -> dict[str, OrderRef]:
    """The orders of ``channel`` with these external ids, by external id (absent ones left out)."""
    wanted = sorted(set(external_ids))
    found: dict[str, OrderRef] = {}
    for start in range(0, len(wanted), _CHUNK):
        params = {"channel": channel, "externals": wanted[start : start + _CHUNK]}
        for external, order_id, number, status, digest in conn.execute(_BY_EXTERNAL, params):
            found[external] = OrderRef(order_id, number, status, digest)
    return found


@dataclass(frozen=True, slots=True)
class OrderBrief:
    id: str
    number: str
    status: str
    customer: str | None  # name, else email
    promised_date: date | None


def briefs(conn: Connection, order_ids: Iterable[str]) -> dict[str, OrderBrief]:
    """The orders with these ids, briefly, by id (absent ones left out)."""
    wanted = sorted(set(order_ids))
    found: dict[str, OrderBrief] = {}
    query = sa.select(
        orders.c.id,
        orders.c.number,
        orders.c.status,
        sa.func.coalesce(orders.c.customer_name, orders.c.customer_email),
        orders.c.promised_date,
    )
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        for order_id, number, status, customer, promised in conn.execute(
            query.where(orders.c.id.in_(chunk))
        ):
            found[order_id] = OrderBrief(order_id, number, status, customer, promised)
    return found
