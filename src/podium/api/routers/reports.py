"""Planning reports (issue 16 item 5) as JSON or CSV: sales, forecast vs actual, stock-out
risk, fulfilment performance, returns."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from fastapi import APIRouter, Depends, Header, Path, Query, Response
from starlette.concurrency import run_in_threadpool

from podium import reports
from podium.access import Permission
from podium.api.deps import Caller, get_podium, require
from podium.bootstrap import Podium
from podium.validation import Code

router = APIRouter(tags=["reports"])

READ = Depends(require(Permission.READ))


@router.get(
    "/reports",
    response_model=dict[str, list[dict[str, str]]],
)
def list_reports(_: Caller = READ) -> dict[str, Any]:
    """The reports there are, by name."""
    return {"items": [{"name": n, "title": t} for n, t in reports.REPORTS.items()]}


@router.get(
    "/reports/{name}",
    responses={
        200: {
            "description": "The report as JSON (`columns`, `rows`) or, with `format=csv` or "
            "`Accept: text/csv`, as CSV (a header of column keys).",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        },
        404: {"description": "`report_not_found`."},
        422: {"description": "`invalid_range`, `range_too_long`, `unknown_channel`, …"},
    },
)
async def read_report(
    name: str = Path(description=f"One of: {', '.join(reports.REPORTS)}."),
    start: date | None = Query(None, alias="from", description="First day (UTC)."),
    end: date | None = Query(None, alias="to", description="Last day (UTC), included; today."),
    channel: Code | None = Query(None),
    warehouse: Code | None = Query(None),
    format: Literal["json", "csv"] | None = Query(None, description="Else from `Accept`."),
    accept: str | None = Header(None, include_in_schema=False),
    _: Caller = READ,
    podium: Podium = Depends(get_podium),
) -> Any:
    """One report over days `from`–`to` (the last 28 days by default), optionally one channel
    or warehouse."""

    def build() -> reports.Report:
        query = reports.build_query(podium.db, start, end, channel, warehouse)
        return reports.run_report(podium.db, name, query)

    report = await run_in_threadpool(build)
    as_csv = format == "csv" or (format is None and "text/csv" in (accept or ""))
    if not as_csv:
        return report.as_json()
    q = report.query
    return Response(
        reports.report_csv(report),
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}-{q.first}-{q.last}.csv"'},
    )
