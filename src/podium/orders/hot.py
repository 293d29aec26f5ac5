"""The flash-sale path of placement: the waiting room, then group commit for a hot SKU.

``place_order`` hands its transaction's work here. Before any transaction, an order whose SKUs
are all marked sold out on its channel (``inventory.sold_out``) is refused from memory with
the 409 the normal path would answer; only the idempotency look-up still reads the database,
since a repeat of an order placed before must get that order back. Otherwise a single-SKU
order goes through the SKU's group-commit queue (``orders.group_commit``; it runs alone unless
the SKU is hot in this process), and a normal-path refusal for want of stock marks the SKUs
found with nothing available anywhere.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from sqlalchemy import Connection

from podium import inventory
from podium.db.database import Database
from podium.errors import InsufficientStock
from podium.orders.group_commit import group_commit
from podium.orders.model import OrderIntake, OrderView

__all__ = ["place_flash"]


def place_flash(
    db: Database,
    intake: OrderIntake,
    idempotency_key: str | None,
    repeat: Callable[[Connection], OrderView | None],
    ready: Callable[[], None],
    work: Callable[[Connection], tuple[OrderView, bool]],
    alone: Callable[[], tuple[OrderView, bool]],
) -> tuple[OrderView, bool]:
    """Place ``intake``: ``work`` in a (shared) write transaction, ``alone`` in its own;
    ``repeat`` finds the order this intake repeats; ``ready`` does what placement needs done
    before its transaction (skipped by a refusal from memory). Returns the order and whether
    it is new."""
    demand: dict[str, int] = defaultdict(int)
    for ln in intake.lines:
        demand[ln.sku] += ln.quantity
    room = inventory.sold_out(db.engine)
    waits = intake.on_shortage == "reject" and intake.handed_over is None
    if waits:
        refused = room.refusal(intake.channel, demand)
        if refused is not None:  # sold out: answered from memory, unless it is a repeat
            with db.read() as conn:
                found = repeat(conn)
            if found is not None:
                return found, False
            raise refused  # counted by the caller, like the normal path's
    seen = room.generations(demand)
    ready()
    try:
        if len(demand) == 1 and intake.handed_over is None:  # may be a hot SKU's rush
            identities: set[tuple[str, ...]] = set()
            if intake.external_id is not None:
                identities.add(("order", intake.channel, intake.external_id))
            if idempotency_key is not None:
                identities.add(("key", idempotency_key))
            sku = next(iter(demand))
            return group_commit(db).place(db, sku, frozenset(identities), work, alone)
        return alone()
    except InsufficientStock as e:
        lines = e.details.get("lines")
        if waits and isinstance(lines, list):  # the normal path's refusal
            short = [ln["sku"] for ln in lines if ln.get("available") == 0]
            if short:
                with db.read() as conn:  # sold out everywhere, whatever the order's facts
                    levels = inventory.levels(conn, short)
                empty = [
                    s
                    for s in short
                    if all(lv.available <= 0 for (k, _), lv in levels.items() if k == s)
                ]
                room.mark(intake.channel, empty, seen)
        raise
