""" "Test this change": replay recent orders under the active rules and a candidate rule set,
and tell which orders would ship from somewhere else and what that does to cost and promises.

The same replay as ``podium routing simulate --last N`` (``replays.compare``), plus the orders
one by one; nothing is saved.
"""

from __future__ import annotations

from dataclasses import dataclass

from podium.db.database import Database
from podium.orders import order_numbers
from podium.routing import service as routing
from podium.routing.engine import Location
from podium.routing.model import Plan
from podium.routing.optimiser import WaveOrder
from podium.routing.replays import network, recent_orders
from podium.routing.rules import RuleSet
from podium.routing.simulate import Metrics, replay

__all__ = ["MAX_ORDERS", "MAX_SHOWN", "ChangedOrder", "Trial", "try_rules"]

MAX_ORDERS = 2_000  # a page waits for the replay: keep it to a few seconds at most
MAX_SHOWN = 50  # changed orders listed one by one; the count covers them all


@dataclass(frozen=True, slots=True)
class ChangedOrder:
    order_id: str
    number: str
    now: tuple[str, ...]  # warehouses under the active rules ("held: <queue>" when held)
    then: tuple[str, ...]  # warehouses under the candidate


@dataclass(frozen=True, slots=True)
class Trial:
    version: int  # the active rule set's version
    current: Metrics
    candidate: Metrics
    changed: int  # orders whose warehouses differ
    shown: list[ChangedOrder]

    @property
    def orders(self) -> int:
        return self.current.orders


def _where(plan: Plan) -> tuple[str, ...]:
    if plan.hold_queue is not None:
        return (f"held: {plan.hold_queue}",)
    return tuple(sorted(plan.warehouses)) or ("unfilled",)


def _plans(
    orders: list[WaveOrder],
    stock: dict[tuple[str, str], int],
    locations: list[Location],
    rules: RuleSet,
) -> tuple[Metrics, dict[str, tuple[str, ...]]]:
    seen: dict[str, tuple[str, ...]] = {}

    def keep(order: WaveOrder, plan: Plan) -> None:
        seen[order.id] = _where(plan)

    return replay(orders, stock, locations, rules, keep), seen


def try_rules(db: Database, candidate: RuleSet, last: int) -> Trial:
    """Replay the last ``last`` orders (at most MAX_ORDERS) under the active rules and
    ``candidate``, from the same stock and capacity."""
    orders = recent_orders(db, max(1, min(last, MAX_ORDERS)))
    stock, locations = network(db, {s for o in orders for s in o.demand})
    with db.read() as conn:
        version, active = routing.active_rules(conn)
    current, before = _plans(orders, stock, locations, active)
    trial, after = _plans(orders, stock, locations, candidate)
    changed_ids = [o.id for o in orders if before.get(o.id) != after.get(o.id)]
    shown_ids = changed_ids[:MAX_SHOWN]
    with db.read() as conn:
        numbers = order_numbers(conn, shown_ids)
    shown = [ChangedOrder(i, numbers.get(i, i), before[i], after[i]) for i in shown_ids]
    return Trial(version, current, trial, len(changed_ids), shown)
