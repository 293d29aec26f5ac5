"""Cursor pagination: one cursor format and one keyset page for every list.

A cursor is an opaque, URL-safe token: base64url (no padding) of the JSON
``[1, "a" | "b", [key, ...]]`` -- version, direction ("after" the key: the next page; "before"
it: the previous page) and the sort key of the row it points at. Decoding is strict and can only
fail with ``ValidationFailed`` (422, code ``invalid_cursor``, field ``cursor``): a token we did
not make never reaches SQL. Pages are keyset pages (``WHERE (sort key) < (cursor key)``), so
page 500 costs what page 1 costs, in both directions.

Totals are counted over at most ``TOTAL_CAP + 1`` rows so a list of 100,000 orders stays fast:
``{"value": n, "exact": true}``, or ``{"value": TOTAL_CAP, "exact": false}`` meaning "more than".
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

import sqlalchemy as sa
from sqlalchemy import Connection

from podium.errors import ValidationFailed

__all__ = [
    "MAX_CURSOR_CHARS",
    "TOTAL_CAP",
    "Keyset",
    "Page",
    "Position",
    "Total",
    "count_capped",
    "decode_cursor",
    "encode_cursor",
    "invalid_cursor",
    "keyset_page",
]

VERSION = 1
MAX_PART_CHARS = 200
# Room for a time and two text parts of MAX_PART_CHARS characters of up to 4 UTF-8 bytes each,
# as base64: every cursor a list hands out decodes (a 60-character non-ASCII SKU did not fit 512).
MAX_CURSOR_CHARS = 2400
TOTAL_CAP = 10_000
_INT_MIN, _INT_MAX = -(2**63), 2**63 - 1  # a BIGINT column: anything wider is not a position
_TOKEN = re.compile(r"[A-Za-z0-9_-]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

KeyPart = str | int | datetime
T = TypeVar("T")


def invalid_cursor(message: str = "cursor is not one this list handed out.") -> ValidationFailed:
    return ValidationFailed(message, code="invalid_cursor", details={"field": "cursor"})


@dataclass(frozen=True, slots=True)
class Position:
    """Where a page starts: just after ``key`` (forward) or just before it (backward)."""

    key: tuple[KeyPart, ...]
    backward: bool = False


def _utc(at: datetime) -> datetime:
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


def encode_cursor(key: Sequence[KeyPart], *, backward: bool = False) -> str:
    parts = [_utc(p).isoformat() if isinstance(p, datetime) else p for p in key]
    body = json.dumps(
        [VERSION, "b" if backward else "a", parts], separators=(",", ":"), ensure_ascii=False
    )
    return base64.urlsafe_b64encode(body.encode()).decode().rstrip("=")


def _part(raw: object, kind: type) -> KeyPart:
    if kind is int:
        # bool is an int to Python (and JSON's true would pass), so compare the type exactly
        if type(raw) is not int or not _INT_MIN <= raw <= _INT_MAX:
            raise invalid_cursor()
        return raw
    if type(raw) is not str or len(raw) > MAX_PART_CHARS or _CONTROL.search(raw):
        raise invalid_cursor()
    raw.encode("utf-8")  # a lone surrogate (from a "\ud800" escape) raises ValueError here
    if kind is datetime:
        return _utc(datetime.fromisoformat(raw))
    return raw


def decode_cursor(cursor: str, shape: Sequence[type]) -> Position:
    """The position in ``cursor``, whose key must have the types in ``shape`` (str, int or
    datetime); anything else raises ``invalid_cursor``."""
    if not 0 < len(cursor) <= MAX_CURSOR_CHARS or not _TOKEN.fullmatch(cursor):
        raise invalid_cursor()
    try:
        doc = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode())
        if not (
            isinstance(doc, list)
            and len(doc) == 3
            and type(doc[0]) is int
            and doc[0] == VERSION
            and doc[1] in ("a", "b")
            and isinstance(doc[2], list)
            and len(doc[2]) == len(shape)
        ):
            raise invalid_cursor()
        key = tuple(_part(raw, kind) for raw, kind in zip(doc[2], shape, strict=True))
    except (ValueError, TypeError, OverflowError, RecursionError):
        # binascii.Error, UnicodeDecodeError and JSONDecodeError are all ValueErrors
        raise invalid_cursor() from None
    return Position(key, backward=doc[1] == "b")


@dataclass(frozen=True, slots=True)
class Total:
    value: int
    exact: bool  # False: there are more than ``value``

    def body(self) -> dict[str, object]:
        return {"value": self.value, "exact": self.exact}


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: list[T]
    next_cursor: str | None
    prev_cursor: str | None
    total: Total | None = None

    def body(self, items: Sequence[Any] | None = None) -> dict[str, object]:
        """The list's JSON body (``items`` replaced by ``items`` when given, e.g. views)."""
        return {
            "items": list(self.items if items is None else items),
            "next_cursor": self.next_cursor,
            "prev_cursor": self.prev_cursor,
            "total": self.total.body() if self.total else None,
        }

    def map(self, items: list[Any]) -> Page[Any]:
        return Page(items, self.next_cursor, self.prev_cursor, self.total)


