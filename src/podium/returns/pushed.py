"""Refunds made in Podium as the sales channel must hear of them: what was refunded (units,
shipping, whether the units came back to stock) and, once the platform made its own refund,
which one it was.

Linking the platform's refund id to the Podium refund is what stops the loop: when the
platform then reports the refund (a Shopify ``refunds/create`` webhook, a WooCommerce order
listing it), :func:`record_channel_refund_in` finds the Podium refund by that id and records
nothing twice. A platform refund whose note names a Podium refund (``Podium refund rfd_…``)
is linked the same way, for a webhook that outruns the link.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import Connection

from podium.db.database import Database
from podium.returns import _store as store

__all__ = [
    "PushableRefund",
    "RefundedUnits",
    "link_channel_refund",
    "link_named_refund",
    "podium_refund_named",
    "refund_note",
    "refund_to_push",
]

_NAMED = re.compile(r"\bPodium refund (rfd_[0-9A-Za-z]{4,60})\b")


@dataclass(frozen=True, slots=True)
class RefundedUnits:
    sku: str  # Podium's SKU
    quantity: int
    restocked: int  # of which came back to stock (a ``restock`` disposition)


@dataclass(frozen=True, slots=True)
class PushableRefund:
    refund_id: str
    order_id: str
    return_id: str | None
    currency: str
    amount: int  # minor units, all of it
    shipping: int  # of which shipping
    method: str  # original_payment | store_credit
    channel_refund_id: str | None  # set: the channel made it (or was told already)
    reason: str | None
    lines: list[RefundedUnits]


def refund_note(refund_id: str, reason: str | None) -> str:
    """The note a platform refund carries: it names the Podium refund (how a webhook echoing
    it back is recognised) and says why."""
    return f"Podium refund {refund_id}" + (f": {reason}" if reason else "")


def podium_refund_named(note: str | None) -> str | None:
    found = _NAMED.search(note or "")
    return found.group(1) if found else None


def refund_to_push(db: Database, refund_id: str) -> PushableRefund | None:
    """The refund's facts, with the restocked units of its return (None: no such refund)."""
    with db.read() as conn:
        row = store.refund_row(conn, refund_id)
        if row is None:
            return None
        lines = store.refund_lines_for(conn, [refund_id])
        restocked: dict[str, int] = defaultdict(int)
        if row["return_id"]:
            for rl in store.return_lines_for(conn, [row["return_id"]]):
                restocked[rl["sku"]] += int(rl.get("quantity_restocked") or 0)
    by_sku: dict[str, int] = defaultdict(int)
    for ln in lines:
        by_sku[ln["sku"]] += int(ln["quantity"])
    units = []
    for sku, quantity in by_sku.items():
        back = min(quantity, restocked.get(sku, 0))
        units.append(RefundedUnits(sku, quantity, back))
    return PushableRefund(
        refund_id=row["id"],
        order_id=row["order_id"],
        return_id=row["return_id"],
        currency=row["currency"],
        amount=int(row["amount"]),
        shipping=int(row["shipping_amount"]),
        method=row["method"],
        channel_refund_id=row["channel_refund_id"],
        reason=row["reason"],
        lines=units,
    )


def link_channel_refund(db: Database, refund_id: str, channel_refund_id: str) -> bool:
    """Remember the platform's refund a Podium refund became; False if one was linked."""
    with db.write() as conn:
        return store.link_channel_refund(conn, refund_id, channel_refund_id[:200])


def link_named_refund(
    conn: Connection, order_id: str, channel_refund_id: str, note: str | None
) -> str | None:
    """A platform refund whose note names a Podium refund of this order that is not linked
    yet: link it and return the Podium refund id (the channel is echoing Podium's refund)."""
    named = podium_refund_named(note)
    if named is None:
        return None
    row = store.refund_row(conn, named)
    if row is None or row["order_id"] != order_id:
        return None
    if row["channel_refund_id"] not in (None, channel_refund_id):
        return None
    store.link_channel_refund(conn, named, channel_refund_id[:200])
    return named
