"""Where an automation rule said an order may ship from (pure), kept as routing's own tags.

``route_to`` leaves ``routing:only:<WH>`` on the order: routing tries that location alone
first and falls back to its usual choice when it cannot ship every unit (an order is never
stranded by a preference). ``exclude_warehouse`` leaves ``routing:not:<WH>``: that location is
never chosen for the order, by placement, backorder fills or re-routes. The tags are shown with
the order's other tags; only Podium sets or removes them.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["NOT", "ONLY", "warehouse_constraint"]

ONLY = "routing:only:"
NOT = "routing:not:"


def warehouse_constraint(tags: Iterable[str]) -> tuple[str | None, frozenset[str]]:
    """(the location the order is pinned to or None, the locations it never ships from)."""
    only: str | None = None
    never: set[str] = set()
    for tag in tags:
        if tag.startswith(ONLY):
            only = tag[len(ONLY) :]
        elif tag.startswith(NOT):
            never.add(tag[len(NOT) :])
    return (None if only in never else only), frozenset(never)
