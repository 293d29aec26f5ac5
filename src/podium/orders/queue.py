"""The order queue: filters, search, sorting and keyset pagination for the dashboard.

``QueueQuery.parse`` (pure) checks what a user typed; ``queue_select`` (pure) builds the SQL;
``search_orders`` runs it. Pages are keyset-paginated on (sort key, id), so page 500 costs what
page 1 costs.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa

from podium.db.database import Database, as_utc
from podium.db.tables import order_holds, orders, shipments
from podium.errors import ValidationFailed
from podium.fulfillment.queue import late_order_ids
from podium.orders.status import HoldReason, OrderStatus
from podium.orders.store import NUMBER_PREFIX

__all__ = [
    "SORTS",
    "QueueQuery",
    "QueueRow",
    "param_date",
    "param_error",
    "queue_select",
    "search_orders",
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
            decode_key(cursor)  # refuse a cursor we never handed out now, not mid-query
        return cls(
            status=status,
            channel=value.get("channel"),
            warehouse=value.get("warehouse"),
            tag=value.get("tag"),
            hold_reason=reason,
            placed_from=placed_from,
            placed_to=placed_to,
            q=q,
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
            "late": "1" if self.late else None,
            "sort": self.sort if self.sort != "newest" else None,
            "cursor": self.cursor,
        }
        values.update(override)
        return {k: str(v) for k, v in values.items() if v is not None}


def encode_key(value: Any, order_id: str) -> str:
    raw = value.isoformat() if isinstance(value, datetime) else value
    return base64.urlsafe_b64encode(json.dumps([raw, order_id]).encode()).decode().rstrip("=")


def decode_key(cursor: str) -> tuple[Any, str]:
    try:
        raw, order_id = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(order_id, str) or not isinstance(raw, str | int):
            raise ValueError
    except (ValueError, TypeError):
        raise param_error("cursor", "That page link is not one Podium made.") from None
    return raw, order_id


def _key_value(column: str, raw: Any) -> Any:
    if column == "placed_at":
        try:
            return as_utc(datetime.fromisoformat(str(raw)))
        except ValueError:
            raise param_error("cursor", "That page link is not one Podium made.") from None
    if not isinstance(raw, int):
        raise param_error("cursor", "That page link is not one Podium made.")
    return raw


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


def queue_select(query: QueueQuery, dialect: str) -> sa.Select[Any]:
    """The SELECT for one page of the queue (one row more than the page, to know if more)."""
    column_name, descending = SORTS[query.sort]
    column = orders.c[column_name]
    stmt = sa.select(
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
    if query.status:
        stmt = stmt.where(orders.c.status == query.status)
    if query.channel:
        stmt = stmt.where(orders.c.channel == query.channel)
    if query.warehouse:
        stmt = stmt.where(
            sa.exists(
                sa.select(1).where(
                    shipments.c.order_id == orders.c.id,
                    shipments.c.warehouse == query.warehouse,
                )
            )
        )
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
    if query.cursor:
        raw, after_id = decode_key(query.cursor)
        key = _key_value(column_name, raw)
        if descending:
            stmt = stmt.where(sa.tuple_(column, orders.c.id) < sa.tuple_(key, after_id))
        else:
            stmt = stmt.where(sa.tuple_(column, orders.c.id) > sa.tuple_(key, after_id))
    order = (column.desc(), orders.c.id.desc()) if descending else (column.asc(), orders.c.id)
    return stmt.order_by(*order).limit(query.limit + 1)


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


def search_orders(db: Database, query: QueueQuery) -> tuple[list[QueueRow], str | None]:
    """One page of the queue and the cursor of the next page (None on the last)."""
    with db.read() as conn:
        stmt = queue_select(query, conn.dialect.name)
        rows = list(conn.execute(stmt).mappings())
    page = [
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
        for r in rows[: query.limit]
    ]
    next_cursor = None
    if len(rows) > query.limit:
        last = page[-1]
        column_name = SORTS[query.sort][0]
        next_cursor = encode_key(getattr(last, column_name), last.id)
    return page, next_cursor
