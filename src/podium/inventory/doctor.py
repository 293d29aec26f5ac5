"""``podium doctor``: recompute every stock balance from the ledger and check the invariants."""

from __future__ import annotations

from dataclasses import dataclass

from podium import shipments
from podium.db.database import Database
from podium.inventory import _store as store

__all__ = ["Report", "Violation", "examine"]


@dataclass(frozen=True, slots=True)
class Violation:
    sku: str
    warehouse: str
    problem: str

    def __str__(self) -> str:
        return f"{self.sku} @ {self.warehouse}: {self.problem}"


@dataclass(frozen=True, slots=True)
class Report:
    balances_checked: int
    violations: list[Violation]

    @property
    def ok(self) -> bool:
        return not self.violations


def examine(db: Database) -> Report:
    """One consistent snapshot: balances vs ledger, signs, and reservations vs open shipments."""
    with db.read() as conn:
        levels = {(lv.sku, lv.warehouse): lv for lv in store.all_levels(conn)}
        ledger = store.ledger_balances(conn)
        held = shipments.open_allocations(conn)
    found: list[Violation] = []
    for key in sorted(set(levels) | set(ledger) | set(held)):
        sku, wh = key
        lv = levels.get(key)
        on_hand, reserved = (lv.on_hand, lv.reserved) if lv else (0, 0)
        l_on_hand, l_reserved = ledger.get(key, (0, 0))
        if lv is None:
            found.append(Violation(sku, wh, "ledger or shipments refer to a missing stock row"))
        if on_hand != l_on_hand:
            found.append(
                Violation(sku, wh, f"on_hand is {on_hand} but the ledger sums to {l_on_hand}")
            )
        if reserved != l_reserved:
            found.append(
                Violation(sku, wh, f"reserved is {reserved} but the ledger sums to {l_reserved}")
            )
        if on_hand < 0:
            found.append(Violation(sku, wh, f"on_hand is negative ({on_hand})"))
        if reserved < 0:
            found.append(Violation(sku, wh, f"reserved is negative ({reserved})"))
        if on_hand - reserved < 0:
            found.append(Violation(sku, wh, f"available is negative ({on_hand - reserved})"))
        if reserved != held.get(key, 0):
            found.append(
                Violation(
                    sku, wh, f"reserved is {reserved} but open shipments hold {held.get(key, 0)}"
                )
            )
    return Report(len(levels), found)
