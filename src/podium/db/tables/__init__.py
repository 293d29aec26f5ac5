"""The schema, one module per capability, re-exported here. Changes go through an Alembic
migration as well.

Each capability's ``store.py`` reads and writes only its own tables; capabilities talk through
service functions and events. Modules are imported in dependency order, so ``metadata`` lists
the tables as it always has.
"""

from __future__ import annotations

from podium.db.tables._base import metadata, order_number_seq
from podium.db.tables.automation import automation_rule_sets, automation_runs
from podium.db.tables.channels import (
    channel_deliveries,
    channel_listings,
    channel_order_lines,
    channel_orders,
    channel_pushers,
    channel_state,
)
from podium.db.tables.core import (
    api_keys,
    channels,
    counters,
    order_events,
    order_holds,
    order_lines,
    orders,
    outbox,
    products,
    stock_levels,
    stock_movements,
    warehouses,
)
from podium.db.tables.dashboard import app_secrets, users
from podium.db.tables.fulfilment import (
    bin_locations,
    carrier_accounts,
    fulfilment_settings,
    labels,
    pick_lists,
)
from podium.db.tables.imports import import_runs
from podium.db.tables.lifecycle import (
    maintenance,
    order_events_archive,
    stock_movements_archive,
)
from podium.db.tables.notify import (
    notifications,
    webhook_attempts,
    webhook_deliveries,
    webhook_subscriptions,
)
from podium.db.tables.planning import (
    planning_demand,
    planning_forecast_runs,
    planning_forecasts,
    planning_po_lines,
    planning_preorder_caps,
    planning_purchase_orders,
    planning_receipts,
    planning_sku_policies,
    planning_stockouts,
    planning_supplier_products,
    planning_suppliers,
    planning_transfer_lines,
    planning_transfers,
)
from podium.db.tables.return_labels import return_labels
from podium.db.tables.returns import (
    payment_gateway_events,
    payment_gateways,
    payment_transactions,
    refund_lines,
    refunds,
    return_line_dispositions,
    return_lines,
    returns,
    store_credits,
)
from podium.db.tables.routing import routing_rule_sets
from podium.db.tables.security import throttle_counters, user_sessions
from podium.db.tables.shipments import shipment_lines, shipments

__all__ = [
    "api_keys",
    "app_secrets",
    "automation_rule_sets",
    "automation_runs",
    "bin_locations",
    "carrier_accounts",
    "channel_deliveries",
    "channel_listings",
    "channel_order_lines",
    "channel_orders",
    "channel_pushers",
    "channel_state",
    "channels",
    "counters",
    "fulfilment_settings",
    "import_runs",
    "labels",
    "maintenance",
    "metadata",
    "notifications",
    "order_events",
    "order_events_archive",
    "order_holds",
    "order_lines",
    "order_number_seq",
    "orders",
    "outbox",
    "payment_gateway_events",
    "payment_gateways",
    "payment_transactions",
    "pick_lists",
    "planning_demand",
    "planning_forecast_runs",
    "planning_forecasts",
    "planning_po_lines",
    "planning_preorder_caps",
    "planning_purchase_orders",
    "planning_receipts",
    "planning_sku_policies",
    "planning_stockouts",
    "planning_supplier_products",
    "planning_suppliers",
    "planning_transfer_lines",
    "planning_transfers",
    "products",
    "refund_lines",
    "refunds",
    "return_labels",
    "return_line_dispositions",
    "return_lines",
    "returns",
    "routing_rule_sets",
    "shipment_lines",
    "shipments",
    "stock_levels",
    "stock_movements",
    "stock_movements_archive",
    "store_credits",
    "throttle_counters",
    "user_sessions",
    "users",
    "warehouses",
    "webhook_attempts",
    "webhook_deliveries",
    "webhook_subscriptions",
]
