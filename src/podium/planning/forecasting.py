"""Forecast runs: read the daily history, fill lost sales, let the engine choose and forecast
per SKU × warehouse, keep the result and its backtest; read them back per SKU."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta
from statistics import fmean
from typing import Any

from podium.db.database import Database, as_utc, utcnow
from podium.errors import NotFound, ValidationFailed
from podium.ids import new_id
from podium.planning import _store as store
from podium.planning.engine import HISTORY_DAYS, SeriesResult, run_engine
from podium.planning.history import rebuild_history
from podium.planning.model import (
    BacktestView,
    DailyForecast,
    ForecastRunIn,
    ForecastRunView,
    ForecastView,
    build_series,
    combine_forecasts,
)

__all__ = ["backtest", "forecast_days", "forecast_for", "run_forecast", "run_view"]

Progress = Callable[[int, int], None]
_METRICS = ("rmsse", "mase", "naive_rmsse", "naive_mase")
SHARE_WINDOW = timedelta(days=56)  # a channel's share of a SKU is read over these days


def run_forecast(
    db: Database,
    request: ForecastRunIn,
    *,
    actor: str,
    rebuild: bool = True,
    progress: Progress | None = None,
    run_id: str | None = None,
) -> ForecastRunView:
    """Forecast every SKU × warehouse with history ``horizon_days`` past the last day of
    history, replacing the previous run's forecasts. Rebuilds the history from orders first
    unless ``rebuild`` is false."""
    started = time.monotonic()
    if rebuild:
        rebuild_history(db)
    with db.read() as conn:
        last = store.last_day(conn)
        if last is None:
            raise ValidationFailed(
                "There is no demand history to forecast from: import a history file or take "
                "some orders first.",
                code="no_history",
                details={"field": "history"},
            )
        since = last - timedelta(days=HISTORY_DAYS - 1)
        series = build_series(
            store.demand_rows(conn, since), store.stockout_rows(conn, since), last
        )
    if not series:
        raise ValidationFailed(
            "The demand history has no day with a sale to forecast from.",
            code="no_history",
            details={"field": "history"},
        )
    if progress is not None:
        progress(0, len(series))
    result = run_engine(series, request.horizon_days, request.level, progress=progress)
    run_id = run_id or new_id("fcr")
    summary = _summary(result.results)
    summary.update(
        windows=result.windows, backtest_horizon=result.backtest_horizon, level=request.level
    )
    first_day = result.results[0].daily[0][0]
    seconds = round(time.monotonic() - started, 3)
    created = utcnow()
    with db.write() as conn:
        store.replace_forecasts(conn, _rows(run_id, result.results))
        store.insert_run(
            conn,
            {
                "id": run_id,
                "created_at": created,
                "actor": actor,
                "horizon_days": request.horizon_days,
                "first_day": first_day,
                "series": len(result.results),
                "seconds": seconds,
                "backtest": summary,
            },
        )
    return ForecastRunView(
        id=run_id,
        created_at=created,
        horizon_days=request.horizon_days,
        first_day=first_day,
        series=len(result.results),
        seconds=seconds,
        methods=summary["methods"],
        overall=summary["overall"],
    )


def run_view(row: Any) -> ForecastRunView:
    """A stored run (a ``planning_forecast_runs`` row) as the API shows it."""
    return ForecastRunView(
        id=row["id"],
        created_at=as_utc(row["created_at"]),
        horizon_days=row["horizon_days"],
        first_day=row["first_day"],
        series=row["series"],
        seconds=row["seconds"],
        methods=row["backtest"]["methods"],
        overall=row["backtest"]["overall"],
    )


def _rows(run_id: str, results: list[SeriesResult]) -> list[dict[str, Any]]:
    return [
        {
            "sku": r.sku,
            "warehouse": r.warehouse,
            "day": day,
            "run_id": run_id,
            "method": r.method,
            "quantity": round(q, 4),
            "lo": round(lo, 4),
            "hi": round(hi, 4),
        }
        for r in results
        for day, q, lo, hi in r.daily
    ]


def _mean(values: list[float | None]) -> float | None:
    kept = [v for v in values if v is not None]
    return round(fmean(kept), 4) if kept else None


def _summary(results: list[SeriesResult]) -> dict[str, Any]:
    """Accuracy per SKU (the mean over its warehouses' series) and overall (the mean over
    the SKUs the backtest could score), beside seasonal naive."""
    by_sku: dict[str, list[SeriesResult]] = {}
    for r in results:
        by_sku.setdefault(r.sku, []).append(r)
    skus = []
    for sku, rs in sorted(by_sku.items()):
        entry: dict[str, Any] = {
            "sku": sku,
            "method": _main_method(rs),
        }
        entry.update({m: _mean([getattr(r, m) for r in rs]) for m in _METRICS})
        skus.append(entry)
    overall: dict[str, float | None] = {m: _mean([s[m] for s in skus]) for m in _METRICS}
    naive, chosen = overall["naive_rmsse"], overall["rmsse"]
    overall["rmsse_improvement"] = (
        round(1 - chosen / naive, 4) if chosen is not None and naive else None
    )
    return {
        "overall": overall,
        "skus": skus,
        "methods": dict(Counter(r.method for r in results).most_common()),
    }


def _main_method(rs: list[SeriesResult]) -> str:
    """The method of the SKU's series with the most forecast demand."""
    return max(rs, key=lambda r: (sum(d[1] for d in r.daily), r.warehouse)).method


