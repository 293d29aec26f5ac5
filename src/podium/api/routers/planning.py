"""Demand planning (issue 16): history import and read, forecast runs, forecasts per SKU and
the backtest beside seasonal naive."""

from __future__ import annotations

from datetime import date
from typing import Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from podium import planning
from podium.access import Permission
from podium.api.deps import Caller, get_podium, require
from podium.api.routers.imports import CSV_BODY, csv_body, import_answer
from podium.api.routers.planning_purchasing import router as purchasing_router
from podium.api.routers.planning_supply import router as supply_router
from podium.bootstrap import Podium
from podium.errors import ValidationFailed
from podium.planning import (
    BacktestView,
    DemandDay,
    ForecastRunIn,
    ForecastRunView,
    ForecastView,
    HistoryImportReport,
    HistoryRebuild,
    StockoutDay,
)
from podium.validation import Code, Sku

router = APIRouter(tags=["planning"])

READ = Depends(require(Permission.READ))
OPERATE = Depends(require(Permission.OPERATE))


@router.post(
    "/planning/history",
    response_model=HistoryImportReport,
    responses={
        201: {"description": "Imported."},
        422: {"description": "Rows rejected (`import_rejected`); nothing was written."},
    },
    openapi_extra=CSV_BODY,
)
async def import_history(
    request: Request,
    dry_run: bool = Query(False, description="Validate; write nothing."),
    caller: Caller = OPERATE,
    podium: Podium = Depends(get_podium),
) -> Response:
    """Sales history from a CSV `date,sku,quantity[,warehouse][,channel][,stockout]`, all or
    nothing. A file replaces the imported days of each series it covers (re-importing it
    changes nothing)."""
    data, _ = await csv_body(request)
    report = await run_in_threadpool(
        lambda: planning.import_history(podium.db, data, dry_run=dry_run)
    )
    return import_answer(report)


@router.post("/planning/history/rebuild", response_model=HistoryRebuild)
def rebuild_history(
    since: date | None = Query(None, description="Rebuild from this day on (default: all)."),
    _: Caller = OPERATE,
    podium: Podium = Depends(get_podium),
) -> HistoryRebuild:
    """Rebuild the daily demand that comes from orders (net of cancellations) and the
    stock-out days from the stock ledger."""
    return planning.rebuild_history(podium.db, since=since)


@router.get("/planning/history", response_model=list[DemandDay])
def read_history(
    by: Literal["warehouse", "channel"] = Query("warehouse"),
    sku: Sku | None = Query(None),
    start: date | None = Query(None, alias="from"),
    end: date | None = Query(None, alias="to"),
    limit: int = Query(10_000, ge=1, le=100_000, description="At most this many rows."),
    _: Caller = READ,
    podium: Podium = Depends(get_podium),
) -> list[DemandDay]:
    """Daily units per SKU × warehouse (`by=warehouse`) or SKU × channel (`by=channel`),
    ordered by SKU, warehouse or channel, then day; at most `limit` rows (narrow by `sku`,
    `from` and `to` for more)."""
    if start is not None and end is not None and end < start:
        raise ValidationFailed(
            "`to` is before `from`.", code="invalid_range", details={"field": "to"}
        )
    return planning.demand_history(podium.db, by=by, sku=sku, first=start, last=end, limit=limit)


@router.get("/planning/stockouts", response_model=list[StockoutDay])
def read_stockouts(
    sku: Sku | None = Query(None),
    _: Caller = READ,
    podium: Podium = Depends(get_podium),
) -> list[StockoutDay]:
    """Days marked as stock-outs (lost sales, not zero demand): from the stock ledger at each
    rebuild (`source` "orders") or from an imported file's `stockout` column."""
    return planning.stockouts(podium.db, sku=sku)


@router.post("/planning/forecasts/run", response_model=ForecastRunView, status_code=201)
async def run_forecast(
    body: ForecastRunIn,
    rebuild: bool = Query(True, description="Rebuild the history from orders first."),
    caller: Caller = OPERATE,
    podium: Podium = Depends(get_podium),
) -> ForecastRunView:
    """Forecast every SKU × warehouse `horizon_days` past the last day of history."""
    return await run_in_threadpool(
        lambda: planning.run_forecast(podium.db, body, actor=caller.actor, rebuild=rebuild)
    )


@router.get("/planning/forecasts/{sku}", response_model=ForecastView)
def read_forecast(
    sku: Sku,
    warehouse: Code | None = Query(None, description="One warehouse instead of the sum."),
    _: Caller = READ,
    podium: Podium = Depends(get_podium),
) -> ForecastView:
    """The latest run's daily forecast for the SKU with its prediction interval."""
    return planning.forecast_for(podium.db, sku, warehouse)


@router.get("/planning/backtest", response_model=BacktestView)
def read_backtest(
    sku: Sku | None = Query(None),
    _: Caller = READ,
    podium: Podium = Depends(get_podium),
) -> BacktestView:
    """RMSSE and MASE of the latest run's rolling-origin backtest, overall and per SKU, beside
    seasonal naive."""
    return planning.backtest(podium.db, sku)


router.include_router(supply_router)
router.include_router(purchasing_router)
