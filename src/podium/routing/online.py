"""Online routing for one order inside its placement transaction: the facts rules look at,
the locations, the locked stock, and the rule engine's decision.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from podium import catalog, inventory
from podium.catalog import Channel
from podium.db.database import as_utc, utcnow
from podium.geo import Coordinates
from podium.orders import Batch, Hold, HoldReason, OrderIntake, put_on_hold
from podium.routing import service as routing
from podium.routing.constraints import warehouse_constraint
from podium.routing.costs import promise_for
from podium.routing.engine import OrderFacts, route
from podium.routing.model import Plan

__all__ = ["facts_of_order", "intake_facts", "order_facts", "plan_order", "routing_hold"]


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
    products = catalog.cached_products(conn, skus)
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


def intake_facts(
    conn: Connection, intake: OrderIntake, value: int, skus: Sequence[str]
) -> OrderFacts:
    """Routing facts of an order being placed (``value``: its total in minor units)."""
    return order_facts(
        conn,
        intake.channel,
        intake.shipping_address.model_dump(),
        skus=skus,
        value=value,
        currency=intake.currency,
        placed_at=intake.placed_at or utcnow(),
        service_level=intake.service_level,
        promised_date=intake.promised_date,
        tags=intake.tags,
        priority=intake.priority,
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


def plan_order(
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
    only, never = warehouse_constraint(facts.tags if facts is not None else ())
    locations = [
        loc
        for loc in routing.locations(conn, now, allowed=feeds)
        if loc.active and loc.code not in exclude and loc.code not in never
    ]
    levels = inventory.levels(conn, demand, [loc.code for loc in locations], lock=True)
    available = {(wh, sku): lv.available for (sku, wh), lv in levels.items()}
    if facts is None:
        facts = OrderFacts(channel=channel.code, placed_at=now)
    version, rules = routing.active_rules(conn)
    pinned = [loc for loc in locations if loc.code == only]
    if pinned:  # a rule's route_to: that location when it can ship it all, else as usual
        plan = route(facts, demand, available, pinned, rules, destination)
        if not plan.shortages:
            why = f"{plan.reason}; only {only}, as an automation rule asked"
            return replace(plan, reason=why, rules_version=version, promised=facts.promised)
    plan = route(facts, demand, available, locations, rules, destination)
    return replace(plan, rules_version=version, promised=facts.promised)


def routing_hold(
    conn: Connection, order: Mapping[str, Any], plan: Plan, actor: str, batch: Batch
) -> Hold:
    """Hold a just-placed order in the queue its routing rule named (its stock stays reserved)."""
    return put_on_hold(
        conn,
        order,
        HoldReason.ROUTING.value,
        plan.hold_queue,
        actor=actor,
        message=f"On hold (routing): rule {plan.rule} put it in the {plan.hold_queue} queue.",
        data={"reason": "routing", "queue": plan.hold_queue, "rule": plan.rule},
        queue=plan.hold_queue,
        batch=batch,
    )
