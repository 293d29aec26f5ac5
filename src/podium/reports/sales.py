"""Sales by SKU, channel or day, and returns by SKU or reason against the units sold."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Literal

from podium import orders, returns
from podium.db.database import Database, as_utc
from podium.money import format_amount
from podium.reports.maths import Sales, rate
from podium.reports.model import REPORTS, Cell, Column, Report, ReportQuery
from podium.reports.reading import from_warehouse, shipped_units, window

__all__ = ["returns_report", "sales_report", "sold_lines"]

_SALES_COLUMNS = (
    Column("orders", "Orders"),
    Column("units", "Units"),
    Column("revenue", "Revenue"),
    Column("currency", "Currency", numeric=False),
)
_KEY_LABEL = {"sku": "SKU", "channel": "Channel", "day": "Day"}
_TOP = 20


def sold_lines(db: Database, q: ReportQuery) -> list[orders.SalesLine]:
    start, end = window(q)
    with db.read() as conn:
        lines = orders.sales_lines(conn, start, end, q.channel)
        return from_warehouse(conn, lines, q.warehouse) if q.warehouse else lines


def sales_report(db: Database, q: ReportQuery, by: Literal["sku", "channel", "day"]) -> Report:
    """Orders, units and line revenue net of cancelled units, per key and currency."""
    groups: dict[tuple[str, str], Sales] = defaultdict(Sales)
    for ln in sold_lines(db, q):
        key = {"sku": ln.sku, "channel": ln.channel}.get(by) or as_utc(
            ln.placed_at
        ).date().isoformat()
        groups[(key, ln.currency)].add(ln.order_id, ln.quantity, ln.unit_price)
    rows: list[dict[str, Cell]] = [
        {
            by: key,
            "orders": len(s.orders),
            "units": s.units,
            "revenue": format_amount(s.revenue, currency),
            "currency": currency,
        }
        for (key, currency), s in groups.items()
    ]
    if by == "day":
        rows.sort(key=lambda r: (str(r["day"]), str(r["currency"])))
        units: Counter[str] = Counter()
        for (key, _), s in groups.items():
            units[key] += s.units
        bars = [(d.isoformat(), (float(units[d.isoformat()]),)) for d in q.days]
    else:
        rows.sort(key=lambda r: (-int(r["units"] or 0), str(r[by]), str(r["currency"])))
        units = Counter()
        for (key, _), s in groups.items():
            units[key] += s.units
        bars = [(k, (float(n),)) for k, n in units.most_common(_TOP)]
    return Report(
        name=f"sales-by-{by}",
        title=REPORTS[f"sales-by-{by}"],
        query=q,
        columns=(Column(by, _KEY_LABEL[by], numeric=False), *_SALES_COLUMNS),
        rows=rows,
        series=("Units",),
        bars=bars,
        note="Orders not cancelled, placed in the range (UTC days); units net of cancelled "
        "units; revenue is units × unit price, before order discounts, shipping and tax."
        + (" Units shipped from the warehouse only." if q.warehouse else ""),
    )


def returns_report(db: Database, q: ReportQuery, by: Literal["sku", "reason"]) -> Report:
    """Units on returns opened in the range (not rejected), per SKU beside the units sold in
    the range, or per reason."""
    start, end = window(q)
    with db.read() as conn:
        sold = orders.sales_lines(conn, start, end, q.channel)
        back = returns.returned_lines(conn, start, end)
        if q.channel:
            channel_of = orders.order_channels(conn, [r.order_id for r in back])
            back = [r for r in back if channel_of.get(r.order_id) == q.channel]
        if q.warehouse:
            sold = from_warehouse(conn, sold, q.warehouse)
            shipped = shipped_units(conn, [r.order_id for r in back], q.warehouse)
            back = [r for r in back if shipped.get((r.order_id, r.sku), 0) > 0]
    if by == "sku":
        units_sold: Counter[str] = Counter()
        for ln in sold:
            units_sold[ln.sku] += ln.quantity
        returned: Counter[str] = Counter()
        reasons: dict[str, Counter[str]] = defaultdict(Counter)
        for r in back:
            returned[r.sku] += r.quantity
            reasons[r.sku][r.reason] += r.quantity
        rows: list[dict[str, Cell]] = [
            {
                "sku": sku,
                "units_sold": units_sold[sku],
                "units_returned": returned[sku],
                "return_rate": rate(returned[sku], units_sold[sku]),
                "top_reason": reasons[sku].most_common(1)[0][0] if reasons[sku] else None,
            }
            for sku in sorted(set(returned) | set(units_sold))
        ]
        rows.sort(key=lambda r: (-int(r["units_returned"] or 0), str(r["sku"])))
        columns: tuple[Column, ...] = (
            Column("sku", "SKU", numeric=False),
            Column("units_sold", "Units sold"),
            Column("units_returned", "Units returned"),
            Column("return_rate", "Return rate"),
            Column("top_reason", "Top reason", numeric=False),
        )
        bars = [
            (str(r["sku"]), (float(r["units_returned"] or 0),))
            for r in rows[:_TOP]
            if r["units_returned"]
        ]
    else:
        total = sum(r.quantity for r in back)
        per: dict[str, tuple[int, set[str]]] = {}
        for r in back:
            n, skus = per.get(r.reason, (0, set()))
            per[r.reason] = (n + r.quantity, skus | {r.sku})
        rows = [
            {"reason": reason, "units_returned": n, "share": rate(n, total), "skus": len(skus)}
            for reason, (n, skus) in sorted(per.items(), key=lambda kv: (-kv[1][0], kv[0]))
        ]
        columns = (
            Column("reason", "Reason", numeric=False),
            Column("units_returned", "Units returned"),
            Column("share", "Share of returned units"),
            Column("skus", "SKUs"),
        )
        bars = [(str(r["reason"]), (float(r["units_returned"] or 0),)) for r in rows[:_TOP]]
    return Report(
        name=f"returns-by-{by}",
        title=REPORTS[f"returns-by-{by}"],
        query=q,
        columns=columns,
        rows=rows,
        series=("Units returned",),
        bars=bars,
        note="Returns opened in the range that were not rejected; the return rate is units "
        "returned ÷ units sold in the same range.",
    )
