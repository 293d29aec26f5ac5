"""What each channel may still sell ahead of incoming stock (issue 16 item 4): the channel sync
publishes it on top of the channel's stock, so a listing with only pre-order capacity left
still sells. Per channel with a cap and SKU: the cap less the channel's units already waiting,
bounded by the units on sent purchase orders to the channel's warehouses not yet promised to
anyone (every waiting unit of the SKU counts against them) - the same two checks
``PreorderBook.promise`` makes, so what is published can be placed."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable

import sqlalchemy as sa
from sqlalchemy import Connection

from podium import catalog, events, inventory, orders
from podium.db.tables import planning_preorder_caps
from podium.planning import _po_store as po_store
from podium.planning.events import PreorderCapacityChanged
from podium.planning.purchase_model import PoStatus

__all__ = ["COMMITTED", "announce", "committed_skus", "preorder_allowance"]

COMMITTED = [PoStatus.SENT.value, PoStatus.PARTIALLY_RECEIVED.value]  # drafts promise nothing
_c = planning_preorder_caps.c


def preorder_allowance(conn: Connection, skus: Collection[str]) -> dict[tuple[str, str], int]:
    """(channel, sku) -> units the channel may still pre-order (only those above 0)."""
    caps = {str(r[0]): int(r[1]) for r in conn.execute(sa.select(_c.channel, _c.cap))}
    wanted = sorted(set(skus))
    if not caps or not wanted:
        return {}
    incoming = po_store.open_units(conn, po_store.PO, COMMITTED, wanted)
    if not incoming:
        return {}
    waiting = orders.backordered_units(conn, wanted)
    ahead: dict[str, int] = defaultdict(int)
    for (sku, _), units in waiting.items():
        ahead[sku] += units
    out: dict[tuple[str, str], int] = {}
    for channel, cap in sorted(caps.items()):
        found = catalog.channel(conn, channel)
        if found is None:
            continue
        feeds = set(found.warehouses) if found.warehouses is not None else None
        coming: dict[str, int] = defaultdict(int)
        for sku, warehouse, units, _, _ in incoming:
            if feeds is None or warehouse in feeds:
                coming[sku] += units
        for sku, units in coming.items():
            left = min(cap - waiting.get((sku, channel), 0), units - ahead[sku])
            if left > 0:
                out[(channel, sku)] = left
    return out


def committed_skus(conn: Connection) -> list[str]:
    """Every SKU on a sent or partially received purchase order."""
    return sorted({row[0] for row in po_store.open_units(conn, po_store.PO, COMMITTED, None)})


def announce(conn: Connection, skus: Iterable[str]) -> None:
    """Tell the channel sync (in this transaction's outbox) that these SKUs' pre-order
    allowance may have changed; a SKU the waiting room holds sold out may be pre-ordered again."""
    wanted = sorted(set(skus))
    events.emit(conn, [PreorderCapacityChanged(sku=s) for s in wanted])
    inventory.lift_after_commit(conn, wanted)
