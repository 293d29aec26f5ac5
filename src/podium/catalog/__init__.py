"""Channels, warehouses and products: what Podium sells, where from, and through whom."""

from podium.catalog.cache import (
    channel as cached_channel,
)
from podium.catalog.cache import (
    forget,
    warehouses,
)
from podium.catalog.cache import (
    products_by_sku as cached_products,
)
from podium.catalog.model import (
    Channel,
    Product,
    ProductIn,
    Warehouse,
    WarehouseAddress,
    WarehouseIn,
    WarehousePatch,
)
from podium.catalog.rates import (
    RateTable,
    band_of,
)
from podium.catalog.records import (
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
from podium.catalog.service import (
    add_channel,
    create_product,
    create_warehouse,
    get_channel,
    get_product,
    get_warehouse,
    list_products,
    update_warehouse,
)
from podium.catalog.service import (
    channel_settings as read_channel_settings,
)
from podium.catalog.service import (
    list_channels as read_channels,
)
from podium.catalog.service import (
    list_warehouses as read_warehouses,
)
from podium.catalog.variants import VariantPatch, product_variants, set_variant

__all__ = [
    "Channel",
    "Product",
    "ProductIn",
    "RateTable",
    "VariantPatch",
    "Warehouse",
    "WarehouseAddress",
    "WarehouseIn",
    "WarehousePatch",
    "add_channel",
    "band_of",
    "cached_channel",
    "cached_products",
    "channel",
    "channel_settings",
    "create_product",
    "create_warehouse",
    "forget",
    "get_channel",
    "get_product",
    "get_warehouse",
    "list_channels",
    "list_products",
    "list_warehouses",
    "product",
    "product_variants",
    "products_by_sku",
    "read_channel_settings",
    "read_channels",
    "read_warehouses",
    "search_products",
    "set_channel_setting",
    "set_variant",
    "update_warehouse",
    "warehouse",
    "warehouses",
]
