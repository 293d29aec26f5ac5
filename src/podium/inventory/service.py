"""Use cases for stock: adjust, transfer, safety stock, availability, reservations, the doctor.

Functions that take a ``Connection`` run inside the caller's transaction (orders and
fulfilment call them while placing, cancelling and shipping); the others open their own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import Connection

from podium import catalog, events
from podium.catalog import Channel, Warehouse
from podium.db.database import Database, as_utc
from podium.errors import InsufficientStock, NotFound, ValidationFailed
from podium.inventory import _store as store
from podium.inventory.availability import Availability, published_quantity
from podium.inventory.events import InventoryChanged
from podium.inventory.model import (
    AdjustmentIn,
    ChannelAvailability,
    InventoryView,
    Level,
    LocationView,
    Movement,
    MovementKind,
    MovementView,
    TransferIn,
    kind_for_reason,
)
from podium.inventory.sold_out import lift_after_commit
from podium.paging import Page, decode_cursor

__all__ = [
    "adjust",
    "apply",
    "availability",
    "channel_available",
    "channel_levels",
    "history",
    "lock_levels",
    "published_for",
    "restock",
    "set_safety_stock",
    "transfer",
]

Key = tuple[str, str]


def _changed(
    level: Level, kinds: Iterable[str] = (), on_hand: int = 0, reserved: int = 0, safety: int = 0
) -> InventoryChanged:
    """The event for ``level``; ``on_hand``/``reserved``/``safety`` are what just changed
    (deltas), so the event can say what was available before."""
    before = Level(
        level.sku,
        level.warehouse,
        level.on_hand - on_hand,
        level.reserved - reserved,
        level.safety_stock - safety,
    )
    return InventoryChanged(
        sku=level.sku,
        warehouse=level.warehouse,
        on_hand=level.on_hand,
        reserved=level.reserved,
        available=level.available,
        movements=sorted(set(kinds)),
        previous_available=before.available,
    )


def apply(
    conn: Connection, moves: Sequence[Movement], actor: str, *, rows_locked: bool = False
) -> dict[Key, Level]:
    """Apply movements in (sku, warehouse) order, write them to the ledger, raise events.

    ``rows_locked`` says the caller already holds the stock rows' locks (taken in key order),
    which lets PostgreSQL apply them all in one statement. Raises InsufficientStock (and the
    caller's transaction rolls back) when a guard refuses.
    """
    ordered = sorted(moves, key=lambda m: (m.sku, m.warehouse))
    kinds: dict[Key, set[str]] = {}
    deltas: dict[Key, list[int]] = {}
    for m in ordered:
        kinds.setdefault((m.sku, m.warehouse), set()).add(m.kind.value)
        delta = deltas.setdefault((m.sku, m.warehouse), [0, 0])
        delta[0] += m.on_hand_delta
        delta[1] += m.reserved_delta
    at_once = None
    if rows_locked and len(kinds) == len(ordered) > 1:
        at_once = store.apply_movements_at_once(conn, ordered)  # None: engine can't
    if at_once is None:
        after: dict[Key, Level] = {}
        for m in ordered:
            level = store.apply_movement(conn, m)
            if level is None:
                raise _refused(m)
            after[(m.sku, m.warehouse)] = level
    else:
        after = at_once
        missing = [m for m in ordered if (m.sku, m.warehouse) not in after]
        if missing:
            raise _refused(missing[0])
    store.insert_movements(conn, moves, actor)
    events.emit(conn, [_changed(level, kinds[key], *deltas[key]) for key, level in after.items()])
    # More available (a receipt, a release...): the waiting room lets orders through again.
    lift_after_commit(conn, (m.sku for m in moves if m.on_hand_delta > 0 or m.reserved_delta < 0))
    return after


def lock_levels(conn: Connection, keys: Iterable[Key]) -> dict[Key, Level]:
    """The stock rows for these (sku, warehouse) pairs, created if missing, locked in key order.

    For callers that read balances and then ``apply(..., rows_locked=True)`` in one transaction.
    """
    wanted = sorted(set(keys))
    store.ensure_levels(conn, wanted)
    found = store.levels(conn, {s for s, _ in wanted}, {w for _, w in wanted}, lock=True)
    return {key: found[key] for key in wanted}


def _refused(m: Movement) -> InsufficientStock:
    return InsufficientStock(
        f"Not enough stock of {m.sku} at {m.warehouse} for this {m.kind.value}.",
        details={"sku": m.sku, "warehouse": m.warehouse, "kind": m.kind.value},
    )


def _require(conn: Connection, sku: str, warehouses: Iterable[tuple[str, str]]) -> None:
    if catalog.product(conn, sku) is None:
        raise ValidationFailed(
            f"Unknown SKU {sku}.", code="unknown_sku", details={"field": "sku", "sku": sku}
        )
    for field, code in warehouses:
        if catalog.warehouse(conn, code) is None:
            raise ValidationFailed(
                f"Unknown warehouse {code}.",
                code="unknown_warehouse",
                details={"field": field, "warehouse": code},
            )


def restock(
    conn: Connection, moves: Sequence[Movement], actor: str, *, field: str = "warehouse"
) -> dict[Key, Level]:
    """Put returned units back on hand (movement kind ``return``) in the caller's transaction."""
    for m in moves:
        _require(conn, m.sku, [(field, m.warehouse)])
    store.ensure_levels(conn, sorted({(m.sku, m.warehouse) for m in moves}))
    return apply(conn, moves, actor)


def _location(level: Level) -> LocationView:
    return LocationView(
        warehouse=level.warehouse,
        on_hand=level.on_hand,
        reserved=level.reserved,
        safety_stock=level.safety_stock,
        available=level.available,
    )


def adjust(db: Database, data: AdjustmentIn, actor: str) -> LocationView:
    if data.quantity == 0:
        raise ValidationFailed(
            "quantity must not be zero.", code="zero_quantity", details={"field": "quantity"}
        )
    with db.write() as conn:
        _require(conn, data.sku, [("warehouse", data.warehouse)])
        store.ensure_levels(conn, [(data.sku, data.warehouse)])
        move = Movement(
            data.sku,
            data.warehouse,
            kind_for_reason(data.reason),
            data.quantity,
            0,
            data.reason,
            data.reference,
        )
        after = apply(conn, [move], actor)
    return _location(after[(data.sku, data.warehouse)])


def transfer(db: Database, data: TransferIn, actor: str) -> list[LocationView]:
    if data.from_warehouse == data.to_warehouse:
        raise ValidationFailed(
            "from and to must differ.", code="same_warehouse", details={"field": "to"}
        )
    with db.write() as conn:
        _require(conn, data.sku, [("from", data.from_warehouse), ("to", data.to_warehouse)])
        store.ensure_levels(conn, [(data.sku, data.from_warehouse), (data.sku, data.to_warehouse)])
        reference = data.reference or f"transfer {data.from_warehouse}->{data.to_warehouse}"
        moves = [
            Movement(
                data.sku,
                data.from_warehouse,
                MovementKind.TRANSFER,
                -data.quantity,
                0,
                "transfer_out",
                reference,
            ),
            Movement(
                data.sku,
                data.to_warehouse,
                MovementKind.TRANSFER,
                data.quantity,
                0,
                "transfer_in",
                reference,
            ),
        ]
        after = apply(conn, moves, actor)
    return [_location(level) for level in after.values()]


def set_safety_stock(db: Database, sku: str, warehouse: str, safety: int) -> LocationView:
    with db.write() as conn:
        _require(conn, sku, [("warehouse", warehouse)])
        store.ensure_levels(conn, [(sku, warehouse)])
        was = store.levels(conn, [sku], [warehouse], lock=True)[(sku, warehouse)]
        level = store.set_safety_stock(conn, sku, warehouse, safety)
        if level is None:
            raise RuntimeError(f"no stock level for {sku} at {warehouse}")
        change = level.safety_stock - was.safety_stock
        events.emit(conn, [_changed(level, ["safety_stock"], safety=change)])
        if change < 0:
            lift_after_commit(conn, [sku])
    return _location(level)


def channel_available(
    channel: Channel, warehouses: dict[str, Warehouse], levels: Iterable[Level]
) -> int:
    """What a channel may sell: available summed over the active warehouses feeding it."""
    feeds = set(channel.warehouses) if channel.warehouses is not None else set(warehouses)
    return sum(
        lv.available
        for lv in levels
        if lv.warehouse in feeds and lv.warehouse in warehouses and warehouses[lv.warehouse].active
    )


def published_for(channel: Channel, available: int) -> int:
    """What ``channel`` is told given what it may sell (its buffer and cap applied)."""
    rules = Availability.model_validate(channel.settings.get("availability") or {})
    return published_quantity(available, rules)


def channel_levels(conn: Connection, skus: Iterable[str]) -> dict[str, list[Level]]:
    """Stock rows per SKU, for working out what each channel may sell."""
    by_sku: dict[str, list[Level]] = {}
    for (sku, _), level in store.levels(conn, skus).items():
        by_sku.setdefault(sku, []).append(level)
    return by_sku


def availability(db: Database, sku: str) -> InventoryView:
    with db.read() as conn:
        if catalog.product(conn, sku) is None:
            raise NotFound(f"No product {sku}.", code="product_not_found")
        levels = list(store.levels(conn, [sku]).values())
        warehouses = {w.code: w for w in catalog.list_warehouses(conn)}
        channels = catalog.list_channels(conn)
    active = [lv for lv in levels if warehouses[lv.warehouse].active]
    return InventoryView(
        sku=sku,
        on_hand=sum(lv.on_hand for lv in levels),
        reserved=sum(lv.reserved for lv in levels),
        available=sum(lv.available for lv in active),
        locations=[_location(lv) for lv in levels],
        channels=[
            ChannelAvailability(
                channel=ch.code,
                available=(told := channel_available(ch, warehouses, levels)),
                published=published_for(ch, told),
            )
            for ch in channels
            if ch.active
        ],
    )


def history(
    db: Database, sku: str, *, cursor: str | None = None, limit: int = 50
) -> Page[MovementView]:
    """The SKU's ledger, newest first, in keyset pages both ways."""
    position = decode_cursor(cursor, (int,)) if cursor is not None else None
    with db.read() as conn:
        if catalog.product(conn, sku) is None:
            raise NotFound(f"No product {sku}.", code="product_not_found")
        page = store.movements(conn, sku, position=position, limit=limit)
    return page.map(
        [
            MovementView(
                id=str(r["id"]),
                at=as_utc(r["at"]),
                sku=r["sku"],
                warehouse=r["warehouse"],
                kind=r["kind"],
                on_hand_delta=r["on_hand_delta"],
                reserved_delta=r["reserved_delta"],
                reason=r["reason"],
                reference=r["reference"],
                actor=r["actor"],
            )
            for r in page.items
        ]
    )
