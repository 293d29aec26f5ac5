"""The events inventory emits (registered in the catalogue on import)."""

from __future__ import annotations

from dataclasses import dataclass

from podium.events import Event

__all__ = ["InventoryChanged"]


@dataclass(frozen=True, kw_only=True)
class InventoryChanged(Event, type="inventory.changed", aggregate="sku"):
    """A SKU's stock at one warehouse changed: its ``on_hand``, ``reserved`` and
    ``available`` units now, the ``movements`` (kinds) that changed it, and
    ``previous_available``: the available units before (null in events stored before it)."""

    sku: str
    warehouse: str
    on_hand: int
    reserved: int
    available: int
    movements: list[str]
    previous_available: int | None = None

    def aggregate_id(self) -> str:
        return self.sku
