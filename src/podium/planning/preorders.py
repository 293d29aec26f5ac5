"""Pre-orders (issue 16 item 4): a channel may sell a SKU ahead of the stock on its way (sent
purchase orders to the warehouses it sells from), up to its cap of units waiting at once.

Placement asks :meth:`PreorderBook.promise` when an order comes short; the units go on a
backorder hold with the order's promised date, the PO's expected day, and the backorder fill
reserves them normally when the PO is received. Everything waiting for stock counts against
the stock on its way (oldest order first is who gets it), and the channel's own waiting units
against its cap. A transaction-scoped lock per SKU (PostgreSQL; SQLite's write transaction is
exclusive already) serialises promises, so two concurrent orders never both take the last of
a cap."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

import sqlalchemy as sa
from pydantic import BaseModel, Field
from sqlalchemy import Connection

from podium import catalog, orders
from podium.db.database import Database, as_utc, utcnow
from podium.db.tables import planning_preorder_caps
from podium.errors import NotFound
from podium.numbers import JsonInt
from podium.planning import _po_store as po_store
from podium.planning.allowance import COMMITTED, announce, committed_skus
from podium.planning.purchase_model import cover_day
from podium.validation import Input

__all__ = [
    "PreorderBook",
    "PreorderCapIn",
    "PreorderCapView",
    "list_preorder_caps",
    "set_preorder_cap",
]

_LOCK_CLASS = 0x5052_4531  # advisory lock namespace: (this, hashtext(sku))
_c = planning_preorder_caps.c


class PreorderCapIn(Input):
    cap: JsonInt | None = Field(
        ...,
        ge=0,
        le=1_000_000,
        description="Units of a SKU the channel may have sold ahead of incoming stock at "
        "once; null: no pre-orders.",
    )


class PreorderCapView(BaseModel):
    channel: str
    cap: int | None
    updated_at: datetime | None = None


def set_preorder_cap(db: Database, channel: str, body: PreorderCapIn) -> PreorderCapView:
    with db.write() as conn:
        if catalog.channel(conn, channel) is None:
            raise NotFound(
                f"No channel {channel}.", code="channel_not_found", details={"field": "channel"}
            )
        conn.execute(planning_preorder_caps.delete().where(_c.channel == channel))
        announce(conn, committed_skus(conn))  # the channels' counts follow the cap
        if body.cap is None:
            return PreorderCapView(channel=channel, cap=None)
        now = utcnow()
        conn.execute(
            planning_preorder_caps.insert(),
            {"channel": channel, "cap": body.cap, "updated_at": now},
        )
    return PreorderCapView(channel=channel, cap=body.cap, updated_at=now)


def list_preorder_caps(db: Database) -> list[PreorderCapView]:
    with db.read() as conn:
        rows = conn.execute(sa.select(planning_preorder_caps).order_by(_c.channel)).mappings()
        return [
            PreorderCapView(channel=r["channel"], cap=r["cap"], updated_at=as_utc(r["updated_at"]))
            for r in rows
        ]


class PreorderBook:
    """Implements ``orders.Preorders`` from the caps and the sent purchase orders."""

    def promise(self, conn: Connection, channel: str, short: Mapping[str, int]) -> date | None:
        cap = conn.execute(sa.select(_c.cap).where(_c.channel == channel)).scalar()
        if cap is None or not short:
            return None
        skus = sorted(short)
        if conn.dialect.name == "postgresql":
            for sku in skus:  # in key order, like the stock rows
                conn.execute(
                    sa.select(sa.func.pg_advisory_xact_lock(_LOCK_CLASS, sa.func.hashtext(sku)))
                )
        found = catalog.channel(conn, channel)
        feeds = set(found.warehouses) if found and found.warehouses is not None else None
        waiting = orders.backordered_units(conn, skus)
        incoming = po_store.open_units(conn, po_store.PO, COMMITTED, skus)
        promised: date | None = None
        for sku in skus:
            if waiting.get((sku, channel), 0) + short[sku] > cap:
                return None
            ahead = sum(q for (s, _), q in waiting.items() if s == sku) + short[sku]
            waves = [
                (day, q)
                for s, w, q, day, _ in incoming
                if s == sku and (feeds is None or w in feeds)
            ]
            day = cover_day(waves, ahead)
            if day is None:
                return None
            promised = day if promised is None else max(promised, day)
        announce(conn, skus)  # less left to sell ahead, on every channel selling these
        return promised
