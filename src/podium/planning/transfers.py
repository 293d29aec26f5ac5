"""Transfers between warehouses (issue 16 item 4): create by hand or from the replenishment
transfer suggestions, ship (the units leave the source through the ledger and are in transit),
receive in full or in part at the target (``receiving.py``), cancel a draft."""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa
from sqlalchemy import Connection

from podium import catalog, inventory
from podium.db.database import Database, as_utc, utcnow
from podium.errors import NotFound, ValidationFailed
from podium.planning import _po_store as store
from podium.planning.po_views import (
    ReceiptIn,
    TransferIn,
    TransferLineIn,
    TransferLineView,
    TransferView,
)
from podium.planning.purchase_model import TransferStatus, transfer_move
from podium.planning.receiving import Booking, post_receipt
from podium.planning.replenish import ReplenishmentIn, replenishment

__all__ = [
    "cancel_transfer",
    "create_transfer",
    "get_transfer",
    "list_transfers",
    "receive_transfer",
    "ship_transfer",
    "transfers_from_suggestions",
]

_BOOKING = Booking(
    store.TRANSFER, "transfer", "target", inventory.MovementKind.TRANSFER, "transfer_in"
)


def _view(head: sa.RowMapping, rows: list[sa.RowMapping]) -> TransferView:
    return TransferView(
        number=head["number"],
        source=head["source"],
        target=head["target"],
        status=head["status"],
        expected_on=head["expected_on"],
        note=head["note"],
        created_by=head["created_by"],
        created_at=as_utc(head["created_at"]),
        shipped_at=as_utc(head["shipped_at"]) if head["shipped_at"] is not None else None,
        lines=[
            TransferLineView(
                sku=r["sku"],
                quantity=r["quantity"],
                received=r["received"],
                open=max(0, r["quantity"] - r["received"]),
            )
            for r in rows
        ],
    )


def _read(conn: Connection, number: str) -> TransferView:
    head = store.document(conn, store.TRANSFER, number)
    if head is None:
        raise NotFound(f"No transfer {number}.", code="tr_not_found", details={"number": number})
    return _view(head, store.lines(conn, store.TRANSFER, [number])[number])


def _insert(conn: Connection, body: TransferIn, actor: str) -> str:
    if body.source == body.target:
        raise ValidationFailed(
            "source and target must differ.", code="same_warehouse", details={"field": "target"}
        )
    for field in ("source", "target"):
        code = getattr(body, field)
        if catalog.warehouse(conn, code) is None:
            raise ValidationFailed(
                f"Unknown warehouse {code}.", code="unknown_warehouse", details={"field": field}
            )
    seen: set[str] = set()
    rows = []
    known = set(catalog.products_by_sku(conn, [ln.sku for ln in body.lines]))
    for i, line in enumerate(body.lines):
        if line.sku in seen:
            raise ValidationFailed(
                f"{line.sku} is on two lines.",
                code="duplicate_sku",
                details={"field": f"lines[{i}]"},
            )
        seen.add(line.sku)
        if line.sku not in known:
            raise ValidationFailed(
                f"Unknown SKU {line.sku}.",
                code="unknown_sku",
                details={"field": f"lines[{i}].sku"},
            )
        rows.append({"sku": line.sku, "quantity": line.quantity, "received": 0})
    number = store.next_number(conn, store.TRANSFER)
    now = utcnow()
    head = {
        "number": number,
        "source": body.source,
        "target": body.target,
        "status": TransferStatus.DRAFT.value,
        "expected_on": body.expected_on,
        "note": body.note,
        "created_by": actor,
        "created_at": now,
        "shipped_at": None,
        "updated_at": now,
    }
    store.insert(conn, store.TRANSFER, head, rows)
    return number


def create_transfer(db: Database, body: TransferIn, actor: str) -> TransferView:
    with db.write() as conn:
        return _read(conn, _insert(conn, body, actor))


def transfers_from_suggestions(
    db: Database, warehouse: str | None, sku: str | None, actor: str
) -> list[TransferView]:
    """Draft transfers for the replenishment's suggested moves, one per source × target."""
    page = replenishment(db, ReplenishmentIn(warehouse=warehouse, sku=sku, limit=1))
    grouped: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for move in page.transfers:
        grouped[(move.source, move.target)][move.sku] += move.quantity
    with db.write() as conn:
        numbers = [
            _insert(
                conn,
                TransferIn(
                    source=source,
                    target=target,
                    lines=[TransferLineIn(sku=s, quantity=q) for s, q in sorted(units.items())],
                ),
                actor,
            )
            for (source, target), units in sorted(grouped.items())
        ]
        return [_read(conn, n) for n in numbers]


def get_transfer(db: Database, number: str) -> TransferView:
    with db.read() as conn:
        return _read(conn, number)


def list_transfers(
    db: Database,
    *,
    status: str | None = None,
    source: str | None = None,
    target: str | None = None,
    after: str | None = None,
    limit: int = 100,
) -> list[TransferView]:
    filters = {"status": status, "source": source, "target": target}
    with db.read() as conn:
        heads = store.documents(conn, store.TRANSFER, filters, after, limit)
        lines = store.lines(conn, store.TRANSFER, [h["number"] for h in heads])
        return [_view(h, lines[h["number"]]) for h in heads]


def _locked(conn: Connection, number: str) -> sa.RowMapping:
    head = store.lock(conn, store.TRANSFER, number)
    if head is None:
        raise NotFound(f"No transfer {number}.", code="tr_not_found", details={"number": number})
    return head


def ship_transfer(db: Database, number: str, actor: str) -> TransferView:
    """The units leave the source (409 ``insufficient_stock`` when it lacks unreserved stock;
    nothing is written) and are in transit."""
    with db.write() as conn:
        head = _locked(conn, number)
        transfer_move(head["status"], "ship")
        rows = store.lines(conn, store.TRANSFER, [number])[number]
        source = head["source"]
        inventory.lock_levels(conn, [(r["sku"], source) for r in rows])
        moves = [
            inventory.Movement(
                r["sku"],
                source,
                inventory.MovementKind.TRANSFER,
                -r["quantity"],
                0,
                "transfer_out",
                number,
            )
            for r in rows
        ]
        inventory.apply(conn, moves, actor, rows_locked=True)
        store.set_status(
            conn, store.TRANSFER, number, TransferStatus.IN_TRANSIT.value, shipped_at=utcnow()
        )
        return _read(conn, number)


def receive_transfer(db: Database, number: str, body: ReceiptIn, actor: str) -> TransferView:
    """Units arrive at the target; never more than was shipped."""
    if body.allow_over_receipt:
        raise ValidationFailed(
            "A transfer cannot receive more than was shipped.",
            code="over_receipt",
            details={"field": "allow_over_receipt"},
        )
    with db.write() as conn:
        post_receipt(conn, _BOOKING, number, body, actor, lambda s: transfer_move(s, "receive"))
        return _read(conn, number)


def cancel_transfer(db: Database, number: str) -> TransferView:
    with db.write() as conn:
        head = _locked(conn, number)
        transfer_move(head["status"], "cancel")
        store.set_status(conn, store.TRANSFER, number, TransferStatus.CANCELLED.value)
        return _read(conn, number)
