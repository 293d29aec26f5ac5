"""Demand history: a merchant's imported file, and the daily demand rebuilt from Podium's own
orders (net of cancellations) with the stock-out days read from the stock ledger.

Planning keeps its own table of daily demand (``planning_demand``), so a forecast reads a few
rows per SKU × warehouse × day instead of every order line. ``rebuild_history`` refreshes the
rows that come from orders: all of them, or from a day on (``since``); a forecast run rebuilds
first unless told not to.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Connection

from podium import catalog, inventory, orders, shipments
from podium.db.database import Database, utcnow
from podium.planning import _store as store
from podium.planning.history_file import (
    HistoryImportReport,
    ParsedHistory,
    Reject,
    parse_history,
)
from podium.planning.model import stockout_days

__all__ = [
    "DemandDay",
    "HistoryRebuild",
    "StockoutDay",
    "demand_history",
    "import_history",
    "rebuild_history",
    "stockouts",
]

_BATCH = 1000


class _Discard(Exception):
    """Roll back a dry run."""


def import_history(db: Database, data: bytes, *, dry_run: bool = False) -> HistoryImportReport:
    """Import a history file all or nothing: any reject and nothing is written."""
    parsed = parse_history(data, utcnow().date())
    report = HistoryImportReport(
        dry_run=dry_run,
        rows_read=parsed.rows_read,
        ignored_columns=parsed.ignored_columns,
        rejects=parsed.rejects,
    )
    if parsed.rejects:
        report.rejects.sort(key=lambda r: r.line)
        return report
    try:
        with db.write() as conn:
            report.rejects.extend(_unknown(conn, parsed))
            if report.rejects:
                raise _Discard
            _write_import(conn, parsed, report)
            if dry_run:
                raise _Discard
    except _Discard:
        report.rejects.sort(key=lambda r: r.line)
        return report
    report.written = report.rows > 0
    return report


def _unknown(conn: Connection, parsed: ParsedHistory) -> list[Reject]:
    skus = sorted({r.sku for r in parsed.rows})
    known: set[str] = set()
    for i in range(0, len(skus), _BATCH):
        known.update(catalog.products_by_sku(conn, skus[i : i + _BATCH]))
    warehouses = {w.code for w in catalog.warehouses(conn)}
    channels = {c.code for c in catalog.list_channels(conn)}
    rejects = []
    for row in parsed.rows:
        for name, value, codes, what in (
            ("sku", row.sku, known, "product with SKU"),
            ("warehouse", row.warehouse, warehouses, "warehouse"),
            ("channel", row.channel, channels, "channel"),
        ):
            if value and value not in codes:
                rejects.append(
                    Reject(
                        line=row.line,
                        field=name,
                        code=f"unknown_{name}",
                        message=f"No {what} {value}.",
                    )
                )
    return rejects


def _write_import(conn: Connection, parsed: ParsedHistory, report: HistoryImportReport) -> None:
    spans: dict[tuple[str, str, str], tuple[date, date]] = {}
    demand, stockouts = [], {}
    for row in parsed.rows:
        key = (row.sku, row.warehouse, row.channel)
        first, last = spans.get(key, (row.day, row.day))
        spans[key] = (min(first, row.day), max(last, row.day))
        if row.quantity:
            demand.append(
                {
                    **_key(row.sku, row.warehouse, row.day),
                    "channel": row.channel,
                    "source": "import",
                    "quantity": row.quantity,
                }
            )
        if row.stockout:
            stockouts[(row.sku, row.warehouse, row.day)] = _key(row.sku, row.warehouse, row.day)
    store.replace_imported(
        conn, spans, demand, [{**v, "source": "import"} for v in stockouts.values()]
    )
    report.rows = len(parsed.rows)
    report.series = len(spans)
    report.stockout_days = len(stockouts)
    report.first_day = min(first for first, _ in spans.values())
    report.last_day = max(last for _, last in spans.values())


def _key(sku: str, warehouse: str, day: date) -> dict[str, Any]:
    return {"sku": sku, "warehouse": warehouse, "day": day}


class HistoryRebuild(BaseModel):
    since: date | None
    order_lines: int
    demand_rows: int
    stockout_days: int
    last_day: date | None


def rebuild_history(
    db: Database, *, since: date | None = None, until: date | None = None
) -> HistoryRebuild:
    """Rebuild the daily demand that comes from orders (from ``since`` on, or all of it):
    units per day (UTC) × SKU × warehouse × channel, net of cancelled orders and lines. A
    line's units go to the warehouses its shipments take them from; units no live shipment
    carries (a backorder) have no warehouse yet ("")."""
    until = until or utcnow().date()
    start = datetime.combine(since, time(), UTC) if since else None
    totals: dict[tuple[str, str, str, date], int] = defaultdict(int)
    lines = 0
    with db.write() as conn:
        batch: list[tuple[str, datetime, str, str, int]] = []
        for line in orders.demand_lines(conn, start):
            batch.append(line)
            if len(batch) >= _BATCH and batch[-1][0] != line[0]:
                lines += _attribute(conn, batch[:-1], totals)
                batch = batch[-1:]
        lines += _attribute(conn, batch, totals)
        demand = [
            {**_key(sku, warehouse, day), "channel": channel, "source": "orders", "quantity": q}
            for (sku, warehouse, channel, day), q in totals.items()
            if day <= until
        ]
        gone = [
            {**_key(sku, warehouse, day), "source": "orders"}
            for sku, warehouse, day in stockout_days(inventory.ledger_deltas(conn), until)
            if since is None or day >= since
        ]
        store.replace_from_orders(conn, since, demand, gone)
        last = store.last_day(conn)
    return HistoryRebuild(
        since=since,
        order_lines=lines,
        demand_rows=len(demand),
        stockout_days=len(gone),
        last_day=last,
    )


def _attribute(
    conn: Connection,
    batch: list[tuple[str, datetime, str, str, int]],
    totals: dict[tuple[str, str, str, date], int],
) -> int:
    if not batch:
        return 0
    ids = sorted({b[0] for b in batch})
    live = [s for s in shipments.shipments_for_orders(conn, ids) if s.status != "cancelled"]
    carried: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    owner = {s.id: (s.order_id, s.warehouse) for s in live}
    for sl in shipments.lines_for(conn, [s.id for s in live]):
        order_id, warehouse = owner[sl.shipment_id]
        carried[(order_id, sl.sku)][warehouse] += sl.quantity
    for order_id, placed_at, channel, sku, units in batch:
        day = _utc_day(placed_at)
        where = carried.get((order_id, sku), {})
        for warehouse in sorted(where):
            take = min(units, where[warehouse])
            if take > 0:
                totals[(sku, warehouse, channel, day)] += take
                where[warehouse] -= take
                units -= take
        if units > 0:
            totals[(sku, "", channel, day)] += units
    return len(batch)


def _utc_day(at: datetime) -> date:
    return (at if at.tzinfo is None else at.astimezone(UTC)).date()


class DemandDay(BaseModel):
    date: date
    sku: str
    warehouse: str | None = None
    channel: str | None = None
    quantity: int


def demand_history(
    db: Database,
    *,
    by: str = "warehouse",
    sku: str | None = None,
    first: date | None = None,
    last: date | None = None,
    limit: int = 10_000,
) -> list[DemandDay]:
    """Daily units per SKU × warehouse (``by="warehouse"``) or per SKU × channel, by SKU,
    then warehouse or channel, then day; at most ``limit`` rows."""
    with db.read() as conn:
        rows = store.demand_summary(conn, by, sku, first, last, limit)
    return [
        DemandDay.model_validate(
            {"date": r[0], "sku": r[1], by: r[2] or None, "quantity": int(r[3])}
        )
        for r in rows
    ]


class StockoutDay(BaseModel):
    date: date
    sku: str
    warehouse: str
    source: str


def stockouts(db: Database, *, sku: str | None = None) -> list[StockoutDay]:
    """The days marked as stock-outs (from the ledger: source "orders"; or imported)."""
    with db.read() as conn:
        rows = store.stockouts_of(conn, sku)
    return [StockoutDay(date=d, sku=s, warehouse=w, source=src) for d, s, w, src in rows]
