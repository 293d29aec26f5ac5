"""SQL for planning (the ``planning_*`` tables only)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from podium.db.database import insert_many
from podium.db.tables import (
    planning_demand,
    planning_forecast_runs,
    planning_forecasts,
    planning_stockouts,
)

__all__ = [
    "demand_rows",
    "demand_summary",
    "forecast_rows",
    "insert_chunked",
    "insert_run",
    "last_day",
    "latest_run",
    "replace_forecasts",
    "replace_from_orders",
    "replace_imported",
    "stockout_rows",
    "stockouts_of",
]

_d, _s, _f, _r = (
    planning_demand.c,
    planning_stockouts.c,
    planning_forecasts.c,
    planning_forecast_runs.c,
)
CHUNK = 5000


def insert_chunked(conn: Connection, table: sa.Table, rows: Sequence[Mapping[str, Any]]) -> None:
    for i in range(0, len(rows), CHUNK):
        insert_many(conn, table, rows[i : i + CHUNK])


def replace_imported(
    conn: Connection,
    spans: Mapping[tuple[str, str, str], tuple[date, date]],
    demand: Sequence[Mapping[str, Any]],
    stockouts: Sequence[Mapping[str, Any]],
) -> None:
    """An imported file replaces the imported history of each series it covers, over the
    days from its first to its last row of that series."""
    for (sku, warehouse, channel), (first, last) in spans.items():
        conn.execute(
            planning_demand.delete().where(
                _d.source == "import",
                _d.sku == sku,
                _d.warehouse == warehouse,
                _d.channel == channel,
                _d.day.between(first, last),
            )
        )
    for (sku, warehouse), (first, last) in _stock_spans(spans).items():
        conn.execute(
            planning_stockouts.delete().where(
                _s.source == "import",
                _s.sku == sku,
                _s.warehouse == warehouse,
                _s.day.between(first, last),
            )
        )
    insert_chunked(conn, planning_demand, demand)
    insert_chunked(conn, planning_stockouts, stockouts)


def _stock_spans(
    spans: Mapping[tuple[str, str, str], tuple[date, date]],
) -> dict[tuple[str, str], tuple[date, date]]:
    out: dict[tuple[str, str], tuple[date, date]] = {}
    for (sku, warehouse, _), (first, last) in spans.items():
        if warehouse:
            was = out.get((sku, warehouse), (first, last))
            out[(sku, warehouse)] = (min(was[0], first), max(was[1], last))
    return out


def replace_from_orders(
    conn: Connection,
    since: date | None,
    demand: Sequence[Mapping[str, Any]],
    stockouts: Sequence[Mapping[str, Any]],
) -> None:
    """The rows rebuilt from orders (and the stock ledger) replace those from ``since`` on."""
    for table, day in ((planning_demand, _d.day), (planning_stockouts, _s.day)):
        where = [table.c.source == "orders"]
        if since is not None:
            where.append(day >= since)
        conn.execute(table.delete().where(*where))
    insert_chunked(conn, planning_demand, demand)
    insert_chunked(conn, planning_stockouts, stockouts)


def demand_rows(conn: Connection, since: date) -> Iterator[tuple[str, str, date, int]]:
    """(sku, warehouse, day, units) summed over channels and sources, from ``since`` on."""
    query = (
        sa.select(_d.sku, _d.warehouse, _d.day, sa.func.sum(_d.quantity))
        .where(_d.day >= since)
        .group_by(_d.sku, _d.warehouse, _d.day)
    )
    for row in conn.execute(query):
        yield row[0], row[1], row[2], int(row[3])


def stockout_rows(conn: Connection, since: date) -> Iterator[tuple[str, str, date]]:
    query = sa.select(_s.sku, _s.warehouse, _s.day).where(_s.day >= since).distinct()
    for row in conn.execute(query):
        yield row[0], row[1], row[2]


def stockouts_of(conn: Connection, sku: str | None) -> list[tuple[date, str, str, str]]:
    """(day, sku, warehouse, source) of the marked stock-out days, by SKU, warehouse, day."""
    query = sa.select(_s.day, _s.sku, _s.warehouse, _s.source)
    if sku is not None:
        query = query.where(_s.sku == sku)
    query = query.order_by(_s.sku, _s.warehouse, _s.day, _s.source)
    return [(r[0], r[1], r[2], r[3]) for r in conn.execute(query)]


def last_day(conn: Connection) -> date | None:
    value = conn.execute(sa.select(sa.func.max(_d.day))).scalar()
    return value if isinstance(value, date) or value is None else date.fromisoformat(str(value))


def demand_summary(
    conn: Connection,
    by: str,
    sku: str | None,
    first: date | None,
    last: date | None,
    limit: int,
) -> list[tuple[date, str, str, int]]:
    """Daily units per (day, sku, ``by``) where ``by`` is warehouse or channel."""
    column = _d.warehouse if by == "warehouse" else _d.channel
    query = sa.select(_d.day, _d.sku, column, sa.func.sum(_d.quantity))
    if sku is not None:
        query = query.where(_d.sku == sku)
    if first is not None:
        query = query.where(_d.day >= first)
    if last is not None:
        query = query.where(_d.day <= last)
    query = query.group_by(_d.day, _d.sku, column).order_by(_d.sku, column, _d.day).limit(limit)
    return [(r[0], r[1], r[2], int(r[3])) for r in conn.execute(query)]


def insert_run(conn: Connection, values: Mapping[str, Any]) -> None:
    conn.execute(planning_forecast_runs.insert(), dict(values))


def replace_forecasts(conn: Connection, rows: Iterable[Mapping[str, Any]]) -> None:
    """The new run's rows replace every forecast. On PostgreSQL the table is locked first, so
    two runs finishing together replace one after the other (SQLite's BEGIN IMMEDIATE already
    lets one writer in at a time)."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("LOCK TABLE planning_forecasts IN SHARE ROW EXCLUSIVE MODE"))
    conn.execute(planning_forecasts.delete())
    insert_chunked(conn, planning_forecasts, list(rows))


