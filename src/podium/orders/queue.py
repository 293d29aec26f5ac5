"""The order queue: filters, search, sorting and keyset pagination for the dashboard.

``QueueQuery.parse`` (pure) checks what a user typed; ``queue_filter`` (pure) builds the SQL;
``orders_page`` runs it (the dashboard through ``search_orders``, the API's ``GET /orders``
through ``lifecycle.list_orders``). Pages are keyset-paginated on (sort key, id) both ways with
``podium.paging``, so page 500 costs what page 1 costs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa

from podium import shipments
from podium.db.database import Database, as_utc
from podium.db.tables import order_holds, orders
from podium.errors import ValidationFailed
from podium.orders.model import NUMBER_PREFIX
from podium.orders.status import HoldReason, OrderStatus
from podium.paging import Keyset, Page, Position, decode_cursor, keyset_page

__all__ = [
    "SORTS",
    "QueueQuery",
    "QueueRow",
    "held_order_ids",
    "late_order_ids",
    "order_number",
    "param_date",
    "param_error",
    "past_promise_ids",
    "queue_filter",
    "queue_select",
    "search_orders",
    "search_orders_page",
]

# sort name -> (column, descending)
SORTS: dict[str, tuple[str, bool]] = {
    "newest": ("placed_at", True),
    "oldest": ("placed_at", False),
    "total_desc": ("total", True),
    "total_asc": ("total", False),
}
MAX_LIMIT = 200


def param_error(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, code=f"invalid_{field}", details={"field": field})


def order_number(raw: str) -> str | None:
    """``PD-100001``, ``pd-100001``, ``#100001`` or ``100001`` as the number ``PD-100001``;
    None when ``raw`` is not shaped like an order number."""
    number = raw.strip().lstrip("#").upper()
    if number.startswith(NUMBER_PREFIX):
        number = number[len(NUMBER_PREFIX) :]
    if not number.isascii() or not number.isdigit() or len(number) > 18:
        return None
    return f"{NUMBER_PREFIX}{number}"


def param_date(raw: str | None, field: str) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise param_error(field, f"{field} must be a date such as 2026-11-25.") from None


@dataclass(frozen=True, slots=True)
class QueueQuery:
    status: str | None = None
    channel: str | None = None
    warehouse: str | None = None
    tag: str | None = None
    hold_reason: str | None = None
    placed_from: date | None = None
    placed_to: date | None = None
    q: str | None = None
    email: str | None = None  # exact (the API's filter; the dashboard searches with q)
    number: str | None = None  # exact order number, normalised to PD-…
    late: bool = False  # only orders with an open shipment past its promise
    sort: str = "newest"
    cursor: str | None = None
    limit: int = 50

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> QueueQuery:
        """Build a query from form/query-string values; blank means 'any'."""
        value = {k: (v.strip() or None) for k, v in params.items() if isinstance(v, str)}
        status = value.get("status")
        if status is not None and status not in {s.value for s in OrderStatus}:
            raise param_error("status", f"Unknown status {status}.")
        reason = value.get("hold_reason")
        if reason is not None and reason not in {r.value for r in HoldReason}:
            raise param_error("hold_reason", f"Unknown hold reason {reason}.")
        sort = value.get("sort") or "newest"
        if sort not in SORTS:
            raise param_error("sort", f"sort must be one of {', '.join(SORTS)}.")
        try:
            limit = int(value.get("limit") or 50)
        except ValueError:
            raise param_error("limit", "limit must be a whole number.") from None
        if not 1 <= limit <= MAX_LIMIT:
            raise param_error("limit", f"limit must be between 1 and {MAX_LIMIT}.")
        q = value.get("q")
        if q is not None and len(q) > 320:
            raise param_error("q", "The search is too long.")
        email = value.get("email")
        if email is not None and len(email) > 320:
            raise param_error("email", "email is too long.")
        number = value.get("number")
        if number is not None:
            number = order_number(number)
            if number is None:
                raise param_error("number", "number must be an order number such as PD-100001.")
        for field in ("channel", "warehouse", "tag"):
            if value.get(field) is not None and len(value[field] or "") > 200:
                raise param_error(field, f"{field} is too long.")
        placed_from = param_date(value.get("from"), "from")
        placed_to = param_date(value.get("to"), "to")
        if placed_from and placed_to and placed_to < placed_from:
            raise param_error("to", "The end date is before the start date.")
        late = (value.get("late") or "").lower()
        if late not in ("", "1", "true", "on", "yes", "0", "false", "off", "no"):
            raise param_error("late", "late must be 1 (late orders only) or 0.")
        cursor = value.get("cursor")
        if cursor is not None:
            decode_cursor(cursor, _shape(sort))  # refuse a foreign cursor now, not mid-query
        return cls(
            status=status,
            channel=value.get("channel"),
            warehouse=value.get("warehouse"),
            tag=value.get("tag"),
            hold_reason=reason,
            placed_from=placed_from,
            placed_to=placed_to,
            q=q,
            email=email.lower() if email else None,
            number=number,
            late=late in ("1", "true", "on", "yes"),
            sort=sort,
            cursor=cursor,
            limit=limit,
        )

    def params(self, **override: Any) -> dict[str, str]:
        """The query as query-string values (to link to the next page, or poll)."""
        values: dict[str, Any] = {
            "status": self.status,
            "channel": self.channel,
            "warehouse": self.warehouse,
            "tag": self.tag,
            "hold_reason": self.hold_reason,
            "from": self.placed_from.isoformat() if self.placed_from else None,
            "to": self.placed_to.isoformat() if self.placed_to else None,
            "q": self.q,
            "email": self.email,
            "number": self.number,
            "late": "1" if self.late else None,
            "sort": self.sort if self.sort != "newest" else None,
            "cursor": self.cursor,
        }
        values.update(override)
        return {k: str(v) for k, v in values.items() if v is not None}

    def position(self) -> Position | None:
        return decode_cursor(self.cursor, _shape(self.sort)) if self.cursor else None

    def keyset(self) -> Keyset:
        column_name, descending = SORTS[self.sort]
        return Keyset((orders.c[column_name], orders.c.id), descending)

    def key_of(self, row: Mapping[str, Any]) -> tuple[Any, ...]:
        value = row[SORTS[self.sort][0]]
        return (as_utc(value) if isinstance(value, datetime) else value, row["id"])


def _shape(sort: str) -> tuple[type, ...]:
    return (datetime if SORTS[sort][0] == "placed_at" else int, str)


def _search(q: str) -> sa.ColumnElement[bool]:
    """Exact, indexed matches on number, external id, id and e-mail; names by substring.

    A query that is an order number (``PD-100001``, ``#100001`` or ``100001``) or an e-mail
    never scans names,
    so the common lookups stay index lookups however many orders there are.
    """
    text = q.strip()
    lowered = text.lower()
    conditions: list[sa.ColumnElement[bool]] = [
        orders.c.external_id == text,
        orders.c.id == text,
    ]
    number = text.lstrip("#").upper()
    if number.isdigit():  # "100001" or "#100001" means PD-100001 (or a channel's numeric id)
        conditions.append(orders.c.number == f"{NUMBER_PREFIX}{number}")
    elif number.startswith(NUMBER_PREFIX) and number[len(NUMBER_PREFIX) :].isdigit():
        conditions.append(orders.c.number == number)
    elif "@" in text:
        conditions.append(orders.c.customer_email == lowered)
    else:
        escaped = lowered.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        conditions.append(sa.func.lower(orders.c.customer_name).like(f"%{escaped}%", escape="\\"))
    return sa.or_(*conditions)


def _has_tag(tag: str, dialect: str) -> sa.ColumnElement[bool]:
    if dialect == "postgresql":
        return orders.c.tags.op("@>")(sa.func.jsonb_build_array(tag))
    each = sa.func.json_each(orders.c.tags).table_valued("value")
    return sa.exists(sa.select(1).select_from(each).where(each.c.value == tag))


QUEUE_COLUMNS: tuple[sa.ColumnElement[Any], ...] = (
    orders.c.id,
    orders.c.number,
    orders.c.channel,
    orders.c.external_id,
    orders.c.status,
    orders.c.currency,
    orders.c.total,
    orders.c.customer_email,
    orders.c.customer_name,
    orders.c.tags,
    orders.c.placed_at,
)


def queue_filter(
    query: QueueQuery, dialect: str, columns: tuple[Any, ...] = QUEUE_COLUMNS
) -> sa.Select[Any]:
    """The queue's filters (no cursor, order or limit): the page and its total share it."""
    stmt = sa.select(*columns)
    if query.status:
        stmt = stmt.where(orders.c.status == query.status)
    if query.channel:
        stmt = stmt.where(orders.c.channel == query.channel)
    if query.email:
        stmt = stmt.where(orders.c.customer_email == query.email)
    if query.number:
        stmt = stmt.where(orders.c.number == query.number)
    if query.warehouse:
        stmt = stmt.where(orders.c.id.in_(shipments.order_ids_at(query.warehouse)))
    if query.hold_reason:
        stmt = stmt.where(
            sa.exists(
                sa.select(1).where(
                    order_holds.c.order_id == orders.c.id,
                    order_holds.c.released_at.is_(None),
                    order_holds.c.reason == query.hold_reason,
                )
            )
        )
    if query.tag:
        stmt = stmt.where(_has_tag(query.tag, dialect))
    if query.placed_from:
        stmt = stmt.where(orders.c.placed_at >= datetime.combine(query.placed_from, time(), UTC))
    if query.placed_to:
        end = datetime.combine(query.placed_to + timedelta(days=1), time(), UTC)
        stmt = stmt.where(orders.c.placed_at < end)
    if query.q:
        stmt = stmt.where(_search(query.q))
    if query.late:
        stmt = stmt.where(orders.c.id.in_(late_order_ids()))
    return stmt


# An order with an open shipment is in one of these (shipped/delivered/cancelled have none).
_ORDER_OPEN = tuple(
    s.value
    for s in (
        OrderStatus.PENDING,
        OrderStatus.READY,
        OrderStatus.ON_HOLD,
        OrderStatus.PARTIALLY_SHIPPED,
    )
)


def past_promise_ids(today: date) -> sa.Select[Any]:
    """A SELECT of the ids of orders that may still have open shipments and whose promised
    date is before ``today`` (their shipments without a promise of their own are late)."""
    return sa.select(orders.c.id).where(
        orders.c.status.in_(_ORDER_OPEN), orders.c.promised_date < today
    )


def late_order_ids(now: datetime | None = None) -> sa.Select[Any]:
    """A SELECT of the ids of orders with an open shipment past its promise: its own, else the
    order's ``promised_date`` (for the queue's *late* filter)."""
    today = (now or datetime.now(UTC)).astimezone(UTC).date()
    return shipments.late_order_ids(today, past_promise_ids(today))


def held_order_ids() -> sa.Select[Any]:
    """A SELECT of the ids of orders with a hold not yet released (a wave skips them)."""
    return sa.select(order_holds.c.order_id).where(order_holds.c.released_at.is_(None))


def queue_select(query: QueueQuery, dialect: str) -> sa.Select[Any]:
    """The SELECT for one forward page of the queue (one row more, to know if there are more)."""
    stmt = queue_filter(query, dialect)
    keyset, position = query.keyset(), query.position()
    if position is not None:
        stmt = stmt.where(keyset.after(position.key))
    return stmt.order_by(*keyset.order()).limit(query.limit + 1)


def orders_page(
    conn: sa.Connection,
    query: QueueQuery,
    columns: tuple[Any, ...] = QUEUE_COLUMNS,
    *,
    total: bool = True,
) -> Page[sa.RowMapping]:
    """One page of orders rows (forward or backward from the query's cursor), with a total."""
    stmt = queue_filter(query, conn.dialect.name, columns)
    return keyset_page(
        conn, stmt, query.keyset(), query.position(), query.limit, query.key_of, total=total
    )


@dataclass(frozen=True, slots=True)
class QueueRow:
    id: str
    number: str
    channel: str
    external_id: str | None
    status: str
    currency: str
    total: int
    customer_email: str | None
    customer_name: str | None
    tags: list[str]
    placed_at: datetime


def search_orders_page(db: Database, query: QueueQuery, *, total: bool = True) -> Page[QueueRow]:
    """One page of the queue, its neighbours' cursors and (unless not wanted) its capped total."""
    with db.read() as conn:
        page = orders_page(conn, query, total=total)
    rows = [
        QueueRow(
            r["id"],
            r["number"],
            r["channel"],
            r["external_id"],
            r["status"],
            r["currency"],
            r["total"],
            r["customer_email"],
            r["customer_name"],
            list(r["tags"]),
            as_utc(r["placed_at"]),
        )
        for r in page.items
    ]
    return page.map(rows)


def search_orders(db: Database, query: QueueQuery) -> tuple[list[QueueRow], str | None]:
    """One page of the queue and the cursor of the next page (None on the last)."""
    page = search_orders_page(db, query, total=False)  # the queue shows no total: skip the count
    return page.items, page.next_cursor
