"""The returns list: filters, search and keyset pagination for the dashboard and the API.

``ReturnsQuery.parse`` (pure) checks what a user typed; ``returns_filter`` (pure) builds the SQL;
``search_returns`` (dashboard) and ``service.list_returns`` (API) run it; the dashboard adds
each page's units and refunds in two more queries (never one per row). Pages are keyset-paginated
on (created_at, id), newest first, along ``ix_returns_created_at_id`` (or
``ix_returns_status_created_at_id`` with a status), so page 500 costs what page 1 costs, going
forward or back (``podium.paging``). A search is one exact, indexed match: an RMA id, an order
number, an e-mail, or an order's id or external id.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa

from podium.db.database import Database, as_utc
from podium.db.tables import orders, refunds, return_lines, returns
from podium.orders import NUMBER_PREFIX, param_date, param_error
from podium.paging import Keyset, Page, Position, decode_cursor, keyset_page
from podium.returns.model import ReturnStatus

__all__ = [
    "ReturnRow",
    "ReturnsQuery",
    "returns_filter",
    "returns_page",
    "returns_select",
    "search_returns",
    "search_returns_page",
]

_SHAPE = (datetime, str)  # (created_at, id)
KEYSET = Keyset((returns.c.created_at, returns.c.id), descending=True)

MAX_LIMIT = 200
RMA_PREFIX = "rma_"


@dataclass(frozen=True, slots=True)
class ReturnsQuery:
    status: str | None = None
    channel: str | None = None
    created_from: date | None = None
    created_to: date | None = None
    q: str | None = None
    cursor: str | None = None
    limit: int = 50
    order_id: str | None = None  # one order's returns (the API's filter)

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> ReturnsQuery:
        """Build a query from query-string values; blank means 'any'."""
        value = {k: (v.strip() or None) for k, v in params.items() if isinstance(v, str)}
        status = value.get("status")
        if status is not None and status not in {s.value for s in ReturnStatus}:
            raise param_error("status", f"Unknown return status {status}.")
        try:
            limit = int(value.get("limit") or 50)
        except ValueError:
            raise param_error("limit", "limit must be a whole number.") from None
        if not 1 <= limit <= MAX_LIMIT:
            raise param_error("limit", f"limit must be between 1 and {MAX_LIMIT}.")
        q = value.get("q")
        if q is not None and len(q) > 320:
            raise param_error("q", "The search is too long.")
        channel = value.get("channel")
        if channel is not None and len(channel) > 64:
            raise param_error("channel", "channel is too long.")
        created_from = param_date(value.get("from"), "from")
        created_to = param_date(value.get("to"), "to")
        if created_from and created_to and created_to < created_from:
            raise param_error("to", "The end date is before the start date.")
        cursor = value.get("cursor")
        if cursor is not None:
            decode_cursor(cursor, _SHAPE)  # refuse a foreign cursor now, not mid-query
        order_id = value.get("order_id")
        if order_id is not None and len(order_id) > 40:
            raise param_error("order_id", "order_id is too long.")
        return cls(status, channel, created_from, created_to, q, cursor, limit, order_id)

    def params(self, **override: Any) -> dict[str, str]:
        """The query as query-string values (to link to the next page)."""
        values: dict[str, Any] = {
            "status": self.status,
            "channel": self.channel,
            "from": self.created_from.isoformat() if self.created_from else None,
            "to": self.created_to.isoformat() if self.created_to else None,
            "q": self.q,
            "order_id": self.order_id,
            "cursor": self.cursor,
        }
        values.update(override)
        return {k: str(v) for k, v in values.items() if v is not None}

    def position(self) -> Position | None:
        return decode_cursor(self.cursor, _SHAPE) if self.cursor else None


def _key_of(row: Mapping[str, Any]) -> tuple[Any, ...]:
    return (as_utc(row["created_at"]), row["id"])


def _search(q: str) -> sa.ColumnElement[bool]:
    """One exact match, chosen by the shape of what was typed, so it stays an index lookup."""
    text = q.strip()
    if text.lower().startswith(RMA_PREFIX):
        return returns.c.id == RMA_PREFIX + text[len(RMA_PREFIX) :].upper()
    number = text.lstrip("#").upper()
    if number.isdigit():
        return sa.or_(orders.c.number == f"{NUMBER_PREFIX}{number}", orders.c.external_id == text)
    if number.startswith(NUMBER_PREFIX) and number[len(NUMBER_PREFIX) :].isdigit():
        return orders.c.number == number
    if "@" in text:
        return orders.c.customer_email == text.lower()
    return sa.or_(orders.c.id == text, orders.c.external_id == text)


LIST_COLUMNS: tuple[Any, ...] = (
    returns.c.id,
    returns.c.order_id,
    returns.c.status,
    returns.c.tracking_number,
    returns.c.created_at,
    orders.c.number,
    orders.c.channel,
    orders.c.currency,
    orders.c.customer_email,
    orders.c.customer_name,
)


def returns_filter(query: ReturnsQuery, columns: tuple[Any, ...] = LIST_COLUMNS) -> sa.Select[Any]:
    """The list's filters (no cursor, order or limit): the page and its total share it."""
    stmt = sa.select(*columns).join(orders, orders.c.id == returns.c.order_id)
    if query.status:
        stmt = stmt.where(returns.c.status == query.status)
    if query.order_id:
        stmt = stmt.where(returns.c.order_id == query.order_id)
    if query.channel:
        stmt = stmt.where(orders.c.channel == query.channel)
    if query.created_from:
        start = datetime.combine(query.created_from, time(), UTC)
        stmt = stmt.where(returns.c.created_at >= start)
    if query.created_to:
        end = datetime.combine(query.created_to + timedelta(days=1), time(), UTC)
        stmt = stmt.where(returns.c.created_at < end)
    if query.q:
        stmt = stmt.where(_search(query.q))
    return stmt


