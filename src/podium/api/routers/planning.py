"""Demand planning (issue 16): history import and read, forecast runs, forecasts per SKU and
the backtest beside seasonal naive."""

from __future__ import annotations

from datetime import date
from typing import Literal

from fastapi import APIRouter, Depends, Path, Query, Request, Response
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
    ForecastRunStatus,
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


@router.post(
    "/planning/forecasts/run",
    response_model=ForecastRunStatus,
    status_code=202,
    responses={
        201: {"description": "`wait=true`: the run is done (its status, `run` filled in)."},
        202: {"description": "Started; follow it at `GET /planning/forecasts/runs/{id}`."},
        422: {"description": "Bad body, or `no_history`: nothing to forecast."},
    },
)
async def run_forecast(
    body: ForecastRunIn,
    response: Response,
    rebuild: bool = Query(True, description="Rebuild the history from orders first."),
    wait: bool = Query(False, description="Answer when the run is done (201), not at its start."),
    caller: Caller = OPERATE,
    podium: Podium = Depends(get_podium),
) -> ForecastRunStatus:
    """Forecast every SKU × warehouse `horizon_days` past the last day of history, in the
    background: 202 with the run's id and series count once the history is read."""
    started = await run_in_threadpool(
        lambda: planning.start_forecast(podium.db, body, actor=caller.actor, rebuild=rebuild)
    )
    response.headers["Location"] = f"/api/v1/planning/forecasts/runs/{started.id}"
    if not wait:
        return started
    done = await run_in_threadpool(lambda: planning.wait_for(started.id))
    response.status_code = 201
    return done


@router.get("/planning/forecasts/runs/{run_id}", response_model=ForecastRunStatus)
def read_forecast_run(
    run_id: str = Path(max_length=40),
    _: Caller = READ,
    podium: Podium = Depends(get_podium),
) -> ForecastRunStatus:
    """A forecast run's status: `running` with `done`/`total` series, `done` with the run's
    summary, or `failed` with `error`."""
    return planning.forecast_run(podium.db, run_id)


@router.get("/planning/forecasts/{sku}", response_model=ForecastView)
def read_forecast(
    sku: Sku,
    warehouse: Code | None = Query(None, description="One warehouse instead of the sum."),
    channel: str | None = Query(
        None,
        min_length=1,
        max_length=64,
        description="One sales channel: the forecast × the channel's share of recent units.",
    ),
    _: Caller = READ,
    podium: Podium = Depends(get_podium),
) -> ForecastView:
    """The latest run's daily forecast for the SKU with its prediction interval (for one
    warehouse and/or one channel)."""
    return planning.forecast_for(podium.db, sku, warehouse, channel)


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
