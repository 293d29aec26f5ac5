"""The dashboard's navigation, built from what each area registers (pure).

A new capability adds a page by registering a ``NavItem`` next to its routes; the menu shows
each user only the pages their role may open.
"""

from __future__ import annotations

from dataclasses import dataclass

from podium.access import Permission, allows

__all__ = ["NavItem", "NavRegistry"]


@dataclass(frozen=True, slots=True)
class NavItem:
    label: str
    path: str
    permission: Permission = Permission.READ
    order: int = 100
    section: str = "main"  # "main" or "settings"


class NavRegistry:
    def __init__(self) -> None:
        self._items: dict[str, NavItem] = {}

    def add(self, item: NavItem) -> None:
        self._items[item.path] = item

    def visible(self, role: str, section: str = "main") -> list[NavItem]:
        return sorted(
            (
                i
                for i in self._items.values()
                if i.section == section and allows(role, i.permission)
            ),
            key=lambda i: (i.order, i.label),
        )