def returns_select(query: ReturnsQuery) -> sa.Select[Any]:
    """The SELECT for one forward page (one row more than the page, to know if there are more)."""
    stmt = returns_filter(query)
    position = query.position()
    if position is not None:
        stmt = stmt.where(KEYSET.after(position.key))
    return stmt.order_by(*KEYSET.order()).limit(query.limit + 1)


def returns_page(
    conn: sa.Connection,
    query: ReturnsQuery,
    columns: tuple[Any, ...] = LIST_COLUMNS,
    *,
    total: bool = True,
) -> Page[sa.RowMapping]:
    """One page of rows (forward or backward from the query's cursor) with its total."""
    stmt = returns_filter(query, columns)
    return keyset_page(conn, stmt, KEYSET, query.position(), query.limit, _key_of, total=total)


@dataclass(frozen=True, slots=True)
class ReturnRow:
    id: str
    order_id: str
    number: str
    channel: str
    status: str
    customer_email: str | None
    customer_name: str | None
    tracking_number: str | None
    currency: str
    units: int
    reasons: tuple[str, ...]
    refunded: int
    created_at: datetime


def search_returns(db: Database, query: ReturnsQuery) -> tuple[list[ReturnRow], str | None]:
    """One page of returns and the cursor of the next page (None on the last)."""
    page = search_returns_page(db, query, total=False)  # the list shows no total: skip the count
    return page.items, page.next_cursor


def search_returns_page(
    db: Database, query: ReturnsQuery, *, total: bool = True
) -> Page[ReturnRow]:
    """One page of returns, its neighbours' cursors and (unless not wanted) its capped total."""
    with db.read() as conn:
        found = returns_page(conn, query, total=total)
        rows = found.items
        ids = [r["id"] for r in rows]
        units: dict[str, int] = {}
        reasons: dict[str, list[str]] = {}
        refunded: dict[str, int] = {}
        if ids:
            lines = sa.select(
                return_lines.c.return_id, return_lines.c.quantity, return_lines.c.reason
            ).where(return_lines.c.return_id.in_(ids))
            for rid, quantity, reason in conn.execute(lines):
                units[rid] = units.get(rid, 0) + int(quantity)
                if reason not in reasons.setdefault(rid, []):
                    reasons[rid].append(reason)
            paid = (
                sa.select(refunds.c.return_id, sa.func.sum(refunds.c.amount))
                .where(refunds.c.return_id.in_(ids))
                .group_by(refunds.c.return_id)
            )
            refunded = {rid: int(total) for rid, total in conn.execute(paid)}
    page = [
        ReturnRow(
            id=r["id"],
            order_id=r["order_id"],
            number=r["number"],
            channel=r["channel"],
            status=r["status"],
            customer_email=r["customer_email"],
            customer_name=r["customer_name"],
            tracking_number=r["tracking_number"],
            currency=r["currency"],
            units=units.get(r["id"], 0),
            reasons=tuple(reasons.get(r["id"], ())),
            refunded=refunded.get(r["id"], 0),
            created_at=as_utc(r["created_at"]),
        )
        for r in rows
    ]
    return found.map(page)