def latest_run(conn: Connection) -> sa.RowMapping | None:
    query = sa.select(planning_forecast_runs).order_by(_r.created_at.desc(), _r.id.desc()).limit(1)
    return conn.execute(query).mappings().first()


def forecast_rows(conn: Connection, sku: str, warehouse: str | None) -> list[sa.RowMapping]:
    query = sa.select(planning_forecasts).where(_f.sku == sku)
    if warehouse is not None:
        query = query.where(_f.warehouse == warehouse)
    return list(conn.execute(query.order_by(_f.warehouse, _f.day)).mappings())


def run_by_id(conn: Connection, run_id: str) -> sa.RowMapping | None:
    return conn.execute(sa.select(planning_forecast_runs).where(_r.id == run_id)).mappings().first()


def channel_units(conn: Connection, sku: str, warehouse: str | None, since: date) -> dict[str, int]:
    """Units per channel ('' when none was given) of a SKU from ``since`` on."""
    query = sa.select(_d.channel, sa.func.sum(_d.quantity)).where(_d.sku == sku, _d.day >= since)
    if warehouse is not None:
        query = query.where(_d.warehouse == warehouse)
    return {r[0]: int(r[1]) for r in conn.execute(query.group_by(_d.channel))}


def forecast_days(
    conn: Connection, first: Any, last: Any, warehouse: str | None
) -> list[tuple[str, str, Any, float]]:
    """(sku, warehouse, day, quantity) of the latest run from ``first`` to ``last``."""
    query = sa.select(_f.sku, _f.warehouse, _f.day, _f.quantity).where(
        _f.day >= first, _f.day <= last
    )
    if warehouse is not None:
        query = query.where(_f.warehouse == warehouse)
    rows = conn.execute(query.order_by(_f.sku, _f.warehouse, _f.day))
    return [(r[0], r[1], r[2], float(r[3])) for r in rows]
