"""Reports over demand planning: the latest forecast against what sold, and days of cover."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from podium import planning
from podium.db.database import Database, as_utc, utcnow
from podium.errors import NotFound
from podium.reports.maths import accuracy, days_of_cover
from podium.reports.model import REPORTS, Column, Report, ReportQuery
from podium.reports.sales import sold_lines

__all__ = ["cover_report", "forecast_report"]

_TOP = 20


def forecast_report(db: Database, q: ReportQuery) -> Report:
    """Per SKU, the latest run's forecast beside the units sold, over the days of the range
    that the run forecast and that are over (before today)."""
    last = min(q.last, utcnow().date() - timedelta(days=1))
    rows_in = planning.forecast_days(db, q.first, last, q.warehouse) if last >= q.first else []
    forecast: dict[str, dict[date, float]] = defaultdict(lambda: defaultdict(float))
    for sku, _, day, quantity in rows_in:
        forecast[sku][day] += quantity
    actual: dict[tuple[str, date], int] = defaultdict(int)
    if forecast:
        sold_q = ReportQuery(min(d for f in forecast.values() for d in f), last, None, q.warehouse)
        for ln in sold_lines(db, sold_q):
            actual[(ln.sku, as_utc(ln.placed_at).date())] += ln.quantity
    rows: list[dict[str, str | int | float | None]] = []
    for sku in sorted(forecast):
        acc = accuracy((f, actual[(sku, day)]) for day, f in sorted(forecast[sku].items()))
        rows.append(
            {
                "sku": sku,
                "days": acc.days,
                "forecast_units": acc.forecast,
                "actual_units": acc.actual,
                "mae": acc.mae,
                "mape": acc.mape,
                "bias": acc.bias,
            }
        )
    rows.sort(key=lambda r: (-float(r["actual_units"] or 0), str(r["sku"])))
    return Report(
        name="forecast-accuracy",
        title=REPORTS["forecast-accuracy"],
        query=q,
        columns=(
            Column("sku", "SKU", numeric=False),
            Column("days", "Days"),
            Column("forecast_units", "Forecast units"),
            Column("actual_units", "Actual units"),
            Column("mae", "MAE (units/day)"),
            Column("mape", "MAPE"),
            Column("bias", "Bias"),
        ),
        rows=rows,
        series=("Forecast", "Actual"),
        bars=[
            (str(r["sku"]), (float(r["forecast_units"] or 0), float(r["actual_units"] or 0)))
            for r in rows[:_TOP]
        ],
        note="The latest forecast run's days in the range that are over, against the units "
        "ordered those days (net of cancellations, every channel). MAPE is the mean of "
        "|forecast − actual| ÷ actual over days that sold; bias (Σforecast − Σactual) ÷ "
        "Σactual, above 0 when the forecast ran high."
        + ("" if rows else " Nothing to compare yet: no forecast day in the range is over."),
    )


def cover_report(db: Database, q: ReportQuery) -> Report:
    """Days of cover per SKU × warehouse in the latest forecast run, riskiest first; below
    the lead time is at risk (the stock runs out before a purchase could arrive)."""
    items: list[planning.Suggestion] = []
    note = ""
    cursor: str | None = None
    try:
        while True:
            page = planning.replenishment(
                db, planning.ReplenishmentIn(warehouse=q.warehouse, cursor=cursor, limit=1000)
            )
            items += page.items
            cursor = page.next_cursor
            if cursor is None:
                break
    except NotFound as e:
        if e.code != "no_forecast":
            raise
        note = " No forecast has been run yet: run one (podium planning forecast)."
    rows: list[dict[str, str | int | float | bool | None]] = []
    for s in items:
        cover = days_of_cover(s.available, s.daily_demand)
        rows.append(
            {
                "sku": s.sku,
                "warehouse": s.warehouse,
                "available": s.available,
                "daily_demand": s.daily_demand,
                "days_of_cover": cover,
                "lead_time_days": s.lead_time_days,
                "at_risk": cover is not None and cover < s.lead_time_days,
            }
        )
    rows.sort(
        key=lambda r: (
            not r["at_risk"],
            r["days_of_cover"] is None,
            float(r["days_of_cover"] or 0),
            str(r["sku"]),
            str(r["warehouse"]),
        )
    )
    return Report(
        name="stock-cover",
        title=REPORTS["stock-cover"],
        query=q,
        columns=(
            Column("sku", "SKU", numeric=False),
            Column("warehouse", "Warehouse", numeric=False),
            Column("available", "Available"),
            Column("daily_demand", "Forecast units/day"),
            Column("days_of_cover", "Days of cover"),
            Column("lead_time_days", "Lead time (days)"),
            Column("at_risk", "Below lead time", numeric=False),
        ),
        rows=rows,
        series=("Days of cover",),
        bars=[
            (f"{r['sku']} @ {r['warehouse']}", (float(r["days_of_cover"]),))
            for r in rows[:_TOP]
            if r["days_of_cover"] is not None
        ],
        note="Now, not over the range: available (on hand − reserved) ÷ the latest forecast's "
        "mean daily demand; empty cover means nothing is forecast to sell. The lead time is "
        "the chosen supplier's (14 days without one)." + note,
    )
