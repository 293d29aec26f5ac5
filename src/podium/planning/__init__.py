"""Demand planning: daily demand history (from orders and imported files, with stock-out days)
and forecasts chosen per series by a rolling-origin backtest; suppliers and replenishment
suggestions; purchase orders, transfers, receipts, incoming stock and pre-order caps
(issue 16)."""

from podium.planning.allowance import (
    preorder_allowance,
)
from podium.planning.events import (
    PreorderCapacityChanged,
)
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
from podium.planning.incoming import (
    incoming,
)
from podium.planning.model import (
    BacktestView,
    DailyForecast,
    ForecastRunIn,
    ForecastRunView,
    ForecastView,
)
from podium.planning.po_changes import (
    cancel_purchase_order,
    change_purchase_order,
)
from podium.planning.po_document import (
    Outgoing,
)
from podium.planning.po_views import (
    IncomingView,
    PoFromSuggestionsIn,
    PoLineIn,
    PoLineView,
    PurchaseOrderIn,
    PurchaseOrderPatch,
    PurchaseOrderView,
    ReceiptIn,
    ReceiptLineIn,
    TransferIn,
    TransferLineIn,
    TransferLineView,
    TransferView,
)
from podium.planning.preorders import (
    PreorderBook,
    PreorderCapIn,
    PreorderCapView,
    list_preorder_caps,
    set_preorder_cap,
)
from podium.planning.purchase_model import (
    PoStatus,
    TransferStatus,
)
from podium.planning.purchasing import (
    create_purchase_order,
    get_purchase_order,
    list_purchase_orders,
    purchase_orders_from_suggestions,
    receive_purchase_order,
    send_purchase_order,
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
from podium.planning.transfers import (
    cancel_transfer,
    create_transfer,
    get_transfer,
    list_transfers,
    receive_transfer,
    ship_transfer,
    transfers_from_suggestions,
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
    "IncomingView",
    "OfferImportReport",
    "Outgoing",
    "PoFromSuggestionsIn",
    "PoLineIn",
    "PoLineView",
    "PoStatus",
    "PreorderBook",
    "PreorderCapIn",
    "PreorderCapView",
    "PreorderCapacityChanged",
    "PurchaseOrderIn",
    "PurchaseOrderPatch",
    "PurchaseOrderView",
    "ReceiptIn",
    "ReceiptLineIn",
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
    "TransferIn",
    "TransferLineIn",
    "TransferLineView",
    "TransferStatus",
    "TransferSuggestion",
    "TransferView",
    "backtest",
    "cancel_purchase_order",
    "cancel_transfer",
    "change_purchase_order",
    "create_purchase_order",
    "create_supplier",
    "create_transfer",
    "delete_supplier",
    "demand_history",
    "forecast_days",
    "forecast_for",
    "forecast_run",
    "get_purchase_order",
    "get_supplier",
    "get_transfer",
    "import_history",
    "import_offers",
    "incoming",
    "link_product",
    "list_preorder_caps",
    "list_purchase_orders",
    "list_suppliers",
    "list_transfers",
    "preorder_allowance",
    "purchase_orders_from_suggestions",
    "rebuild_history",
    "receive_purchase_order",
    "receive_transfer",
    "replenishment",
    "run_forecast",
    "send_purchase_order",
    "set_preorder_cap",
    "set_sku_policy",
    "ship_transfer",
    "start_forecast",
    "stockouts",
    "transfers_from_suggestions",
    "unlink_product",
    "update_supplier",
    "wait_for",
]
