"""The relay subscriber that turns a channel's refund (``channel.refund_received``, raised by
the connectors on Shopify ``refunds/create`` and WooCommerce refunds) into a Podium refund,
and a closed, restocked return where the channel says so.

Redelivery is harmless: :func:`record_channel_refund_in` is idempotent on the channel refund id.
A refund Podium cannot record (another currency, more than was paid) is not retried for ever:
it is put on the order's timeline for a human, and the event counts as handled.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from podium.db.database import Database
from podium.errors import DomainError, NotFound
from podium.events import Envelope
from podium.money import InvalidMoney, parse_amount
from podium.orders import TimelineRow, add_timeline, locked_order
from podium.payments import CHANNEL_PAID_TAG, Gateways, cover_channel_refund
from podium.returns.channel_refunds import ChannelRefundLine, record_channel_refund_in

__all__ = ["on_channel_refund", "refund_lines"]

ACTOR = "system:channels"
_RESTOCKING = {"return", "cancel", "legacy_restock"}

log = logging.getLogger("podium.returns")


def refund_lines(payload: Mapping[str, Any]) -> list[ChannelRefundLine]:
    """The refunded units of an event: ``refund_lines`` (Podium SKUs) when the connector put
    them there, else the platform's own ``lines`` as events raised before carried them."""
    mapped = payload.get("refund_lines")
    if isinstance(mapped, list):
        return [
            ChannelRefundLine(str(ln["sku"]), int(ln["quantity"]), bool(ln.get("restock")))
            for ln in mapped
            if isinstance(ln, dict) and ln.get("sku") and int(ln.get("quantity") or 0) > 0
        ]
    out = []
    for ln in payload.get("lines") or []:
        if not isinstance(ln, dict) or not ln.get("sku"):
            continue
        try:
            quantity = abs(int(ln.get("quantity") or 0))
        except (TypeError, ValueError):
            continue
        restock = ln.get("restock")
        if restock is None:
            restock = ln.get("restock_type") in _RESTOCKING
        if quantity:
            out.append(ChannelRefundLine(str(ln["sku"]), quantity, restock is True))
    return out


def _amount(payload: Mapping[str, Any]) -> int:
    exact = payload.get("amount_minor")
    if isinstance(exact, int) and not isinstance(exact, bool):
        return exact
    return parse_amount(str(payload.get("amount")), str(payload.get("currency")))


def on_channel_refund(db: Database, gateways: Gateways) -> Callable[[Envelope], None]:
    def handle(event: Envelope) -> None:
        p = event.payload
        order_id = str(p.get("order_id") or event.aggregate_id)
        channel = str(p.get("channel") or "")
        refund_id = str(p.get("refund_id"))
        try:
            amount = _amount(p)
            with db.write() as conn:
                order = locked_order(conn, order_id)
                if CHANNEL_PAID_TAG in (order["tags"] or []):
                    cover_channel_refund(conn, order, channel, amount, ACTOR)
                record_channel_refund_in(
                    conn,
                    order_id=order_id,
                    channel_refund_id=refund_id,
                    amount=amount,
                    currency=str(p.get("currency")),
                    lines=refund_lines(p),
                    gateways=gateways,
                    note=str(p["note"])[:500] if p.get("note") else None,
                    actor=ACTOR,
                    clip=True,
                )
        except NotFound:
            raise  # not there (yet): let the relay retry
        except (DomainError, InvalidMoney) as exc:
            code = getattr(exc, "code", "invalid_money")
            log.warning("channel refund %s on %s not recorded: %s", refund_id, order_id, exc)
            with db.write() as conn:
                add_timeline(
                    conn,
                    order_id,
                    [
                        TimelineRow(
                            "channel.refund_not_recorded",
                            f"The {channel} refund {refund_id} could not become a Podium "
                            f"refund: {getattr(exc, 'message', str(exc))}",
                            {"refund_id": refund_id, "code": code},
                        )
                    ],
                    ACTOR,
                )

    return handle
