"""Pre-orders follow their purchase orders (issue 16 item 4): when a sent PO moves its expected
day or is cancelled, the promises of the pre-orders waiting for its SKUs are worked out again
the way they were made (every waiting unit of a SKU, oldest order first, against the sent
POs to the channel's warehouses). A pre-order whose day moved gets the new one; one that no PO
covers any more keeps its backorder hold with its promise cleared. Either way the order's
timeline says why and ``order.promise_changed`` is emitted."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from sqlalchemy import Connection

from podium import catalog, orders
from podium.planning import _po_store as po_store
from podium.planning.allowance import COMMITTED
from podium.planning.purchase_model import cover_day

__all__ = ["revisit_promises"]


def _feeds(conn: Connection, channel: str, cache: dict[str, set[str] | None]) -> set[str] | None:
    if channel not in cache:
        found = catalog.channel(conn, channel)
        cache[channel] = set(found.warehouses) if found and found.warehouses is not None else None
    return cache[channel]


def revisit_promises(conn: Connection, skus: Iterable[str], why: str, actor: str) -> int:
    """Re-promise the pre-orders waiting for ``skus`` (after the PO changed, in the same
    transaction); returns how many orders' promise changed."""
    touched = set(skus)
    waiting = orders.waiting_lines(conn, None)
    promised = {w.order_id for w in waiting if w.sku in touched and w.promised_date is not None}
    pre = orders.preordered(conn, sorted(promised))
    if not pre:
        return 0
    relevant = {w.sku for w in waiting if w.order_id in pre}
    incoming = po_store.open_units(conn, po_store.PO, COMMITTED, sorted(relevant))
    cache: dict[str, set[str] | None] = {}
    ahead: dict[str, int] = defaultdict(int)
    days: dict[str, list[date | None]] = defaultdict(list)
    before: dict[str, date | None] = {}
    for w in waiting:  # oldest order first, as the backorder fill serves them
        if w.sku not in relevant:
            continue
        ahead[w.sku] += w.units
        if w.order_id not in pre:
            continue
        feeds = _feeds(conn, w.channel, cache)
        waves = [
            (day, q)
            for s, wh, q, day, _ in incoming
            if s == w.sku and (feeds is None or wh in feeds)
        ]
        days[w.order_id].append(cover_day(waves, ahead[w.sku]))
        before[w.order_id] = w.promised_date
    changed = 0
    for order_id, found in days.items():
        new = None if any(d is None for d in found) else max(d for d in found if d is not None)
        if new != before[order_id]:
            orders.change_promise(conn, order_id, new, why, actor)
            changed += 1
    return changed
