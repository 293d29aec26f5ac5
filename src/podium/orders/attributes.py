"""An order's priority and service level changed after placement (automation rules do).

Each change writes an ``order.priority_set`` / ``order.service_level_set`` timeline
entry in the caller's transaction; setting the value the order already has writes nothing.
Routing reads both when it plans the order again; shipments already planned keep their plan.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection

from podium.errors import ValidationFailed
from podium.orders import _store as store
from podium.orders.timeline import TimelineRow, add_timeline

__all__ = ["SERVICE_LEVELS", "set_priority", "set_service_level"]

SERVICE_LEVELS = ("standard", "express", "next_day")


def _set(
    conn: Connection,
    order: Mapping[Any, Any],
    column: str,
    value: Any,
    actor: str,
    why: str | None,
    data: dict[str, Any] | None,
) -> bool:
    if order[column] == value:
        return False
    store.update_order(conn, order["id"], {column: value})
    label = column.replace("_", " ")
    entry = TimelineRow(
        f"order.{column}_set",
        f"{label.capitalize()} {order[column]} → {value}" + (f" ({why})." if why else "."),
        {column: value, "before": order[column], **(data or {})},
    )
    add_timeline(conn, order["id"], [entry], actor)
    return True


def set_priority(
    conn: Connection,
    order: Mapping[Any, Any],
    priority: int,
    actor: str,
    *,
    why: str | None = None,
    data: dict[str, Any] | None = None,
) -> bool:
    """Set the order's priority (0–9, 9 most urgent); True when it changed."""
    if not 0 <= priority <= 9:
        raise ValidationFailed(
            "A priority is 0 to 9.", code="invalid_priority", details={"field": "priority"}
        )
    return _set(conn, order, "priority", priority, actor, why, data)


def set_service_level(
    conn: Connection,
    order: Mapping[Any, Any],
    level: str,
    actor: str,
    *,
    why: str | None = None,
    data: dict[str, Any] | None = None,
) -> bool:
    """Set the order's service level (standard, express, next_day); True when it changed."""
    if level not in SERVICE_LEVELS:
        raise ValidationFailed(
            f"A service level is one of {', '.join(SERVICE_LEVELS)}.",
            code="invalid_service_level",
            details={"field": "service_level"},
        )
    return _set(conn, order, "service_level", level, actor, why, data)
