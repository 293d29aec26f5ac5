"""Applying the active rule set to an order when an event about it arrives (relay subscriber).

One transaction per event: lock the order, skip it when this event was applied before (the
``automation_runs`` row, written in the same transaction, makes redelivery harmless), read the
order's facts, evaluate, apply each firing's actions and put the firing on the timeline
(``automation.fired``: rule, rule-set version, trigger, what it did). Tag changes of all the
firings are written once (one ``order.tagged`` entry naming the rules). An action that cannot
apply to the order as it is now (a hold on a shipped order, a release with nothing held) is
recorded as skipped, not an error.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from podium import events as outbox
from podium import orders, returns, routing
from podium.automation import _store as store
from podium.automation.events import AutomationEmail, AutomationNotified
from podium.automation.facts import order_facts
from podium.automation.model import Action, Firing, RuleSet, evaluate
from podium.automation.stock import STOCK_EVENT, on_stock_event
from podium.automation.versions import active_rules, cached_rules
from podium.db.database import Database
from podium.events import Envelope
from podium.orders import OrderStatus, TimelineRow
from podium.payments import Gateways

__all__ = ["ACTOR", "TRIGGER_OF", "Automation", "apply_firings", "facts_in"]

ACTOR = "automation"
# The wire type of each event the rules hear → the trigger it is.
TRIGGER_OF: dict[str, str] = {
    "order.created": "order.placed",
    "order.edited": "order.updated",
    "payment.recorded": "payment.changed",
    "payment.disputed": "payment.changed",
    "return.received": "return.received",
    "shipment.late": "shipment.late",
}
# The facts a shipment.late event adds to its order's: payload key → field.
_SHIPMENT_FACTS = {
    "warehouse": "shipment.warehouse",
    "carrier": "shipment.carrier",
    "status": "shipment.status",
    "days_late": "shipment.days_late",
}
_HOLDABLE = {OrderStatus.READY, OrderStatus.ON_HOLD, OrderStatus.PARTIALLY_SHIPPED}
_CANCELLABLE = {OrderStatus.READY, OrderStatus.ON_HOLD, OrderStatus.PARTIALLY_SHIPPED}
log = logging.getLogger(__name__)


def facts_in(conn: Connection, rows: Sequence[Mapping[Any, Any]]) -> list[dict[str, Any]]:
    """The orders' facts as conditions see them, read in the caller's transaction."""
    found = []
    for view in orders.order_views(conn, rows):
        email = view.customer.get("email")
        count = orders.customer_order_count(conn, email, placed_by=view.placed_at)
        found.append(order_facts(view, count))
    return found


@dataclass
class _Tags:
    """The tag changes of one event's firings, gathered and written once at the end (one
    order row update and one ``order.tagged`` entry however many rules tag the order)."""

    order: Mapping[Any, Any]  # the locked row as the event found it
    current: list[str]
    moved: bool = False  # another action changed the order row since
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)

    def change(self, kind: str, tag: str, rule: str) -> bool:
        if (tag in self.current) == (kind == "add_tag"):
            return False
        mine, other = (
            (self.added, self.removed) if kind == "add_tag" else (self.removed, self.added)
        )
        if kind == "add_tag":
            self.current.append(tag)
        else:
            self.current.remove(tag)
        if tag in other:
            other.remove(tag)
        else:
            mine.append(tag)
        if rule not in self.rules:
            self.rules.append(rule)
        return True

    def write(self, conn: Connection, order_id: str, version: int) -> None:
        if not self.added and not self.removed:
            return
        said = ", ".join(repr(r) for r in self.rules)
        # Read again only when another action changed the row since it was locked.
        order = orders.locked_order(conn, order_id) if self.moved else self.order
        data = {"rules": self.rules, "version": version}
        why = f"rule{'s' if len(self.rules) > 1 else ''} {said}, version {version}"
        orders.change_tags(conn, order, self.added, self.removed, ACTOR, why=why, data=data)


def _act(
    conn: Connection,
    order_id: str,
    action: Action,
    why: str,
    data: dict[str, Any],
    gateways: Gateways,
    tags: _Tags,
) -> str:
    """Apply one action to the (locked) order; says what happened."""
    kind, args = action.kind, action.args
    if kind in ("add_tag", "remove_tag"):
        tag = args["tag"]
        changed = tags.change(kind, tag, data["rule"])
        return f"{kind} {tag}" if changed else f"{kind} {tag}: no change"
    tags.moved = True
    order = orders.locked_order(conn, order_id)
    status = OrderStatus(order["status"])
    if kind == "hold":
        reason = args.get("reason", "manual")
        if status not in _HOLDABLE:
            return f"hold skipped: the order is {status}"
        if any(h.reason == reason for h in orders.open_holds(conn, [order_id])):
            return f"hold ({reason}): already held"
        note = args.get("note") or why
        orders.put_on_hold(conn, order, reason, note, actor=ACTOR)
        return f"hold ({reason})"
    if kind == "release":
        reason = args.get("reason", "manual")
        released = orders.release_in_transaction(conn, order_id, reason, ACTOR)
        return f"release ({reason})" if released else f"release ({reason}): nothing held"
    if kind == "set_priority":
        changed = orders.set_priority(conn, order, args["priority"], ACTOR, why=why, data=data)
        return f"priority {args['priority']}" + ("" if changed else ": no change")
    if kind == "set_service_level":
        level = args["service_level"]
        changed = orders.set_service_level(conn, order, level, ACTOR, why=why, data=data)
        return f"service level {level}" + ("" if changed else ": no change")
    if kind == "notify" and "email_template" in args:
        template, to = args["email_template"], args["to"]
        mail = AutomationEmail(
            id=order_id,
            number=order["number"],
            template=template,
            to=to,
            rule=data["rule"],
            version=data["version"],
        )
        outbox.emit(conn, [mail])
        return f"notify e-mail {template} to {to}"
    if kind == "notify":
        event = AutomationNotified(
            id=order_id,
            number=order["number"],
            event=args["event"],
            rule=data["rule"],
            version=data["version"],
        )
        outbox.emit(conn, [event])
        return f"notify {args['event']}"
    if kind in ("route_to", "exclude_warehouse"):
        if status not in _HOLDABLE:
            return f"{kind} skipped: the order is {status}"
        return routing.constrain_order(
            conn, order_id, kind, args["warehouse"], ACTOR, why=why, data=data
        )
    if kind == "cancel":
        if status not in _CANCELLABLE:
            return f"cancel skipped: the order is {status}"
        done = orders.cancel_in_transaction(conn, order_id, ACTOR, args.get("reason") or why)
        returns.settle_cancellation(conn, done, gateways, ACTOR)
        return "cancel"
    raise RuntimeError(f"no way to apply {kind}")  # read_rule_set refuses the rest


def apply_firings(
    conn: Connection,
    order: Mapping[Any, Any],
    fired: Sequence[Firing],
    version: int,
    trigger: str,
    gateways: Gateways,
) -> None:
    """Apply the rules' actions, in order, to the locked ``order`` and record each firing on
    the timeline (``automation.fired``: what each action did), all in one insert."""
    order_id = order["id"]
    tags = _Tags(order, list(order["tags"] or []))
    entries = []
    for firing in fired:
        data = {"rule": firing.rule, "version": version}
        why = f"rule {firing.rule!r}, version {version}"
        did = [_act(conn, order_id, a, why, data, gateways, tags) for a in firing.actions]
        entries.append(
            TimelineRow(
                "automation.fired",
                f"Automation rule {firing.rule!r} (version {version}) fired on {trigger}: "
                + "; ".join(did)
                + ".",
                {**data, "index": firing.index, "trigger": trigger, "actions": did},
            )
        )
    tags.write(conn, order_id, version)
    orders.add_timeline(conn, order_id, entries, ACTOR)


class Automation:
    """The relay subscriber that applies the active rule set (register it before the
    fulfilment release, so a ``hold`` lands before the warehouse is given the order)."""

    def __init__(self, db: Database, gateways: Gateways) -> None:
        self.db = db
        self.gateways = gateways

    def rules(self) -> tuple[int, RuleSet]:
        hit = cached_rules(self.db.engine)  # no transaction per event while the cache is fresh
        if hit is not None:
            return hit
        with self.db.read() as conn:
            return active_rules(conn)

    def on_event(self, envelope: Envelope) -> None:
        if envelope.type == STOCK_EVENT:
            on_stock_event(self.db, envelope, *self.rules())
            return
        trigger = TRIGGER_OF.get(envelope.type)
        if trigger is None or envelope.aggregate_type != "order":
            return
        version, rules = self.rules()
        if not rules.listens(trigger):
            return  # nothing could fire: no transaction, no row
        order_id = envelope.aggregate_id
        with self.db.write() as conn:
            if store.ran(conn, envelope.id):
                return  # a redelivery: the rules were applied with the first delivery
            if orders.find_order(conn, order_id) is None:
                return
            order = orders.locked_order(conn, order_id)
            facts = facts_in(conn, [order])[0]
            if trigger == "shipment.late":
                payload = envelope.payload
                facts |= {f: payload.get(k) for k, f in _SHIPMENT_FACTS.items()}
            fired = evaluate(rules, trigger, facts)
            if fired:
                apply_firings(conn, order, fired, version, trigger, self.gateways)
            store.insert_run(conn, envelope.id, order_id, trigger, version, [f.rule for f in fired])
        if fired:
            log.info("automation: %s fired on %s %s", [f.rule for f in fired], trigger, order_id)
