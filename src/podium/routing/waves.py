"""Optimising a wave of not-yet-released orders (applying it: ``replan``).

The wave is every ``ready`` order whose live shipments are all still ``pending`` (optionally only
those with a pending shipment at one warehouse). Its stock is what is available plus what the
wave itself holds; its capacity likewise. Applying re-plans each changed order in its own
transaction: old shipments cancelled and their stock released, new units reserved through
inventory's guarded updates, new shipments created, the timeline told. An order whose new plan
no longer fits (stock moved meanwhile) keeps its old plan; it is retried after the others.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import Connection

from podium import inventory, shipments
from podium.db.database import Database, as_utc, utcnow
from podium.geo import Coordinates
from podium.money import format_amount
from podium.orders import OrderStatus, latest_orders
from podium.routing import service as routing
from podium.routing.model import Allocation
from podium.routing.online import facts_of_order
from podium.routing.optimiser import Option, WaveOrder, optimise
from podium.routing.replan import Change, Member, apply_changes
from podium.shipments import Shipment, ShipmentLine, ShipmentStatus

__all__ = ["Change", "WaveReport", "optimise_wave"]

MAX_WAVE = 5000


@dataclass
class WaveReport:
    orders: int
    status: str
    seconds: float
    currency: str
    current_cost: int
    rules_cost: int
    optimised_cost: int
    changes: list[Change] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        def cash(v: int) -> str:
            return format_amount(v, self.currency)

        return {
            "orders": self.orders,
            "status": self.status,
            "seconds": round(self.seconds, 3),
            "currency": self.currency,
            "current_cost": cash(self.current_cost),
            "rules_cost": cash(self.rules_cost),
            "optimised_cost": cash(self.optimised_cost),
            "saving": cash(self.current_cost - self.optimised_cost),
            "changed": len(self.changes),
            "applied": sum(c.applied for c in self.changes),
            "skipped": self.skipped,
            "changes": [
                {
                    "order_id": c.order_id,
                    "number": c.number,
                    "before": c.before,
                    "after": c.after,
                    "saving": cash(c.saving),
                    "applied": c.applied,
                }
                for c in self.changes
            ],
        }


def _wave(conn: Connection, warehouse: str | None, limit: int) -> list[Member]:
    rows = latest_orders(conn, status=OrderStatus.READY.value, limit=limit)
    ids = [r["id"] for r in rows]
    ships: dict[str, list[Shipment]] = defaultdict(list)
    for s in shipments.shipments_for_orders(conn, ids) if ids else []:
        if s.status != ShipmentStatus.CANCELLED:
            ships[s.order_id].append(s)
    all_ids = [s.id for group in ships.values() for s in group]
    lines: dict[str, list[ShipmentLine]] = defaultdict(list)
    for ln in shipments.lines_for(conn, all_ids):
        lines[ln.shipment_id].append(ln)
    midnight = utcnow().replace(hour=0, minute=0, second=0, microsecond=0)
    members = []
    for row in reversed(rows):  # oldest first
        group = ships.get(row["id"], [])
        if not group or any(s.status != ShipmentStatus.PENDING for s in group):
            continue
        if warehouse is not None and all(s.warehouse != warehouse for s in group):
            continue
        current = tuple(
            Allocation(s.warehouse, ln.sku, ln.quantity) for s in group for ln in lines[s.id]
        )
        demand: dict[str, int] = defaultdict(int)
        for a in current:
            demand[a.sku] += a.quantity
        lat, lon = row["destination_latitude"], row["destination_longitude"]
        members.append(
            Member(
                WaveOrder(
                    row["id"],
                    facts_of_order(conn, row, list(demand)),
                    dict(demand),
                    Coordinates(lat, lon) if lat is not None and lon is not None else None,
                    current,
                ),
                row["number"],
                tuple(s.id for s in group),
                current,
                frozenset(s.warehouse for s in group if as_utc(s.created_at) >= midnight),
            )
        )
    return members


def _allocs(option: Option | tuple[Allocation, ...]) -> list[dict[str, Any]]:
    items = option.allocations if isinstance(option, Option) else option
    return [
        {"warehouse": a.warehouse, "sku": a.sku, "quantity": a.quantity}
        for a in sorted(items, key=lambda a: (a.warehouse, a.sku))
    ]


def optimise_wave(
    db: Database,
    *,
    warehouse: str | None = None,
    apply: bool = False,
    time_budget: float = 10.0,
    limit: int = MAX_WAVE,
    actor: str = "system:optimiser",
) -> WaveReport:
    with db.read() as conn:
        members = _wave(conn, warehouse, limit)
        _, rules = routing.active_rules(conn)
        locations = routing.locations(conn, utcnow())
        skus = sorted({s for m in members for s in m.order.demand})
        levels = inventory.levels(conn, skus) if skus else {}
    stock = {(wh, sku): lv.available for (sku, wh), lv in levels.items()}
    held_today: dict[str, int] = defaultdict(int)
    for m in members:
        for a in m.current:
            stock[(a.warehouse, a.sku)] = stock.get((a.warehouse, a.sku), 0) + a.quantity
        for w in m.today:
            held_today[w] += 1
    locations = [
        replace(loc, capacity_left=loc.capacity_left + held_today[loc.code])
        if loc.capacity_left is not None
        else loc
        for loc in locations
        if loc.active
    ]
    result = optimise([m.order for m in members], stock, locations, rules, time_budget=time_budget)
    current = result.current
    report = WaveReport(
        orders=len(members),
        status=result.status,
        seconds=result.seconds,
        currency=rules.currency,
        current_cost=sum(o.score for o in current.values()),
        rules_cost=result.rules_score,
        optimised_cost=result.score,
    )
    if report.optimised_cost >= report.current_cost:
        return report  # nothing better than what is planned now: change nothing
    for m in members:
        chosen = result.chosen.get(m.order.id)
        if chosen is None or sorted(_allocs(chosen), key=str) == sorted(
            _allocs(m.current), key=str
        ):
            continue
        report.changes.append(
            Change(
                m.order.id,
                m.number,
                _allocs(m.current),
                _allocs(chosen),
                current[m.order.id].score - chosen.score,
            )
        )
    if apply:
        report.skipped = apply_changes(
            db, report.changes, {m.order.id: m for m in members}, result.chosen, actor
        )
    return report
