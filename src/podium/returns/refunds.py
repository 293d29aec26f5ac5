"""Refunds: exact amounts for returned (or just refunded) units, their share of discount and
tax, optionally shipping; to the original payment or as store credit; never more than paid.
Refunds a channel already made arrive through ``returns.channel_refunds``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import Field, StrictInt
from sqlalchemy import Connection

from podium import orders, payments
from podium.db.database import Database
from podium.errors import Conflict, InvalidTransition, ValidationFailed
from podium.ids import new_id
from podium.inventory import MAX_QUANTITY
from podium.money import InvalidMoney, format_amount, parse_amount
from podium.orders import OrderFacts, RefundQuote, locked_order, order_facts, quote_refund
from podium.payments import Gateways, TxKind
from podium.returns import _store as store
from podium.returns.events import RefundIssued, ReturnClosed
from podium.returns.model import (
    REFUNDABLE,
    RefundIn,
    RefundView,
    ReturnStatus,
)
from podium.returns.service import locked_return
from podium.returns.views import refund_views
from podium.validation import Input, Sku

__all__ = [
    "OrderRefundIn",
    "Plan",
    "issue_refund",
    "list_refunds",
    "refund_order",
    "refund_return",
    "refunds_issued",
    "units_by_sku",
]


class RefundLineIn(Input):
    sku: Sku
    quantity: StrictInt = Field(ge=1, le=MAX_QUANTITY)


class OrderRefundIn(RefundIn):
    """A refund without a return: units (priced exactly) and/or an amount, optionally shipping."""

    lines: list[RefundLineIn] = Field(default_factory=list, max_length=500)


def _amount(value: str, currency: str) -> int:
    try:
        amount = parse_amount(value, currency)
    except InvalidMoney as exc:
        raise ValidationFailed(exc.message, code=exc.code, details={"field": "amount"}) from exc
    if amount <= 0:
        raise ValidationFailed(
            "amount must be more than zero.", code="invalid_money", details={"field": "amount"}
        )
    return amount


@dataclass
class Plan:
    units: dict[int, int] = field(default_factory=dict)  # order line -> units
    return_lines: list[tuple[int, int, int]] = field(default_factory=list)  # (order, return, q)


def issue_refund(
    conn: Connection,
    order: Mapping[Any, Any],
    facts: OrderFacts,
    plan: Plan,
    data: RefundIn,
    gateways: Gateways,
    actor: str,
    *,
    return_id: str | None = None,
    fixed_amount: int | None = None,
    channel_refund_id: str | None = None,
) -> RefundView:
    """Price the plan, check it against what was paid, write the refund, move the money."""
    cur = facts.currency
    payments.settle_policy(conn, order, gateways)  # what the policy says is paid by now
    order = locked_order(conn, order["id"])
    by_line, _ = store.refunded_units(conn, order["id"])
    earlier = store.refunds_for(conn, order_id=order["id"])
    shipping_refunded = sum(r["shipping_amount"] for r in earlier)
    try:
        quote: RefundQuote = quote_refund(
            facts.money,
            plan.units,
            by_line,
            shipping_refunded=shipping_refunded,
            include_shipping=data.include_shipping,
        )
    except ValueError as exc:
        raise Conflict(str(exc), code="refund_exceeds_order") from exc
    amount = quote.total
    if fixed_amount is not None:
        amount = fixed_amount
    elif data.amount is not None:
        amount = _amount(data.amount, cur)
    if amount <= 0:
        raise Conflict("There is nothing left to refund here.", code="nothing_to_refund")
    paid = payments.paid_summary(conn, order["id"])
    refundable = paid.captured - sum(r["amount"] for r in earlier)
    if amount > refundable:
        raise Conflict(
            f"Refusing to refund {cur} {format_amount(amount, cur)}: only "
            f"{cur} {format_amount(max(0, refundable), cur)} was paid and not yet refunded.",
            code="refund_exceeds_payment",
            details={
                "field": "amount",
                "amount": format_amount(amount, cur),
                "refundable": format_amount(max(0, refundable), cur),
            },
        )
    refund_id = new_id("rfd")
    rows: list[dict[str, Any]] = []
    by_order_line = {ln.line_no: ln for ln in quote.lines}
    # Spread each order line's exact amount over the return lines it came from.
    for order_line, lines in _group(
        plan.return_lines or [(o, 0, q) for o, q in plan.units.items()]
    ):
        priced = by_order_line.get(order_line)
        if priced is None:
            continue
        total_q = sum(q for _, q in lines)
        spent = 0
        for i, (return_line, q) in enumerate(lines):
            share = priced.amount - spent if i == len(lines) - 1 else priced.amount * q // total_q
            spent += share
            rows.append(
                {
                    "refund_id": refund_id,
                    "line_no": len(rows) + 1,
                    "order_line_no": order_line,
                    "return_line_no": return_line or None,
                    "sku": priced.sku,
                    "quantity": q,
                    "amount": share,
                }
            )
    store.insert_refund(
        conn,
        {
            "id": refund_id,
            "order_id": order["id"],
            "return_id": return_id,
            "currency": cur,
            "amount": amount,
            "lines_amount": quote.gross,
            "discount_amount": quote.discount,
            "tax_amount": quote.tax,
            "shipping_amount": quote.shipping,
            "method": data.method,
            "channel_refund_id": channel_refund_id,
            "reason": data.reason,
            "created_by": actor,
        },
        rows,
    )
    if data.method == "store_credit":
        payments.grant_store_credit(conn, order, amount, refund_id, actor)
    elif channel_refund_id is not None:
        payments.record_transaction(
            conn,
            order,
            TxKind.REFUND,
            amount,
            gateways,
            actor,
            gateway=f"channel:{facts.channel}",
            reference=channel_refund_id,
            succeeded=True,
            refund_id=refund_id,
        )
    else:
        payments.refund_payment(conn, order, amount, refund_id, gateways, actor)
    order = locked_order(conn, order["id"])
    orders.record(
        conn,
        order,
        actor,
        "refund.issued",
        f"Refunded {cur} {format_amount(amount, cur)}"
        + (" as store credit" if data.method == "store_credit" else "")
        + (f" for return {return_id}." if return_id else "."),
        {"refund_id": refund_id, "return_id": return_id, "method": data.method},
        event=RefundIssued(
            id=order["id"],
            number=order["number"],
            order_id=order["id"],
            refund_id=refund_id,
            return_id=return_id,
            amount=format_amount(amount, cur),
            currency=cur,
            method=data.method,
            email=order["customer_email"],
            source="channel" if channel_refund_id else "podium",
        ),
    )
    return refund_views(conn, store.refunds_for(conn, order_id=order["id"])[-1:])[0]


def _group(items: Sequence[tuple[int, int, int]]) -> list[tuple[int, list[tuple[int, int]]]]:
    grouped: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for order_line, return_line, q in items:
        grouped[order_line].append((return_line, q))
    return sorted(grouped.items())


def refund_return(
    db: Database, return_id: str, data: RefundIn, gateways: Gateways, actor: str
) -> RefundView:
    """Refund a return: by default, exactly what its not-yet-refunded units are worth."""
    with db.write() as conn:
        order, row = locked_return(conn, return_id)
        if ReturnStatus(row["status"]) not in REFUNDABLE:
            raise InvalidTransition("return", row["status"], "refunded")
        facts = order_facts(conn, order["id"])
        _, by_return_line = store.refunded_units(conn, order["id"])
        plan = Plan()
        if data.amount is None:
            units: dict[int, int] = defaultdict(int)
            for ln in store.return_lines_for(conn, [return_id]):
                q = ln["quantity"] - by_return_line.get((return_id, ln["line_no"]), 0)
                if q > 0:
                    units[ln["order_line_no"]] += q
                    plan.return_lines.append((ln["order_line_no"], ln["line_no"], q))
            plan.units = dict(units)
        refund = issue_refund(conn, order, facts, plan, data, gateways, actor, return_id=return_id)
        _close_if_settled(conn, return_id, actor)
        return refund


def _close_if_settled(conn: Connection, return_id: str, actor: str) -> None:
    """An inspected return whose every unit is refunded is done."""
    order, row = locked_return(conn, return_id)
    if row["status"] != ReturnStatus.INSPECTED:
        return
    _, by_return_line = store.refunded_units(conn, order["id"])
    lines = store.return_lines_for(conn, [return_id])
    if all(by_return_line.get((return_id, ln["line_no"]), 0) >= ln["quantity"] for ln in lines):
        store.update_return(conn, return_id, {"status": ReturnStatus.CLOSED.value})
        orders.record(
            conn,
            order,
            actor,
            "return.closed",
            f"Return {return_id} closed: received, inspected and refunded.",
            {"return_id": return_id},
            event=ReturnClosed(
                id=order["id"],
                number=order["number"],
                return_id=return_id,
                order_id=order["id"],
                status="closed",
            ),
        )


def units_by_sku(
    facts: OrderFacts, wanted: Sequence[tuple[str, int]], refunded: Mapping[int, int]
) -> dict[int, int]:
    room = {ln.line_no: ln.quantity - refunded.get(ln.line_no, 0) for ln in facts.money.lines}
    units: dict[int, int] = defaultdict(int)
    for i, (sku, quantity) in enumerate(wanted):
        todo = quantity
        for ln in facts.money.lines:
            if ln.sku == sku and todo and room[ln.line_no] > 0:
                take = min(todo, room[ln.line_no])
                room[ln.line_no] -= take
                units[ln.line_no] += take
                todo -= take
        if todo:
            raise Conflict(
                f"Order {facts.number} has no {quantity} unrefunded unit(s) of {sku}.",
                code="refund_exceeds_order",
                details={"field": f"lines.{i}.quantity", "sku": sku},
            )
    return dict(units)


def refund_order(
    db: Database, order_id: str, data: OrderRefundIn, gateways: Gateways, actor: str
) -> RefundView:
    """Refund units (and/or an amount, and/or shipping) of an order without a return."""
    with db.write() as conn:
        order = locked_order(conn, order_id)
        facts = order_facts(conn, order_id)
        by_line, _ = store.refunded_units(conn, order_id)
        plan = Plan(
            units=units_by_sku(facts, [(ln.sku, ln.quantity) for ln in data.lines], by_line)
        )
        return issue_refund(conn, order, facts, plan, data, gateways, actor)


def list_refunds(db: Database, order_id: str) -> list[RefundView]:
    with db.read() as conn:
        order_facts(conn, order_id)  # 404 for an unknown order
        return refund_views(conn, store.refunds_for(conn, order_id=order_id))


def refunds_issued(conn: Connection, start: datetime, end: datetime) -> list[Mapping[str, Any]]:
    """Refunds issued in [start, end), for reports."""
    return [dict(r) for r in store.refunds_between(conn, start, end)]
