"""Units of a Podium SKU spread over the platform's lines kept at capture (pure): what a
shipment reports and a refund names by the platform's own line ids."""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping, Sequence
from typing import Any

__all__ = ["room_of", "spread"]


def room_of(kept: Sequence[Mapping[Any, Any]]) -> dict[int, int]:
    """Each kept line's units, by position, for ``spread`` to take from."""
    return {i: int(k["quantity"]) for i, k in enumerate(kept)}


def spread(
    kept: Sequence[Mapping[Any, Any]], room: MutableMapping[int, int], sku: str, quantity: int
) -> tuple[list[tuple[int, int]], int]:
    """``quantity`` units of ``sku`` over the kept lines of that SKU, in order, as far as each
    line's ``room`` goes (taken from ``room``); lines the platform gave no id are skipped.
    Returns (position, units) pairs and the units no line could carry."""
    taken: list[tuple[int, int]] = []
    left = quantity
    for i, k in enumerate(kept):
        if left <= 0:
            break
        if k["sku"] != sku or not k["line_id"] or room[i] <= 0:
            continue
        take = min(left, room[i])
        room[i] -= take
        left -= take
        taken.append((i, take))
    return taken, left
