"""The catalogue records other capabilities read inside their own transaction: channels,
warehouses and products as typed models (the store behind them is catalog's own).

``catalog.service`` opens its own transactions for the API; these take the caller's
``Connection``. ``catalog.cache`` serves the same records from a per-process copy.
"""

from __future__ import annotations

from podium.catalog._store import (
    channel,
    channel_settings,
    list_channels,
    list_warehouses,
    product,
    products_by_sku,
    search_products,
    set_channel_setting,
    warehouse,
)

__all__ = [
    "channel",
    "channel_settings",
    "list_channels",
    "list_warehouses",
    "product",
    "products_by_sku",
    "search_products",
    "set_channel_setting",
    "warehouse",
]
