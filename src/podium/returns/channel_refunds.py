"""Refunds a sales channel already made (Shopify ``refunds/create``, a WooCommerce refund),
arriving as exact parsed facts, become Podium refunds, and returns when shipped units came back,
restocked where the channel says so. Idempotent on the channel refund id.

The channel connectors' ``channel.refund_received`` subscriber calls
:func:`record_channel_refund`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection

from podium import inventory
from podium.db.database import Database
from podium.errors import ValidationFailed
from podium.inventory import Movement, MovementKind
from podium.money import normalise_currency
from podium.orders import OrderFacts, locked_order, order_facts
from podium.payments import Gateways
from podium.returns import _store as store
from podium.returns.model import Disposition, RefundIn, RefundView, ReturnLineIn, ReturnStatus
from podium.returns.pushed import link_named_refund
from podium.returns.refunds import Plan, issue_refund, units_by_sku
from podium.returns.service import open_return
from podium.returns.views import refund_views

__all__ = ["ChannelRefundLine", "record_channel_refund", "record_channel_refund_in"]


@dataclass(frozen=True, slots=True)
class ChannelRefundLine:
    sku: str
    quantity: int
    restock: bool


def record_channel_refund(
    db: Database,
    *,
    order_id: str,
    channel_refund_id: str,
    amount: int,
    currency: str,
    lines: Sequence[ChannelRefundLine] = (),
    gateways: Gateways | None = None,
    note: str | None = None,
    actor: str = "system:channels",
) -> RefundView:
    """A refund the channel already made, as exact parsed facts (minor units).

    Units the channel refunded that had shipped become a return (closed at once: the channel
    settled it), restocked to the warehouse that shipped them when ``restock`` says so; the
    money is recorded as a refund transaction from the channel. Calling again with the same
    ``channel_refund_id`` returns the first refund and changes nothing.
    """
    with db.write() as conn:
        return record_channel_refund_in(
            conn,
            order_id=order_id,
            channel_refund_id=channel_refund_id,
            amount=amount,
            currency=currency,
            lines=lines,
            gateways=gateways,
            note=note,
            actor=actor,
        )


def record_channel_refund_in(
    conn: Connection,
    *,
    order_id: str,
    channel_refund_id: str,
    amount: int,
    currency: str,
    lines: Sequence[ChannelRefundLine] = (),
    gateways: Gateways | None = None,
    note: str | None = None,
    actor: str = "system:channels",
    clip: bool = False,
) -> RefundView:
    """:func:`record_channel_refund` inside the caller's transaction. ``clip``: units the
    order does not have (unknown SKU, already refunded) are left out instead of refused, so
    the money the channel refunded is still recorded."""
    gateways = gateways or Gateways()
    order = locked_order(conn, order_id)
    found = store.refund_by_channel_id(conn, order_id, channel_refund_id)
    if found is None and link_named_refund(conn, order_id, channel_refund_id, note):
        found = store.refund_by_channel_id(conn, order_id, channel_refund_id)
    if found is not None:  # recorded already, or Podium's own refund echoed by the channel
        return refund_views(conn, [found])[0]
    facts = order_facts(conn, order_id)
    if clip:
        lines = _clipped(conn, facts, lines)
    if normalise_currency(currency) != facts.currency:
        raise ValidationFailed(
            f"The refund is in {currency} but the order is in {facts.currency}.",
            code="currency_mismatch",
            details={"field": "currency"},
        )
    if amount <= 0:
        raise ValidationFailed(
            "amount must be more than zero.", code="invalid_money", details={"field": "amount"}
        )
    by_line, _ = store.refunded_units(conn, order_id)
    plan = Plan(units=units_by_sku(facts, [(ln.sku, ln.quantity) for ln in lines], by_line))
    return_id = None
    returned = store.returned_units(conn, order_id)
    returned_by_sku: dict[str, int] = defaultdict(int)
    for pl in facts.money.lines:
        returned_by_sku[pl.sku] += returned.get(pl.line_no, 0)
    back = []
    for ln in lines:
        left = facts.shipped_by_sku.get(ln.sku, 0) - returned_by_sku[ln.sku]
        q = min(ln.quantity, max(0, left))
        if q:
            returned_by_sku[ln.sku] += q
            back.append((ln, q))
    if back:
        return_id = open_return(
            conn,
            order,
            facts,
            [ReturnLineIn(sku=ln.sku, quantity=q, reason="other") for ln, q in back],
            actor,
            status=ReturnStatus.CLOSED,
            note=note or f"Refunded on {facts.channel} ({channel_refund_id}).",
            channel_refund_id=channel_refund_id,
        )
        moves = [
            Movement(
                ln.sku,
                facts.shipped_from[ln.sku],
                MovementKind.RETURN,
                q,
                0,
                "return",
                return_id,
            )
            for ln, q in back
            if ln.restock
        ]
        if moves:
            inventory.restock(conn, moves, actor)
        restocked = {ln.sku: q for ln, q in back if ln.restock}
        for rl in store.return_lines_for(conn, [return_id]):
            take = min(rl["quantity"], restocked.get(rl["sku"], 0))
            restocked[rl["sku"]] = restocked.get(rl["sku"], 0) - take
            store.update_line(conn, return_id, rl["line_no"], {"quantity_received": take})
            store.set_dispositions(conn, return_id, rl["line_no"], {Disposition.RESTOCK: take})
    data = RefundIn(reason=note or f"channel refund {channel_refund_id}")
    return issue_refund(
        conn,
        order,
        facts,
        plan,
        data,
        gateways,
        actor,
        return_id=return_id,
        fixed_amount=amount,
        channel_refund_id=channel_refund_id,
    )


def _clipped(
    conn: Connection, facts: OrderFacts, lines: Sequence[ChannelRefundLine]
) -> list[ChannelRefundLine]:
    by_line, _ = store.refunded_units(conn, facts.id)
    room: dict[str, int] = defaultdict(int)
    for pl in facts.money.lines:
        room[pl.sku] += pl.quantity - by_line.get(pl.line_no, 0)
    out = []
    for ln in lines:
        q = min(ln.quantity, room[ln.sku])
        if q > 0:
            room[ln.sku] -= q
            out.append(ChannelRefundLine(ln.sku, q, ln.restock))
    return out
