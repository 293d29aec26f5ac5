"""Allocating units of an order to warehouses: plan, reserve, and create shipments.

Used when an order is placed and again when a backorder hold is released.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from podium.catalog import cache as catalogue
from podium.catalog.model import Channel
from podium.db.database import as_utc, utcnow
from podium.fulfillment import store as shipments_store
from podium.fulfillment.model import ShipmentStatus
from podium.ids import new_id
from podium.inventory import service as inventory
from podium.inventory import store as stock
from podium.inventory.model import Movement, MovementKind
from podium.orders.store import TimelineRow
from podium.routing import service as routing
from podium.routing.costs import promise_for
from podium.routing.engine import OrderFacts, route
from podium.routing.geo import Coordinates
from podium.routing.model import Plan

__all__ = [
    "Allocated",
    "Want",
    "facts_of_order",
    "order_facts",
    "plan_for",
    "reserve_and_ship",
    "routing_entry",
]


@dataclass(frozen=True, slots=True)
class Want:
    """Units of one order line still to allocate."""

    line_no: int
    sku: str
    quantity: int


def order_facts(
    conn: Connection,
    channel: str,
    address: Mapping[str, Any],
    *,
    skus: Sequence[str],
    value: int,
    currency: str,
    placed_at: datetime,
    service_level: str | None,
    promised_date: Any,
    tags: Sequence[str],
    priority: int | None,
) -> OrderFacts:
    """What the routing rules may look at in an order."""
    products = catalogue.products_by_sku(conn, skus)
    return OrderFacts(
        channel=channel,
        placed_at=placed_at,
        country=address.get("country"),
        region=address.get("region"),
        postal_code=address.get("postal_code"),
        value=value,
        currency=currency,
        service_level=service_level,
        promised=promise_for(placed_at, service_level, promised_date),
        tags=frozenset(tags),
        priority=priority,
        weights={s: p.weight_grams or 0 for s, p in products.items()},
    )


def facts_of_order(conn: Connection, order: Mapping[Any, Any], skus: Sequence[str]) -> OrderFacts:
    """Routing facts of a placed order (its row), for re-planning it."""
    return order_facts(
        conn,
        order["channel"],
        order["shipping_address"],
        skus=skus,
        value=order["total"],
        currency=order["currency"],
        placed_at=as_utc(order["placed_at"]),
        service_level=order.get("service_level"),
        promised_date=order.get("promised_date"),
        tags=order["tags"] or [],
        priority=order.get("priority"),
    )


def plan_for(
    conn: Connection,
    channel: Channel,
    demand: Mapping[str, int],
    destination: Coordinates | None,
    facts: OrderFacts | None = None,
    *,
    exclude: frozenset[str] = frozenset(),
) -> Plan:
    """Lock the stock rows the channel may sell from (key order) and route against them.

    ``exclude``: locations not to use (a rejected shipment's warehouse).
    """
    now = utcnow()
    feeds = set(channel.warehouses) if channel.warehouses is not None else None
    locations = [
        loc
        for loc in routing.locations(conn, now, allowed=feeds)
        if loc.active and loc.code not in exclude
    ]
    levels = stock.levels(conn, demand, [loc.code for loc in locations], lock=True)
    available = {(wh, sku): lv.available for (sku, wh), lv in levels.items()}
    if facts is None:
        facts = OrderFacts(channel=channel.code, placed_at=now)
    version, rules = routing.active_rules(conn)
    plan = route(facts, demand, available, locations, rules, destination)
    return replace(plan, rules_version=version)


@dataclass(frozen=True, slots=True)
class Allocated:
    """The shipments an allocation created, as written."""

    shipments: list[dict[str, Any]]
    lines: list[dict[str, Any]]

    @property
    def shipment_ids(self) -> list[str]:
        return [s["id"] for s in self.shipments]


def reserve_and_ship(
    conn: Connection,
    order_id: str,
    number: str,
    wants: Sequence[Want],
    plan: Plan,
    actor: str,
) -> Allocated:
    """Reserve the plan's units and create one shipment per warehouse."""
    inventory.apply(
        conn,
        [
            Movement(a.sku, a.warehouse, MovementKind.RESERVATION, 0, a.quantity, "order", number)
            for a in plan.allocations
        ],
        actor,
        rows_locked=True,  # plan_for locked them, in key order
    )
    remaining: dict[str, list[list[int]]] = defaultdict(list)
    for w in wants:
        remaining[w.sku].append([w.line_no, w.quantity])
    by_warehouse: dict[str, str] = {}
    rows: list[dict[str, Any]] = []
    lines: list[dict[str, Any]] = []
    for a in plan.allocations:
        shipment_id = by_warehouse.get(a.warehouse)
        if shipment_id is None:
            shipment_id = by_warehouse[a.warehouse] = new_id("shp")
            rows.append(
                {
                    "id": shipment_id,
                    "order_id": order_id,
                    "warehouse": a.warehouse,
                    "status": ShipmentStatus.PENDING.value,
                }
            )
        left = a.quantity
        for slot in remaining[a.sku]:
            take = min(left, slot[1])
            if take:
                lines.append(
                    {"shipment_id": shipment_id, "line_no": slot[0], "sku": a.sku, "quantity": take}
                )
                slot[1] -= take
                left -= take
            if not left:
                break
    return Allocated(shipments_store.insert_shipments(conn, rows, lines), lines)


def routing_entry(
    plan: Plan,
    shipment_ids: list[str],
    destination: Coordinates | None,
    *,
    kind: str = "order.routed",
    prefix: str = "Routing",
) -> TimelineRow:
    rule = f" [rule {plan.rule}, v{plan.rules_version}]" if plan.rule else ""
    late = f" Late for the promise from {', '.join(plan.late)}." if plan.late else ""
    return TimelineRow(
        kind,
        f"{prefix}: {plan.reason}{rule}.{late}",
        {
            "rule": plan.rule,
            "rules_version": plan.rules_version,
            "hold_queue": plan.hold_queue,
            "cost": plan.cost,
            "late": list(plan.late),
            "candidates": [dict(c) for c in plan.candidates],
            "shipments": shipment_ids,
            "warehouses": plan.warehouses,
            "allocations": [
                {"warehouse": a.warehouse, "sku": a.sku, "quantity": a.quantity}
                for a in plan.allocations
            ],
            "candidates_km": {k: round(v, 1) for k, v in plan.distances_km.items()},
            "destination": None
            if destination is None
            else [destination.latitude, destination.longitude],
        },
    )
