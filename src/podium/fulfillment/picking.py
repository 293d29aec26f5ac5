"""Pick lists (waves of released shipments) and short picks."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa

from podium import catalog, inventory, orders
from podium import shipments as shipment_records
from podium.db.database import Database, as_utc
from podium.errors import Conflict, NotFound, ValidationFailed
from podium.fulfillment import _store as wstore
from podium.fulfillment.events import ShipmentShortPicked
from podium.fulfillment.model import PickListIn, PickListView, PickRow, ShortPickIn, pick_rows
from podium.fulfillment.service import locked, move
from podium.ids import new_id
from podium.inventory import Movement, MovementKind
from podium.orders import HoldReason, open_holds, order_numbers, put_on_hold
from podium.routing import fill_backorders
from podium.shipments import (
    OPEN_STATUSES,
    Shipment,
    ShipmentLine,
    ShipmentStatus,
    ShipmentView,
    shipment_view,
)

__all__ = [
    "PickListDoc",
    "create_pick_list",
    "get_pick_list",
    "pick_list_document",
    "short_pick",
    "warehouse_queue",
]


def create_pick_list(db: Database, code: str, data: PickListIn, actor: str) -> PickListView:
    """Take up to ``max_shipments`` released shipments (oldest first), or the ones named in
    ``shipment_ids``, into one pick list; they move to ``picking``. A named shipment that is no
    longer released (picked meanwhile) is left out; one of another warehouse is refused."""
    catalog.get_warehouse(db, code)
    with db.read() as conn:
        if data.shipment_ids is None:
            candidates = shipment_records.shipments_in(
                conn, code, ShipmentStatus.RELEASED.value, limit=data.max_shipments
            )
        else:
            candidates = _named(conn, code, data.shipment_ids)
    if not candidates:
        raise Conflict(
            f"Warehouse {code} has no released shipments to pick.",
            code="nothing_to_pick",
            details={"warehouse": code},
        )
    pick_list_id = new_id("pck")
    taken: list[str] = []
    with db.write() as conn:
        for s in sorted(candidates, key=lambda r: (r.order_id, r.id)):
            order, shipment = locked(conn, s.id)
            if shipment.status != ShipmentStatus.RELEASED:
                continue
            move(
                conn,
                order,
                shipment,
                ShipmentStatus.PICKING,
                actor,
                f"On pick list {pick_list_id} at {code}.",
                data={"pick_list_id": pick_list_id},
            )
            taken.append(s.id)
        if not taken:
            raise Conflict(
                f"Warehouse {code} has no released shipments to pick.",
                code="nothing_to_pick",
                details={"warehouse": code},
            )
        order_of = {s.id: (s.created_at, s.id) for s in candidates}
        taken.sort(key=lambda i: order_of[i])
        wstore.insert_pick_list(conn, pick_list_id, code, taken, actor)
    return PickListView(id=pick_list_id, warehouse=code, shipments=taken)


def _named(conn: sa.Connection, code: str, ids: list[str]) -> list[Shipment]:
    found: dict[str, Shipment] = {}
    for i, shipment_id in enumerate(ids):
        row = shipment_records.get_shipment(conn, shipment_id)
        if row is None or row.warehouse != code:
            raise ValidationFailed(
                f"Shipment {shipment_id} is not one of warehouse {code}'s.",
                code="shipment_not_in_warehouse",
                details={"field": f"shipment_ids.{i}", "shipment_id": shipment_id},
            )
        if row.status == ShipmentStatus.RELEASED:
            found[shipment_id] = row
    return list(found.values())


def warehouse_queue(db: Database, code: str, status: str, limit: int) -> list[ShipmentView]:
    """A warehouse's shipments in one status, oldest first (the floor's work queue)."""
    catalog.get_warehouse(db, code)
    try:
        wanted = ShipmentStatus(status)
    except ValueError as exc:
        raise ValidationFailed(
            f"Unknown shipment status {status}.", code="invalid_status", details={"field": "status"}
        ) from exc
    with db.read() as conn:
        rows = shipment_records.shipments_in(conn, code, wanted.value, limit=limit)
        lines = shipment_records.lines_for(conn, [r.id for r in rows])
    by_shipment: dict[str, list[ShipmentLine]] = defaultdict(list)
    for ln in lines:
        by_shipment[ln.shipment_id].append(ln)
    return [shipment_view(r, by_shipment[r.id]) for r in rows]


def get_pick_list(db: Database, pick_list_id: str) -> PickListView:
    with db.read() as conn:
        row = wstore.pick_list(conn, pick_list_id)
    if row is None:
        raise NotFound(f"No pick list {pick_list_id}.", code="pick_list_not_found")
    return PickListView(id=row["id"], warehouse=row["warehouse"], shipments=row["shipment_ids"])


@dataclass(frozen=True, slots=True)
class PickListDoc:
    """What a printed pick list shows."""

    id: str
    warehouse: str
    created_at: str
    rows: list[PickRow]
    shipments: list[tuple[str, str, int]]  # (shipment id, order number, units)


def pick_list_document(db: Database, pick_list_id: str) -> PickListDoc:
    with db.read() as conn:
        row = wstore.pick_list(conn, pick_list_id)
        if row is None:
            raise NotFound(f"No pick list {pick_list_id}.", code="pick_list_not_found")
        ids = list(row["shipment_ids"])
        ships = {s.id: s for s in _shipments(conn, ids)}
        lines = shipment_records.lines_for(conn, ids)
        numbers = order_numbers(conn, sorted({s.order_id for s in ships.values()}))
        skus = sorted({ln.sku for ln in lines})
        names = {sku: p.name for sku, p in catalog.products_by_sku(conn, skus).items()}
        bins = wstore.bins(conn, row["warehouse"], skus)
    units: dict[str, int] = defaultdict(int)
    flat = []
    for ln in lines:
        number = numbers[ships[ln.shipment_id].order_id]
        units[ln.shipment_id] += ln.quantity
        flat.append((ln.sku, ln.shipment_id, ln.quantity, number))
    return PickListDoc(
        id=pick_list_id,
        warehouse=row["warehouse"],
        created_at=as_utc(row["created_at"]).strftime("%Y-%m-%d %H:%M UTC"),
        rows=pick_rows(flat, bins, names),
        shipments=[(i, numbers[ships[i].order_id], units[i]) for i in ids if i in ships],
    )


def _shipments(conn: sa.Connection, ids: list[str]) -> list[Shipment]:
    return [r for r in (shipment_records.get_shipment(conn, i) for i in ids) if r is not None]


def short_pick(db: Database, shipment_id: str, data: ShortPickIn, actor: str) -> ShipmentView:
    """The warehouse could not find some units: they leave the shipment (and the stock count:
    they are not on the shelf), the order line is back-ordered (and re-planned at once when
    another warehouse has them), and the rest can ship."""
    with db.write() as conn:
        order, shipment = locked(conn, shipment_id)
        if ShipmentStatus(shipment.status) not in OPEN_STATUSES:
            raise Conflict(
                f"A {shipment.status} shipment cannot be short-picked.",
                code="invalid_transition",
                details={"entity": "shipment", "from": shipment.status, "to": "short_picked"},
            )
        lines = shipment_records.lines_for(conn, [shipment_id])
        missing: dict[str, int] = defaultdict(int)
        for i, short_line in enumerate(data.lines):
            sku = short_line.sku
            missing[sku] += short_line.quantity
            have = sum(x.quantity for x in lines if x.sku == sku)
            if missing[sku] > have:
                raise ValidationFailed(
                    f"The shipment holds {have} × {sku}; cannot be short {missing[sku]}.",
                    code="short_exceeds_shipment",
                    details={"field": f"lines.{i}.quantity", "sku": sku, "has": have},
                )
        shorts = dict(missing)
        left_in_shipment = 0
        for ln in lines:
            take = min(missing.get(ln.sku, 0), ln.quantity)
            missing[ln.sku] = missing.get(ln.sku, 0) - take
            rest = ln.quantity - take
            left_in_shipment += rest
            if take and rest:
                shipment_records.set_line_quantity(conn, shipment_id, ln.line_no, rest)
            elif take:
                shipment_records.delete_line(conn, shipment_id, ln.line_no)
        inventory.apply(
            conn,
            [
                Movement(
                    sku,
                    shipment.warehouse,
                    MovementKind.ADJUSTMENT,
                    -q,
                    -q,
                    "short_pick",
                    order["number"],
                )
                for sku, q in sorted(shorts.items())
            ],
            actor,
        )
        summary = ", ".join(f"{q} × {s}" for s, q in sorted(shorts.items()))
        orders.record(
            conn,
            order,
            actor,
            "shipment.short_picked",
            f"Short pick at {shipment.warehouse}: {summary} not found; back-ordered.",
            {"shipment_id": shipment_id, "short": shorts},
            event=ShipmentShortPicked(
                id=order["id"],
                number=order["number"],
                shipment_id=shipment_id,
                warehouse=shipment.warehouse,
                short=shorts,
            ),
        )
        if left_in_shipment == 0:
            move(
                conn,
                order,
                shipment,
                ShipmentStatus.CANCELLED,
                actor,
                "Shipment cancelled: nothing left to pick.",
            )
        _backorder(conn, order, actor, shorts)
        row = shipment_records.get_shipment(conn, shipment_id)
        if row is None:
            raise RuntimeError(f"shipment {shipment_id} not found")
        view = shipment_view(row, shipment_records.lines_for(conn, [shipment_id]))
    # Re-plan at once: another warehouse may have the units now. The backorder filler does it
    # in its own transactions (stock rows locked in key order), oldest waiting order first.
    fill_backorders(db, sorted(shorts))
    return view


def _backorder(
    conn: sa.Connection, order: sa.RowMapping, actor: str, short: dict[str, int]
) -> None:
    if any(h.reason == HoldReason.BACKORDER for h in open_holds(conn, [order["id"]])):
        return
    put_on_hold(
        conn,
        order,
        HoldReason.BACKORDER.value,
        "short pick",
        actor=actor,
        message="On hold (backorder): "
        + ", ".join(f"{q} × {s}" for s, q in sorted(short.items()))
        + " short-picked.",
        data={"reason": "backorder", "short": short},
    )
