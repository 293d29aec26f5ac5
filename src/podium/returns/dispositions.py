"""What each disposition of a received unit does: the one map from disposition to effect.

A new disposition is a ``Disposition`` value and an entry here; its units are stored as rows
of ``return_line_dispositions`` (no column, no migration).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from podium.returns.model import Disposition

__all__ = ["EFFECTS", "Effect", "StockEffect"]


class StockEffect(StrEnum):
    ON_HAND = "on_hand"  # back on hand at the receiving warehouse (ledger movement ``return``)
    SET_ASIDE = "set_aside"  # kept, not sellable (damaged, waiting for refurbishment)
    WRITE_OFF = "write_off"  # gone: never counted as stock again


@dataclass(frozen=True, slots=True)
class Effect:
    stock: StockEffect
    counter: str  # the return line's count of these units in views (API, CLI, dashboard)

    @property
    def restocks(self) -> bool:
        return self.stock is StockEffect.ON_HAND


EFFECTS: dict[Disposition, Effect] = {
    Disposition.RESTOCK: Effect(StockEffect.ON_HAND, "quantity_restocked"),
    Disposition.DAMAGED: Effect(StockEffect.SET_ASIDE, "quantity_damaged"),
    Disposition.SCRAP: Effect(StockEffect.WRITE_OFF, "quantity_scrapped"),
    Disposition.REFURBISH: Effect(StockEffect.SET_ASIDE, "quantity_refurbished"),
}
