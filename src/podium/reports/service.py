"""Run a report by name: check the filters name a channel and a warehouse Podium knows, then
build the report from the capabilities' public reads."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from podium import catalog
from podium.db.database import Database, utcnow
from podium.errors import NotFound, ValidationFailed
from podium.reports.fulfilment import fulfilment_report
from podium.reports.model import REPORTS, Report, ReportQuery, report_query
from podium.reports.planning_reports import cover_report, forecast_report
from podium.reports.sales import returns_report, sales_report

__all__ = ["build_query", "run_report"]

_BUILDERS: dict[str, Callable[[Database, ReportQuery], Report]] = {
    "sales-by-day": lambda db, q: sales_report(db, q, "day"),
    "sales-by-channel": lambda db, q: sales_report(db, q, "channel"),
    "sales-by-sku": lambda db, q: sales_report(db, q, "sku"),
    "forecast-accuracy": forecast_report,
    "stock-cover": cover_report,
    "fulfilment": fulfilment_report,
    "returns-by-sku": lambda db, q: returns_report(db, q, "sku"),
    "returns-by-reason": lambda db, q: returns_report(db, q, "reason"),
}


def build_query(
    db: Database,
    first: date | None = None,
    last: date | None = None,
    channel: str | None = None,
    warehouse: str | None = None,
) -> ReportQuery:
    """The query with its defaults (the last 28 days), a channel and a warehouse that exist:
    else 422 naming the field (``invalid_range``, ``unknown_channel``, ``unknown_warehouse``)."""
    q = report_query(utcnow().date(), first, last, channel, warehouse)
    for field, code, check in (
        ("channel", q.channel, catalog.get_channel),
        ("warehouse", q.warehouse, catalog.get_warehouse),
    ):
        if code is None:
            continue
        try:
            check(db, code)
        except NotFound:
            raise ValidationFailed(
                f"No {field} {code!r}.", code=f"unknown_{field}", details={"field": field}
            ) from None
    return q


def run_report(db: Database, name: str, q: ReportQuery) -> Report:
    """The report called ``name`` (one of ``REPORTS``) for the query; 404 ``report_not_found``
    for another name."""
    build = _BUILDERS.get(name)
    if build is None:
        raise NotFound(
            f"No report {name!r} (reports: {', '.join(REPORTS)}).",
            code="report_not_found",
            details={"field": "name", "allowed": list(REPORTS)},
        )
    return build(db, q)
