"""Receiving against a purchase order or a transfer: one transaction locks the document,
checks the receipt (nothing over what is open unless allowed), posts the units to stock
through the inventory ledger (kind ``receipt`` or ``transfer``) and books them on the lines.
A receipt's idempotency key makes a retry book nothing twice."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Connection

from podium import inventory
from podium.errors import Conflict, NotFound
from podium.ids import new_id
from podium.planning import _po_store as store
from podium.planning.po_views import ReceiptIn
from podium.planning.purchase_model import LineState, after_receipt, receive

__all__ = ["Booking", "post_receipt"]


@dataclass(frozen=True, slots=True)
class Booking:
    kind: store.Kind
    label: str  # "purchase order" / "transfer", for messages
    warehouse_field: str  # the header column naming where the units arrive
    movement: inventory.MovementKind
    reason: str


def _wanted(body: ReceiptIn) -> dict[str, int]:
    wanted: dict[str, int] = {}
    for line in body.lines:
        wanted[line.sku] = wanted.get(line.sku, 0) + line.quantity
    return wanted


def post_receipt(
    conn: Connection,
    booking: Booking,
    number: str,
    body: ReceiptIn,
    actor: str,
    check: Callable[[str], None],
) -> None:
    """Book ``body`` against document ``number`` inside the caller's write transaction.
    ``check(status)`` raises when the document may not receive now."""
    head = store.lock(conn, booking.kind, number)
    if head is None:
        raise NotFound(
            f"No {booking.label} {number}.",
            code=f"{booking.kind.prefix.lower()}_not_found",
            details={"number": number},
        )
    wanted = _wanted(body)
    key = body.key or new_id("rcpt")
    if body.key is not None:
        earlier = store.receipt(conn, number, body.key)
        if earlier is not None:
            if {k: int(v) for k, v in earlier["lines"].items()} != wanted:
                raise Conflict(
                    f"Receipt key {body.key} was used with other lines.",
                    code="idempotency_key_reused",
                    details={"field": "key"},
                )
            return
    check(head["status"])
    rows = store.lines(conn, booking.kind, [number])[number]
    lines = {r["sku"]: LineState(r["sku"], r["quantity"], r["received"]) for r in rows}
    booked = receive(lines, wanted, allow_over=body.allow_over_receipt)
    warehouse = head[booking.warehouse_field]
    inventory.lock_levels(conn, [(sku, warehouse) for sku in booked])
    moves = [
        inventory.Movement(sku, warehouse, booking.movement, units, 0, booking.reason, number)
        for sku, units in sorted(booked.items())
    ]
    inventory.apply(conn, moves, actor, rows_locked=True)
    store.book(conn, booking.kind, number, booked)
    store.add_receipt(conn, number, key, booked, actor)
    store.set_status(conn, booking.kind, number, after_receipt(lines, booked))
