"""SQL for risk at placement: earlier and recent orders per e-mail, address and IP (private).

One statement, one round trip: each count is an index range scan on ``(customer_email,
placed_at)``, ``(address_key, placed_at)`` or ``(client_ip, placed_at)`` (migration 0019),
stopped at ``cap`` rows (enough to know a threshold is reached, without counting a flood).
A key that is NULL (no e-mail, no street, no IP) matches nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import Connection

from podium.db.tables import orders

__all__ = ["History", "history"]


@dataclass(frozen=True, slots=True)
class History:
    earlier_by_email: bool
    recent_by_email: int
    recent_by_address: int
    recent_by_ip: int


def _recent(column: str, key: str) -> str:
    return (
        f"(SELECT count(*) FROM (SELECT 1 FROM orders WHERE {column} = :{key}"
        " AND placed_at >= :since LIMIT :cap) AS r)"
    )


_HISTORY = sa.text(
    "SELECT"
    " (SELECT count(*) FROM (SELECT 1 FROM orders WHERE customer_email = :email LIMIT 1) AS e),"
    f" {_recent('customer_email', 'email')},"
    f" {_recent('address_key', 'address')},"
    f" {_recent('client_ip', 'ip')}"
).bindparams(
    sa.bindparam("email", type_=sa.String()),
    sa.bindparam("address", type_=sa.String()),
    sa.bindparam("ip", type_=sa.String()),
    sa.bindparam("since", type_=orders.c.placed_at.type),
    sa.bindparam("cap", type_=sa.Integer()),
)


def history(
    conn: Connection,
    *,
    email: str | None,
    address: str | None,
    ip: str | None,
    since: datetime,
    cap: int,
) -> History:
    row = conn.execute(
        _HISTORY, {"email": email, "address": address, "ip": ip, "since": since, "cap": cap}
    ).one()
    return History(bool(row[0]), int(row[1]), int(row[2]), int(row[3]))
