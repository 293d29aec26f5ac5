"""The events planning emits (registered in the catalogue on import)."""

from __future__ import annotations

from dataclasses import dataclass

from podium.events import Event

__all__ = ["PreorderCapacityChanged"]


@dataclass(frozen=True, kw_only=True)
class PreorderCapacityChanged(
    Event, type="planning.preorder_capacity_changed", aggregate="sku", webhook=False
):
    """What the channels may sell of ``sku`` ahead of incoming stock changed (a pre-order cap
    was set, a purchase order sent or cancelled, a pre-order placed): the channel sync tells
    the platforms their count again."""

    sku: str

    def aggregate_id(self) -> str:
        return self.sku
