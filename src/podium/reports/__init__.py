"""Planning reports (issue 16 item 5): sales, forecast vs actual, stock-out risk, fulfilment
performance and returns, as tables with chart bars, JSON and CSV. Reads other capabilities
only through their public names; owns no table. See docs/planning.md, "Reports"."""

from podium.reports.model import (
    DEFAULT_DAYS,
    MAX_DAYS,
    REPORTS,
    Column,
    Report,
    ReportQuery,
    report_csv,
    report_query,
)
from podium.reports.service import build_query, run_report

__all__ = [
    "DEFAULT_DAYS",
    "MAX_DAYS",
    "REPORTS",
    "Column",
    "Report",
    "ReportQuery",
    "build_query",
    "report_csv",
    "report_query",
    "run_report",
]
