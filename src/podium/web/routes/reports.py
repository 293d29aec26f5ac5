"""Reports (issue 16 item 5): sales, forecast vs actual, stock-out risk, fulfilment and
returns, each with a chart, its table and a CSV download; a date range and filters."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from podium import reports
from podium.catalog import read_channels, read_warehouses
from podium.db.database import utcnow
from podium.errors import DomainError, ValidationFailed
from podium.reports import Column, Report, ReportQuery
from podium.web.chart import labelled_bars
from podium.web.core import Viewer, dashboard, page, render
from podium.web.nav import NavItem

router = APIRouter(include_in_schema=False)
NAV = [NavItem("Reports", "/reports", order=50)]

SECTIONS = (
    ("Sales", ("sales-by-day", "sales-by-channel", "sales-by-sku")),
    ("Forecast vs actual", ("forecast-accuracy",)),
    ("Stock-out risk", ("stock-cover",)),
    ("Fulfilment performance", ("fulfilment",)),
    ("Returns", ("returns-by-sku", "returns-by-reason")),
)
SHOWN = 25  # rows per table on the page; the CSV has them all
_PERCENT = {"return_rate", "share", "on_time_rate", "split_rate", "mape", "bias"}


def _query(request: Request) -> ReportQuery:
    params = request.query_params
    days: dict[str, date | None] = {}
    for field in ("from", "to"):
        text = (params.get(field) or "").strip()
        try:
            days[field] = date.fromisoformat(text) if text else None
        except ValueError:
            raise ValidationFailed(
                f"`{field}` must be a date (YYYY-MM-DD).",
                code="invalid_date",
                details={"field": field},
            ) from None
    return reports.build_query(
        dashboard(request).podium.db,
        days["from"],
        days["to"],
        (params.get("channel") or "").strip()[:64] or None,
        (params.get("warehouse") or "").strip()[:64] or None,
    )


def _cell(column: Column, value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else ""
    if column.key in _PERCENT and isinstance(value, int | float):
        return f"{value * 100:.1f}%"
    return str(value)


def _view(report: Report) -> dict[str, Any]:
    return {
        "name": report.name,
        "title": report.title,
        "note": report.note,
        "columns": report.columns,
        "rows": [[_cell(c, row.get(c.key)) for c in report.columns] for row in report.rows[:SHOWN]],
        "total": len(report.rows),
        "legend": list(report.series) if len(report.series) > 1 else [],
        "chart": labelled_bars(
            report.bars,
            report.series,
            title=f"{report.title}: {', '.join(report.series)}",
            chart_id=f"chart-{report.name}",
        )
        if any(value > 0 for _, values in report.bars for value in values)
        else None,
    }


def _csv_link(name: str, q: ReportQuery) -> str:
    params = {"from": q.first.isoformat(), "to": q.last.isoformat()}
    params |= {k: v for k, v in (("channel", q.channel), ("warehouse", q.warehouse)) if v}
    return f"/reports/{name}.csv?{urlencode(params)}"


@router.get("/reports", response_class=HTMLResponse)
def reports_page(request: Request, viewer: Viewer = page()) -> HTMLResponse:
    db = dashboard(request).podium.db
    error: DomainError | None = None
    sections: list[tuple[str, list[dict[str, Any]]]] = []
    try:
        q = _query(request)
        for heading, names in SECTIONS:
            views = []
            for name in names:
                view = _view(reports.run_report(db, name, q))
                view["csv"] = _csv_link(name, q)
                views.append(view)
            sections.append((heading, views))
    except DomainError as exc:
        error, q = exc, reports.report_query(utcnow().date())
    return render(
        request,
        "reports.html",
        viewer,
        status=error.status if error else 200,
        error=error,
        query=q,
        sections=sections,
        channels=read_channels(db),
        warehouses=read_warehouses(db),
        form={k: request.query_params.get(k, "") for k in ("from", "to")},
    )


@router.get("/reports/{name}.csv", response_model=None)
def report_csv(name: str, request: Request, viewer: Viewer = page()) -> Response:
    if name not in reports.REPORTS:
        return render(request, "error.html", viewer, status=404, message=f"No report {name!r}.")
    try:
        q = _query(request)
    except DomainError as exc:
        return Response(exc.message + "\n", status_code=exc.status, media_type="text/plain")
    found = reports.run_report(dashboard(request).podium.db, name, q)
    return Response(
        reports.report_csv(found),
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}-{q.first}-{q.last}.csv"'},
    )
