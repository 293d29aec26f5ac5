"""The money for units Podium cancelled on a partly shipped order, given back on the platform.

When Podium holds the money, cancelling unshipped units refunds them in Podium
(``returns.cancellation``) and that refund (``refund.issued``) reaches the platform like any
other. When the channel holds it (``channel-paid`` orders: Shopify, WooCommerce), Podium issues
no refund of its own, so nothing would ever give the customer back what the cancelled units
were worth: here ``order.partially_cancelled`` becomes a refund on the platform of exactly
``amount`` (their value, with their share of discount and tax), naming the cancelled units
by the platform's line ids, restocked (they never left). Its key, ``cancel-<event id>``, makes
it idempotent on the platform; when the platform reports it back, Podium records it as the
channel's refund (the money Podium never held).
"""

from __future__ import annotations

from collections.abc import Callable

from podium.channels.connector import Connectors, RefundPush
from podium.channels.money_push import (
    already_noted,
    cancellation_target,
    kept_lines,
    push_refund,
)
from podium.channels.refund_push import refund_lines
from podium.db.database import Database
from podium.events import Envelope
from podium.money import parse_amount
from podium.payments import CHANNEL_PAID_TAG

__all__ = ["on_order_partially_cancelled"]


def on_order_partially_cancelled(
    db: Database, connectors: Connectors
) -> Callable[[Envelope], None]:
    """The relay's subscriber for ``order.partially_cancelled``."""

    def handle(event: Envelope) -> None:
        p = event.payload
        order_id = str(event.aggregate_id)
        aimed = cancellation_target(db, connectors, event, "refund", "push_refunds")
        if aimed is None:
            return
        reason, (order, external_id, channel_type, settings, refund) = aimed
        if CHANNEL_PAID_TAG not in order.tags:
            return  # Podium refunded them itself: that refund reaches the platform
        key = f"cancel-{event.id}"
        if already_noted(db, order_id, "channel.refund_pushed", "refund_id", key):
            return
        currency = str(p.get("currency") or order.currency)
        amount = parse_amount(str(p.get("amount")), currency)
        if amount <= 0:
            return
        kept, listed = kept_lines(db, order.channel, external_id)
        units = [
            (str(ln["sku"]), int(ln["quantity"]), True)
            for ln in p.get("lines") or []
            if isinstance(ln, dict) and int(ln.get("quantity") or 0) > 0
        ]
        count = sum(q for _, q, _ in units)
        push = RefundPush(
            external_id=external_id,
            refund_id=key,
            currency=currency,
            amount=amount,
            shipping=0,
            lines=refund_lines(kept, units, listed),
            note=(
                f"Podium cancelled {count} unshipped unit(s)" + (f": {reason}" if reason else "")
            )[:500],
        )
        push_refund(db, order_id, order.channel, channel_type, settings, refund, push)

    return handle
