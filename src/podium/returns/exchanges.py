"""Exchanges: a replacement order linked to a return.

After the item arrives (the return is received or inspected), or at once as an *advance
exchange*: the replacement is placed now and held as ``awaiting_return`` until the returned
units are received. The replacement is placed through the normal placement path with the
Idempotency-Key ``exchange:<return id>``, so a retry after a crash finds the same order.
"""

from __future__ import annotations

from pydantic import BaseModel, Field, StrictInt

from podium import orders
from podium.db.database import Database
from podium.errors import Conflict, NotFound
from podium.inventory import MAX_QUANTITY
from podium.numbers import JsonBool
from podium.orders import (
    Allocator,
    HoldReason,
    OrderIntake,
    get_order,
    locked_order,
    place_order,
    put_on_hold,
)
from podium.returns import _store as store
from podium.returns.events import ExchangeCreated
from podium.returns.model import ReturnStatus
from podium.returns.service import close_settled, locked_return
from podium.validation import Input, MoneyString, Sku

__all__ = ["ExchangeIn", "ExchangeLineIn", "ExchangeView", "create_exchange"]

ACTOR_NOTE = "Replacement for return {rid}."
ARRIVED = frozenset({ReturnStatus.RECEIVED, ReturnStatus.INSPECTED, ReturnStatus.CLOSED})
WAITING = frozenset({ReturnStatus.APPROVED, ReturnStatus.IN_TRANSIT})


class ExchangeLineIn(Input):
    sku: Sku
    quantity: StrictInt = Field(ge=1, le=MAX_QUANTITY)
    unit_price: MoneyString = Field(default="0", description="What the customer pays; 0: even.")


class ExchangeIn(Input):
    lines: list[ExchangeLineIn] = Field(min_length=1, max_length=500)
    advance: JsonBool = Field(default=False, description="Ship now; hold until the return arrives.")


class ExchangeView(BaseModel):
    return_id: str
    order_id: str
    number: str
    status: str
    advance: bool


def create_exchange(
    db: Database, return_id: str, data: ExchangeIn, actor: str, *, allocator: Allocator
) -> ExchangeView:
    with db.read() as conn:
        row = store.return_row(conn, return_id)
    if row is None:
        raise NotFound(f"No return {return_id}.", code="return_not_found")
    status = ReturnStatus(row["status"])
    if row["exchange_order_id"] is not None:
        raise Conflict(
            f"Return {return_id} already has replacement order {row['exchange_order_id']}.",
            code="exchange_exists",
            details={"order_id": row["exchange_order_id"]},
        )
    if status not in ARRIVED and not (data.advance and status in WAITING):
        raise Conflict(
            f"Return {return_id} is {status.value}: exchange once it is received, or ask for an "
            "advance exchange of an approved return.",
            code="return_not_received",
            details={"status": status.value},
        )
    original = get_order(db, row["order_id"])
    intake = OrderIntake.model_validate(
        {
            "channel": original.channel,
            "currency": original.currency,
            "customer": {k: v for k, v in original.customer.items() if v is not None},
            "shipping_address": original.shipping_address,
            "lines": [ln.model_dump() for ln in data.lines],
            "tags": ["exchange"],
            "note": ACTOR_NOTE.format(rid=return_id),
        }
    )
    placed = place_order(
        db, intake, allocator=allocator, idempotency_key=f"exchange:{return_id}", actor=actor
    )
    replacement = placed.order
    with db.write() as conn:
        order, locked = locked_return(conn, return_id)
        if locked["exchange_order_id"] is None:
            store.update_return(conn, return_id, {"exchange_order_id": replacement.id})
            held = data.advance and ReturnStatus(locked["status"]) not in ARRIVED
            if held:
                put_on_hold(
                    conn,
                    locked_order(conn, replacement.id),
                    HoldReason.AWAITING_RETURN.value,
                    f"advance exchange: waiting for return {return_id}",
                    actor=actor,
                )
            orders.record(
                conn,
                order,
                actor,
                "exchange.created",
                f"Replacement order {replacement.number} for return {return_id}"
                + (" (advance exchange, held until the return arrives)." if held else "."),
                {"return_id": return_id, "replacement_id": replacement.id, "advance": held},
                event=ExchangeCreated(
                    id=order["id"],
                    number=order["number"],
                    return_id=return_id,
                    order_id=order["id"],
                    replacement_id=replacement.id,
                    advance=held,
                ),
            )
            if locked["status"] == ReturnStatus.INSPECTED:  # every unit is back: settled
                close_settled(conn, order, return_id, actor)
    final = get_order(db, replacement.id)
    return ExchangeView(
        return_id=return_id,
        order_id=final.id,
        number=final.number,
        status=final.status,
        advance=data.advance,
    )
