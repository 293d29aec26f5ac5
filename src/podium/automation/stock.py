"""The ``stock.low`` trigger: a SKU's available units at a warehouse fell to or below its
threshold (the rule set's ``stock_thresholds``: per SKU, else a default).

Heard from ``inventory.changed``, which says what was available before and after, so a
crossing is seen without any state of its own: it fires when ``before > threshold >= after``
— once per crossing (stock that stays low fires nothing more until it rises above the
threshold and falls again). A redelivered event fires nothing twice (``automation_runs``).
Rules see the facts ``sku``, ``warehouse``, ``available``, ``on_hand``, ``reserved`` and
``threshold``; there is no order, so the only action is ``notify`` (a webhook event,
``automation.stock_notify``).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from podium import events as outbox
from podium.automation import _store as store
from podium.automation.events import StockNotified
from podium.automation.model import RuleSet, evaluate
from podium.db.database import Database
from podium.events import Envelope

__all__ = ["STOCK_EVENT", "crossed", "on_stock_event", "stock_facts"]

STOCK_EVENT = "inventory.changed"
log = logging.getLogger(__name__)


def crossed(payload: Mapping[str, Any], threshold: int) -> bool:
    """Whether this stock change took the available units to or below ``threshold``."""
    before, after = payload.get("previous_available"), payload.get("available")
    if not isinstance(before, int) or not isinstance(after, int):
        return False
    return before > threshold >= after


def stock_facts(payload: Mapping[str, Any], threshold: int) -> dict[str, Any]:
    return {
        "sku": payload.get("sku"),
        "warehouse": payload.get("warehouse"),
        "available": payload.get("available"),
        "on_hand": payload.get("on_hand"),
        "reserved": payload.get("reserved"),
        "threshold": threshold,
    }


def on_stock_event(db: Database, envelope: Envelope, version: int, rules: RuleSet) -> None:
    """Apply the enabled ``stock.low`` rules to one ``inventory.changed`` event."""
    if not rules.listens("stock.low"):
        return  # the common case: no transaction, nothing read
    payload = envelope.payload
    sku, warehouse = str(payload.get("sku")), str(payload.get("warehouse"))
    threshold = rules.threshold(sku)
    if not crossed(payload, threshold):
        return
    fired = evaluate(rules, "stock.low", stock_facts(payload, threshold))
    with db.write() as conn:
        if store.ran(conn, envelope.id):
            return
        outbox.emit(
            conn,
            [
                StockNotified(
                    sku=sku,
                    warehouse=warehouse,
                    available=int(payload["available"]),
                    threshold=threshold,
                    event=action.args["event"],
                    rule=firing.rule,
                    version=version,
                    to=action.args.get("to"),
                )
                for firing in fired
                for action in firing.actions
                if action.kind == "notify"
            ],
        )
        subject = f"{sku}@{warehouse}"[:40]
        store.insert_run(conn, envelope.id, subject, "stock.low", version, [f.rule for f in fired])
    if fired:
        log.info("automation: %s fired on stock.low %s", [f.rule for f in fired], subject)