def forecast_for(
    db: Database, sku: str, warehouse: str | None = None, channel: str | None = None
) -> ForecastView:
    """The latest run's forecast for a SKU, summed over its warehouses (or one of them); for
    one channel, scaled by the channel's recent share of the SKU's units (top-down: the series
    per SKU × channel are too thin to forecast on their own)."""
    with db.read() as conn:
        run = store.latest_run(conn)
        rows = store.forecast_rows(conn, sku, warehouse) if run is not None else []
        units = (
            store.channel_units(conn, sku, warehouse, run["first_day"] - SHARE_WINDOW)
            if run is not None and channel is not None
            else {}
        )
    if run is None:
        raise NotFound(
            "No forecast has been run yet (POST /api/v1/planning/forecasts/run).",
            code="no_forecast",
            details={"field": "sku"},
        )
    if not rows:
        where = f" at warehouse {warehouse}" if warehouse is not None else ""
        raise NotFound(
            f"No forecast for {sku}{where}: it has no demand history there.",
            code="forecast_not_found",
            details={"field": "warehouse" if warehouse is not None else "sku", "sku": sku},
        )
    series: dict[str, list[tuple[Any, float, float, float]]] = {}
    methods: dict[str, str] = {}
    for r in rows:
        series.setdefault(r["warehouse"], []).append((r["day"], r["quantity"], r["lo"], r["hi"]))
        methods[r["warehouse"]] = r["method"]
    daily = combine_forecasts(list(series.values()))
    main = max(series, key=lambda w: (sum(d[1] for d in series[w]), w))
    share = None
    if channel is not None:
        if not units.get(channel):
            raise NotFound(
                f"{sku} sold nothing through channel {channel} in the 8 weeks before the forecast.",
                code="forecast_not_found",
                details={"field": "channel", "sku": sku},
            )
        share = units[channel] / sum(units.values())
        daily = [(d, q * share, lo * share, hi * share) for d, q, lo, hi in daily]
    return ForecastView(
        sku=sku,
        warehouse=warehouse,
        method=methods[main],
        methods=methods,
        level=int(run["backtest"].get("level", 90)),
        run_id=run["id"],
        channel=channel,
        channel_share=None if share is None else round(share, 4),
        daily=[
            DailyForecast(date=d, quantity=round(q, 3), lo=round(lo, 3), hi=round(hi, 3))
            for d, q, lo, hi in daily
        ],
    )


def backtest(db: Database, sku: str | None = None) -> BacktestView:
    """The latest run's rolling-origin backtest: overall and per SKU, beside seasonal naive."""
    with db.read() as conn:
        run = store.latest_run(conn)
    if run is None:
        raise NotFound(
            "No forecast has been run yet (POST /api/v1/planning/forecasts/run).",
            code="no_forecast",
        )
    summary = run["backtest"]
    skus = summary["skus"]
    if sku is not None:
        skus = [s for s in skus if s["sku"] == sku]
        if not skus:
            raise NotFound(
                f"The latest run has no series for {sku}.",
                code="forecast_not_found",
                details={"field": "sku", "sku": sku},
            )
    return BacktestView(
        run_id=run["id"],
        created_at=as_utc(run["created_at"]),
        windows=summary["windows"],
        horizon_days=summary["backtest_horizon"],
        overall=summary["overall"],
        skus=skus,
    )


def forecast_days(
    db: Database, first: date, last: date, warehouse: str | None = None
) -> list[tuple[str, str, date, float]]:
    """The latest run's daily forecasts from ``first`` to ``last`` (of one warehouse when
    given): (sku, warehouse, day, expected units), by SKU, warehouse and day; warehouse ``""``
    is demand with none (imported rows without one, backorders)."""
    with db.read() as conn:
        return store.forecast_days(conn, first, last, warehouse)
