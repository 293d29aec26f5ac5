"""Demand planning: daily demand history (from orders and imported files, with stock-out days)
and forecasts chosen per series by a rolling-origin backtest; suppliers and replenishment
suggestions (issue 16)."""

from podium.planning.forecasting import (
    backtest,
    forecast_days,
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
from podium.planning.replenish import (
    ReplenishmentIn,
    ReplenishmentPage,
    Suggestion,
    TransferSuggestion,
    replenishment,
)
from podium.planning.runs import (
    ForecastRunStatus,
    forecast_run,
    start_forecast,
    wait_for,
)
from podium.planning.supplier_file import (
    OfferImportReport,
    import_offers,
)
from podium.planning.suppliers import (
    SkuPolicyIn,
    SkuPolicyView,
    SupplierIn,
    SupplierPatch,
    SupplierProductIn,
    SupplierProductView,
    SupplierView,
    create_supplier,
    delete_supplier,
    get_supplier,
    link_product,
    list_suppliers,
    set_sku_policy,
    unlink_product,
    update_supplier,
)

__all__ = [
    "BacktestView",
    "DailyForecast",
    "DemandDay",
    "ForecastRunIn",
    "ForecastRunStatus",
    "ForecastRunView",
    "ForecastView",
    "HistoryImportReport",
    "HistoryRebuild",
    "OfferImportReport",
    "Reject",
    "ReplenishmentIn",
    "ReplenishmentPage",
    "SkuPolicyIn",
    "SkuPolicyView",
    "StockoutDay",
    "Suggestion",
    "SupplierIn",
    "SupplierPatch",
    "SupplierProductIn",
    "SupplierProductView",
    "SupplierView",
    "TransferSuggestion",
    "backtest",
    "create_supplier",
    "delete_supplier",
    "demand_history",
    "forecast_days",
    "forecast_for",
    "forecast_run",
    "get_supplier",
    "import_history",
    "import_offers",
    "link_product",
    "list_suppliers",
    "rebuild_history",
    "replenishment",
    "run_forecast",
    "set_sku_policy",
    "start_forecast",
    "stockouts",
    "unlink_product",
    "update_supplier",
    "wait_for",
]
