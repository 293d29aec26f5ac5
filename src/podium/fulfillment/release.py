"""Releasing shipments to their warehouse: at once after placement, or in waves; and each
warehouse's fulfilment settings (release mode, hand-off, bin locations)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from podium import catalog, orders, shipments
from podium.config import Settings
from podium.db.database import Database, utcnow
from podium.errors import ValidationFailed
from podium.events import Envelope, Event
from podium.fulfillment import _store as wstore
from podium.fulfillment.handoff_targets import check_handoff_url, confine_dir
from podium.fulfillment.model import BinIn, Handoff, ReleaseMode, SettingsIn, SettingsView, mask
from podium.fulfillment.service import announce, move
from podium.orders import (
    OrderCreated,
    OrderPartiallyShipped,
    OrderReady,
    OrderStatus,
    held_order_ids,
    lock_order_heads,
)
from podium.shipments import Shipment, ShipmentStatus, check_shipment_transition

__all__ = [
    "RELEASE_TRIGGERS",
    "change_settings",
    "get_settings",
    "on_order_ready",
    "put_bin",
    "put_settings",
    "release_order",
    "release_orders",
    "release_wave",
]

ACTOR = "system:release"
# Events after which an order's pending shipments may go to an auto-release warehouse.
RELEASE_TRIGGERS: tuple[type[Event], ...] = (OrderCreated, OrderReady, OrderPartiallyShipped)


def _settings_view(code: str, row: sa.RowMapping | None) -> SettingsView:
    if row is None:
        return SettingsView(
            warehouse=code,
            release_mode=ReleaseMode.AUTO.value,
            handoff="none",
            handoff_url=None,
            handoff_secret=None,
            handoff_dir=None,
        )
    return SettingsView(
        warehouse=code,
        release_mode=row["release_mode"],
        handoff=row["handoff"],
        handoff_url=row["handoff_url"],
        handoff_secret=mask(row["handoff_secret"]),
        handoff_dir=row["handoff_dir"],
        label_format=row["label_format"],
    )


def get_settings(db: Database, code: str) -> SettingsView:
    catalog.get_warehouse(db, code)  # 404 for an unknown warehouse
    with db.read() as conn:
        return _settings_view(code, wstore.settings(conn, code))


def change_settings(
    db: Database, code: str, changes: Mapping[str, Any], settings: Settings
) -> SettingsView:
    """Change only the settings named in ``changes`` (``None``: unchanged); the others, and a
    stored hand-off secret, keep their value."""
    current = get_settings(db, code)
    with db.read() as conn:
        row = wstore.settings(conn, code)
    merged = {
        **current.model_dump(exclude={"warehouse"}),
        "handoff_secret": row["handoff_secret"] if row is not None else None,
    }
    merged.update({k: v for k, v in changes.items() if v is not None})
    return put_settings(db, code, SettingsIn(**merged), settings)


def put_settings(db: Database, code: str, data: SettingsIn, settings: Settings) -> SettingsView:
    """Store a warehouse's settings. The hand-off URL must be public (unless
    PODIUM_WEBHOOKS_ALLOW_PRIVATE) and the drop directory must lie under PODIUM_HANDOFF_ROOT."""
    catalog.get_warehouse(db, code)
    needs = {
        Handoff.WEBHOOK: ("handoff_url", "handoff_secret"),
        Handoff.CSV_DROP: ("handoff_dir",),
        Handoff.NONE: (),
    }[data.handoff]
    for name in needs:
        if getattr(data, name) is None:
            raise ValidationFailed(
                f"A {data.handoff.value} hand-off needs {name}.",
                code="handoff_incomplete",
                details={"field": name},
            )
    if data.handoff_url is not None:
        check_handoff_url(data.handoff_url, allow_private=settings.webhooks_allow_private)
    if data.handoff_dir is not None:
        confine_dir(data.handoff_dir, settings.handoff_root)
    with db.write() as conn:
        wstore.put_settings(conn, code, data.model_dump(mode="json"))
        return _settings_view(code, wstore.settings(conn, code))


def put_bin(db: Database, code: str, sku: str, data: BinIn) -> dict[str, str]:
    catalog.get_warehouse(db, code)
    catalog.get_product(db, sku)
    with db.write() as conn:
        wstore.put_bin(conn, code, sku, data.bin)
    return {"warehouse": code, "sku": sku, "bin": data.bin}


def _release(conn: Connection, order: sa.RowMapping, shipment: Shipment, actor: str) -> None:
    move(
        conn,
        order,
        shipment,
        ShipmentStatus.RELEASED,
        actor,
        f"Released to warehouse {shipment.warehouse}.",
        values={"released_at": utcnow()},
    )


def _auto(modes: dict[str, sa.RowMapping], shipment: Shipment) -> bool:
    row = modes.get(shipment.warehouse)
    return row is None or row["release_mode"] != ReleaseMode.WAVE


def release_order(db: Database, order_id: str, actor: str = ACTOR) -> int:
    """Release the order's pending shipments bound for auto-release warehouses; a held
    order releases nothing. Returns how many were released (0 again on redelivery)."""
    return release_orders(db, [order_id], actor)


def release_orders(db: Database, order_ids: list[str], actor: str = ACTOR) -> int:
    """``release_order`` for many orders in one transaction: the orders locked in id order and
    their pending shipments locked by one statement each, the released ones updated by one,
    and their timeline entries and events sent with the commit (nothing reads them back)."""
    if not order_ids:
        return 0
    with db.write(batch_inserts=True) as conn:
        ready = {
            o["id"]: o
            for o in lock_order_heads(conn, order_ids)
            if o["status"] in (OrderStatus.READY, OrderStatus.PARTIALLY_SHIPPED)
        }
        pending = shipments.lock_pending(conn, list(ready))
        modes = wstore.settings_for(conn, sorted({s.warehouse for s in pending}))
        chosen = [s for s in pending if _auto(modes, s)]
        values = {"released_at": utcnow()}
        for s in chosen:
            check_shipment_transition(s.status, ShipmentStatus.RELEASED)
        shipments.update_shipments(
            conn, [s.id for s in chosen], {"status": ShipmentStatus.RELEASED.value, **values}
        )
        for s in chosen:
            announce(
                conn,
                ready[s.order_id],
                s,
                ShipmentStatus.RELEASED,
                actor,
                f"Released to warehouse {s.warehouse}.",
                values=values,
            )
        return len(chosen)


def on_order_ready(db: Database) -> Callable[[list[Envelope]], None]:
    """The relay's batch subscriber behind automatic release: one transaction per pass."""

    def handle(events: list[Envelope]) -> None:
        release_orders(db, sorted({e.aggregate_id for e in events if e.aggregate_type == "order"}))

    return handle


def release_wave(db: Database, code: str, actor: str, *, limit: int = 500) -> list[str]:
    """Release a wave: the warehouse's pending shipments of orders not on hold, oldest first,
    whatever its release mode (a wave warehouse runs this on a schedule)."""
    catalog.get_warehouse(db, code)
    with db.read() as conn:
        candidates = shipments.shipments_in(
            conn, code, ShipmentStatus.PENDING.value, limit=limit, skip_orders=held_order_ids()
        )
    released: list[str] = []
    # Lock orders in id order so two waves (or a wave and a cancel) cannot deadlock.
    for s in sorted(candidates, key=lambda r: (r.order_id, r.id)):
        with db.write() as conn:
            order = orders.locked_order(conn, s.order_id)
            shipment = shipments.lock_shipment(conn, s.id)
            if (
                shipment is None
                or shipment.status != ShipmentStatus.PENDING
                or order["status"] not in (OrderStatus.READY, OrderStatus.PARTIALLY_SHIPPED)
            ):
                continue
            _release(conn, order, shipment, actor)
            released.append(s.id)
    return released
