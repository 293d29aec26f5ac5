"""Stock per SKU and warehouse, the append-only stock ledger, reservations and availability."""

from podium.inventory._store import (
    ledger_deltas,
)
from podium.inventory.archive import (
    CARRIED_FORWARD,
    archive_ledger,
    count_ledger_to_archive,
    ledger_keys_to_archive,
)
from podium.inventory.availability import (
    Availability,
)
from podium.inventory.doctor import (
    examine,
)
from podium.inventory.events import (
    InventoryChanged,
)
from podium.inventory.model import (
    MAX_QUANTITY,
    AdjustmentIn,
    IncomingStock,
    InventoryView,
    Level,
    LocationView,
    Movement,
    MovementKind,
    MovementView,
    SafetyStockIn,
    TransferIn,
    kind_for_reason,
)
from podium.inventory.service import (
    adjust,
    apply,
    channel_available,
    channel_levels,
    history,
    lock_levels,
    published_for,
    restock,
    set_safety_stock,
    transfer,
)
from podium.inventory.service import (
    availability as sku_availability,
)
from podium.inventory.sold_out import (
    SoldOut,
    lift_after_commit,
    sold_out,
)
from podium.inventory.stock import (
    levels,
)
from podium.inventory.summary import (
    stock_by_sku,
)

__all__ = [
    "CARRIED_FORWARD",
    "MAX_QUANTITY",
    "AdjustmentIn",
    "Availability",
    "IncomingStock",
    "InventoryChanged",
    "InventoryView",
    "Level",
    "LocationView",
    "Movement",
    "MovementKind",
    "MovementView",
    "SafetyStockIn",
    "SoldOut",
    "TransferIn",
    "adjust",
    "apply",
    "archive_ledger",
    "channel_available",
    "channel_levels",
    "count_ledger_to_archive",
    "examine",
    "history",
    "kind_for_reason",
    "ledger_deltas",
    "ledger_keys_to_archive",
    "levels",
    "lift_after_commit",
    "lock_levels",
    "published_for",
    "restock",
    "set_safety_stock",
    "sku_availability",
    "sold_out",
    "stock_by_sku",
    "transfer",
]