@dataclass(frozen=True, slots=True)
class Keyset:
    """The list's order: ``columns`` (the last one unique) all ascending or all descending."""

    columns: tuple[sa.ColumnElement[Any], ...]
    descending: bool

    def after(self, key: Sequence[KeyPart]) -> sa.ColumnElement[bool]:
        """Rows after ``key`` in list order (``before`` when ``reverse``)."""
        return self._beyond(key, reverse=False)

    def before(self, key: Sequence[KeyPart]) -> sa.ColumnElement[bool]:
        return self._beyond(key, reverse=True)

    def _beyond(self, key: Sequence[KeyPart], *, reverse: bool) -> sa.ColumnElement[bool]:
        lower = self.descending != reverse
        if len(self.columns) == 1:
            column, value = self.columns[0], key[0]
            return column < value if lower else column > value
        # a row-value comparison, which both engines answer from a (sort key, id) index
        left, right = sa.tuple_(*self.columns), sa.tuple_(*key)
        return left < right if lower else left > right

    def order(self, *, reverse: bool = False) -> list[sa.ColumnElement[Any]]:
        down = self.descending != reverse
        return [c.desc() if down else c.asc() for c in self.columns]


def count_capped(conn: Connection, stmt: sa.Select[Any], cap: int = TOTAL_CAP) -> Total:
    """How many rows ``stmt`` (filters only) has, counting at most ``cap + 1``."""
    # Only a constant is selected, so the engine can count from an index alone.
    narrow: sa.Select[Any] = stmt.with_only_columns(
        sa.literal_column("1"), maintain_column_froms=True
    )
    limited = narrow.order_by(None).limit(cap + 1).subquery()
    found = int(conn.execute(sa.select(sa.func.count()).select_from(limited)).scalar_one())
    return Total(min(found, cap), exact=found <= cap)


def keyset_page(
    conn: Connection,
    stmt: sa.Select[Any],
    keyset: Keyset,
    position: Position | None,
    limit: int,
    key_of: Callable[[Any], Sequence[Any]],
    *,
    total: bool = True,
) -> Page[sa.RowMapping]:
    """One page of ``stmt`` (filters only, no ORDER BY/LIMIT) from ``position``.

    A forward page fetches one row more than ``limit`` to know whether there is a next page; a
    backward page walks the index the other way and is turned round. ``prev_cursor`` is given
    whenever the page did not start at the beginning.
    """
    counted = count_capped(conn, stmt) if total else None
    backward = position is not None and position.backward
    query = stmt
    if position is not None:
        query = query.where(keyset.before(position.key) if backward else keyset.after(position.key))
    query = query.order_by(*keyset.order(reverse=backward)).limit(limit + 1)
    rows = list(conn.execute(query).mappings())
    more = len(rows) > limit
    rows = rows[:limit]
    if backward:
        rows.reverse()
    first = key_of(rows[0]) if rows else None
    last = key_of(rows[-1]) if rows else None
    if backward:
        next_cursor = encode_cursor(last) if last is not None else None
        prev_cursor = encode_cursor(first, backward=True) if more and first is not None else None
    else:
        next_cursor = encode_cursor(last) if more and last is not None else None
        started = position is not None and first is not None
        prev_cursor = encode_cursor(first, backward=True) if started and first else None
    return Page(rows, next_cursor, prev_cursor, counted)
