"""Reports, the pure part: which reports exist, the query they take (a date range, a channel,
a warehouse), the table they answer with, and the table as CSV. No I/O."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from podium.csvsafe import csv_text
from podium.errors import ValidationFailed

__all__ = [
    "DEFAULT_DAYS",
    "MAX_DAYS",
    "REPORTS",
    "Cell",
    "Column",
    "Report",
    "ReportQuery",
    "report_csv",
    "report_query",
]

DEFAULT_DAYS = 28
MAX_DAYS = 366

# name -> title, in the order the dashboard shows them.
REPORTS: dict[str, str] = {
    "sales-by-day": "Sales by day",
    "sales-by-channel": "Sales by channel",
    "sales-by-sku": "Sales by SKU",
    "forecast-accuracy": "Forecast vs actual per SKU",
    "stock-cover": "Stock-out risk (days of cover)",
    "fulfilment": "Fulfilment performance",
    "returns-by-sku": "Returns by SKU",
    "returns-by-reason": "Returns by reason",
}

Cell = str | int | float | bool | None


@dataclass(frozen=True, slots=True)
class ReportQuery:
    """Days ``first`` to ``last`` (UTC, both included), optionally one channel / warehouse."""

    first: date
    last: date
    channel: str | None = None
    warehouse: str | None = None

    @property
    def days(self) -> list[date]:
        return [self.first + timedelta(days=i) for i in range((self.last - self.first).days + 1)]


def report_query(
    today: date,
    first: date | None = None,
    last: date | None = None,
    channel: str | None = None,
    warehouse: str | None = None,
) -> ReportQuery:
    """The query with its defaults: ``last`` is today, ``first`` 28 days before ``last``.
    A range that ends before it starts, or is longer than a year, is refused naming the field."""
    last = last if last is not None else today
    first = first if first is not None else last - timedelta(days=DEFAULT_DAYS - 1)
    if last < first:
        raise ValidationFailed(
            "`to` is before `from`.", code="invalid_range", details={"field": "to"}
        )
    if (last - first).days + 1 > MAX_DAYS:
        raise ValidationFailed(
            f"A report covers at most {MAX_DAYS} days.",
            code="range_too_long",
            details={"field": "from", "max_days": MAX_DAYS},
        )
    return ReportQuery(first, last, channel or None, warehouse or None)


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    label: str
    numeric: bool = True


@dataclass(slots=True)
class Report:
    """One report's answer: a table (columns, rows of cells by column key), the bars its chart
    draws (label, value per series) and a note on how to read it."""

    name: str
    title: str
    query: ReportQuery
    columns: Sequence[Column]
    rows: Sequence[dict[str, Cell]]
    series: tuple[str, ...] = ()
    bars: Sequence[tuple[str, tuple[float, ...]]] = ()
    note: str = ""

    def as_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "title": self.title,
            "from": self.query.first.isoformat(),
            "to": self.query.last.isoformat(),
            "channel": self.query.channel,
            "warehouse": self.query.warehouse,
            "note": self.note,
            "columns": [{"key": c.key, "label": c.label} for c in self.columns],
            "rows": self.rows,
        }


def report_csv(report: Report) -> str:
    """The table as CSV: a header of column keys, then one line per row (formula-safe)."""
    keys = [c.key for c in report.columns]
    return csv_text(keys, ([row.get(k) for k in keys] for row in report.rows))
