"""Receiving returned units, each with its disposition, whose effect ``dispositions.EFFECTS``
says: restocked units go back on hand through the inventory service (ledger movement
``return``); the others are counted on the return line."""

from __future__ import annotations

from collections import defaultdict

from podium import inventory, orders
from podium.db.database import Database
from podium.errors import Conflict, InvalidTransition
from podium.inventory import Movement, MovementKind
from podium.orders import HoldReason, order_facts, release_in_transaction
from podium.returns import _store as store
from podium.returns.dispositions import EFFECTS
from podium.returns.events import ReturnReceived
from podium.returns.model import (
    RECEIVABLE,
    ReceiveIn,
    ReturnStatus,
    ReturnView,
    check_return_transition,
)
from podium.returns.service import locked_return, move
from podium.returns.views import return_view

__all__ = ["receive_return"]


def receive_return(db: Database, return_id: str, data: ReceiveIn, actor: str) -> ReturnView:
    """Record units arriving, each with its disposition; restocked units go back on hand."""
    with db.write() as conn:
        order, row = locked_return(conn, return_id)
        if ReturnStatus(row["status"]) not in RECEIVABLE:
            raise InvalidTransition("return", row["status"], ReturnStatus.RECEIVED.value)
        facts = order_facts(conn, order["id"])
        lines = {ln["line_no"]: dict(ln) for ln in store.return_lines_for(conn, [return_id])}
        moves: list[Movement] = []
        counts: dict[str, int] = defaultdict(int)
        for i, rl in enumerate(data.lines):
            todo = rl.quantity
            for ln in lines.values():
                if ln["sku"] != rl.sku or todo == 0:
                    continue
                take = min(todo, ln["quantity"] - ln["quantity_received"])
                if take <= 0:
                    continue
                ln["quantity_received"] += take
                ln[EFFECTS[rl.disposition].counter] += take
                todo -= take
            if todo:
                raise Conflict(
                    f"{rl.quantity} unit(s) of {rl.sku} is more than this return still expects.",
                    code="receive_exceeds_return",
                    details={"field": f"lines.{i}.quantity", "sku": rl.sku},
                )
            counts[rl.disposition.value] += rl.quantity
            if EFFECTS[rl.disposition].restocks:
                warehouse = rl.warehouse or facts.shipped_from.get(rl.sku)
                if warehouse is None:  # returned units were shipped from somewhere
                    raise RuntimeError(f"Return {return_id}: {rl.sku} was never shipped")
                moves.append(
                    Movement(
                        rl.sku, warehouse, MovementKind.RETURN, rl.quantity, 0, "return", return_id
                    )
                )
        if moves:
            inventory.restock(conn, moves, actor, field="lines.warehouse")
        for line_no, ln in lines.items():
            store.update_line(
                conn, return_id, line_no, {"quantity_received": ln["quantity_received"]}
            )
            store.set_dispositions(
                conn, return_id, line_no, {d: ln[e.counter] for d, e in EFFECTS.items()}
            )
        done = all(ln["quantity_received"] >= ln["quantity"] for ln in lines.values())
        target = ReturnStatus.INSPECTED if done else ReturnStatus.RECEIVED
        check_return_transition(row["status"], target)
        store.update_return(conn, return_id, {"status": target.value})
        if row["exchange_order_id"] is not None:  # an advance exchange may ship now
            release_in_transaction(
                conn, row["exchange_order_id"], HoldReason.AWAITING_RETURN.value, actor
            )
        orders.record(
            conn,
            order,
            actor,
            "return.received",
            f"Return {return_id}: "
            + ", ".join(f"{q} {d}" for d, q in sorted(counts.items()))
            + ".",
            {"return_id": return_id, "dispositions": dict(counts), "status": target.value},
            event=ReturnReceived(
                id=order["id"],
                number=order["number"],
                return_id=return_id,
                order_id=order["id"],
                status=target.value,
                dispositions=dict(counts),
                restocked=[
                    {"sku": m.sku, "warehouse": m.warehouse, "quantity": m.on_hand_delta}
                    for m in moves
                ],
            ),
        )
        if target is ReturnStatus.INSPECTED and row["exchange_order_id"] is not None:
            move(conn, order, return_id, target, ReturnStatus.CLOSED, actor)  # settled
        return return_view(conn, return_id)
