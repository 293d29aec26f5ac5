"""Demand planning: daily demand history (from orders and imported files, with stock-out days)
and forecasts chosen per series by a rolling-origin backtest (issue 16)."""

from podium.planning.forecasting import (
    backtest,
    forecast_for,
    run_forecast,
)
from podium.planning.history import (
    DemandDay,
    HistoryRebuild,
    StockoutDay,
    demand_history,
    import_history,
    rebuild_history,
    stockouts,
)
from podium.planning.history_file import (
    HistoryImportReport,
    Reject,
)
from podium.planning.model import (
    BacktestView,
    DailyForecast,
    ForecastRunIn,
    ForecastRunView,
    ForecastView,
)

__all__ = [
    "BacktestView",
    "DailyForecast",
    "DemandDay",
    "ForecastRunIn",
    "ForecastRunView",
    "ForecastView",
    "HistoryImportReport",
    "HistoryRebuild",
    "Reject",
    "StockoutDay",
    "backtest",
    "demand_history",
    "forecast_for",
    "import_history",
    "rebuild_history",
    "run_forecast",
    "stockouts",
]
