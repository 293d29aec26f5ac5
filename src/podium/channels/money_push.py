"""Telling the platform that took the money of a refund or a cancellation made in Podium.

``refund.issued`` (source ``podium``) of an order a connector captured becomes a refund on the
platform (Shopify ``refundCreate``, WooCommerce ``POST /orders/{id}/refunds``); ``order.cancelled``
becomes a cancellation there (Shopify ``orderCancel``, WooCommerce status ``cancelled``).

Nothing that came from the platform goes back to it: a refund the channel made is recorded in
Podium with ``source: channel`` and is skipped here, and a cancellation channel intake made
(actor ``system:channels``, reason ``cancelled on the channel …``) is skipped too. The Podium
refund is linked to the platform's refund id, so when the platform reports the refund back
(a webhook) Podium recognises its own refund and records nothing twice.

A failure (timeout, 5xx after the caller's own retries) raises: the relay retries with
backoff, and the connectors are idempotent on Podium's refund id (Shopify's idempotency key,
WooCommerce's refund meta), so a retry never refunds twice. A refusal (the platform's 4xx,
or an answer a connector marks ``refused``: more than is left to refund, a gateway that cannot
refund) is put on the order's timeline and the channel's health for a human, and not retried.
Channels may turn either push off: settings ``push_refunds`` / ``push_cancellations``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from podium import orders, returns
from podium.channels import _store as store
from podium.channels.connector import Connector, Connectors, RefundPush
from podium.channels.refund_push import build_refund_push, is_refusal
from podium.channels.registry import typed
from podium.db.database import Database, utcnow
from podium.errors import DomainError
from podium.events import Envelope
from podium.money import format_amount
from podium.orders import TimelineRow, add_timeline

__all__ = [
    "CHANNEL_CANCEL_REASON",
    "already_noted",
    "cancellation_target",
    "channel_made",
    "kept_lines",
    "on_order_cancelled",
    "on_refund_issued",
    "platform_name",
    "push_refund",
    "target",
]

log = logging.getLogger("podium.channels")
ACTOR = "system:channels"
# How channel intake words a cancellation the platform made (channels/intake.py).
CHANNEL_CANCEL_REASON = "cancelled on the channel"
_NAMES = {"shopify": "Shopify", "woocommerce": "WooCommerce", "amazon": "Amazon"}


def platform_name(channel_type: str) -> str:
    return _NAMES.get(channel_type, channel_type)


def target(
    db: Database, connectors: Connectors, order_id: str, method: str, setting: str
) -> tuple[orders.OrderView, str, str, Any, Callable[..., Any]] | None:
    """The order, its channel type and settings and the connector's ``method``, when the
    order was captured by a connector that can do it and the channel has not turned it off."""
    order = orders.get_order(db, order_id)
    if order.external_id is None:
        return None
    with db.read() as conn:
        row = store.channel_row(conn, order.channel)
        known = store.channel_order(conn, order.channel, order.external_id)
    if row is None or known is None:
        return None  # not an order a connector captured
    connector: Connector | None = connectors.for_type(row["type"])
    call = getattr(connector, method, None) if connector is not None else None
    if call is None:
        return None
    settings = typed(row["type"], row["settings"])
    if getattr(settings, setting, True) is False:
        return None
    return order, order.external_id, row["type"], settings, call


def _note(db: Database, order_id: str, kind: str, message: str, data: dict[str, Any]) -> None:
    with db.write() as conn:
        add_timeline(conn, order_id, [TimelineRow(kind, message, data)], ACTOR)


def _refused(
    db: Database, order_id: str, channel: str, kind: str, message: str, exc: DomainError
) -> None:
    """A refusal a human must see: on the order's timeline and the channel's health."""
    log.warning("%s on order %s: %s", kind, order_id, exc.message)
    text = f"{message}: {exc.message}"
    with db.write() as conn:
        add_timeline(
            conn,
            order_id,
            [TimelineRow(kind, text[:2000], {"code": exc.code, "details": exc.details})],
            ACTOR,
        )
        store.bump_state(conn, channel, last_error=text, last_error_at=utcnow())


def already_noted(db: Database, order_id: str, kind: str, key: str, value: str) -> bool:
    """The order's timeline has a ``kind`` entry whose ``key`` is ``value`` (a push done)."""
    return any(
        e.type == kind and e.data.get(key) == value for e in orders.order_timeline(db, order_id)
    )


def kept_lines(db: Database, channel: str, external_id: str) -> tuple[list[Any], dict[str, str]]:
    """The order's lines as the platform sent them (with the platform's line ids), and the
    platform's SKU of each listed Podium SKU (for orders captured before lines were kept)."""
    with db.read() as conn:
        kept = list(store.channel_order_lines_of(conn, channel, external_id))
        listed = {
            r["sku"]: r["remote_sku"] or r["sku"]
            for r in store.listings(conn, channel, limit=1_000_000)
        }
    return kept, listed


def push_refund(
    db: Database,
    order_id: str,
    channel: str,
    channel_type: str,
    settings: Any,
    refund: Callable[..., Any],
    push: RefundPush,
) -> None:
    """Ask the platform for ``push``: its refund id on the timeline (and linked to Podium's
    refund), a refusal on the timeline and health; a failure raises for the relay."""
    name = platform_name(channel_type)
    what = f"{push.currency} {format_amount(push.amount, push.currency)}"
    try:
        platform_id = str(refund(channel, settings, push))
    except DomainError as exc:
        if not is_refusal(exc):
            raise  # the relay retries; the platform call is idempotent on refund_id
        _refused(
            db,
            order_id,
            channel,
            "channel.refund_refused",
            f"{name} refused refund {push.refund_id} ({what})",
            exc,
        )
        return
    if push.refund_id.startswith("rfd_"):
        returns.link_channel_refund(db, push.refund_id, platform_id)
    _note(
        db,
        order_id,
        "channel.refund_pushed",
        f"{name} refund {platform_id} created for refund {push.refund_id} ({what}).",
        {"refund_id": push.refund_id, "platform_refund_id": platform_id, "channel": channel},
    )


def on_refund_issued(db: Database, connectors: Connectors) -> Callable[[Envelope], None]:
    """The relay's subscriber for ``refund.issued``."""

    def handle(event: Envelope) -> None:
        p = event.payload
        if p.get("source") != "podium" or p.get("method") == "store_credit":
            return  # the channel's own refund, or credit that never leaves Podium
        order_id = str(p.get("order_id") or event.aggregate_id)
        refund_id = str(p["refund_id"])
        found = target(db, connectors, order_id, "refund", "push_refunds")
        if found is None:
            return
        order, external_id, channel_type, settings, refund = found
        facts = returns.refund_to_push(db, refund_id)
        if facts is None or facts.channel_refund_id is not None:
            return  # linked already: the platform made (or was told of) this refund
        if already_noted(db, order_id, "channel.refund_pushed", "refund_id", refund_id):
            return
        kept, listed = kept_lines(db, order.channel, external_id)
        push = build_refund_push(facts, external_id, kept, listed)
        push_refund(db, order_id, order.channel, channel_type, settings, refund, push)

    return handle


def channel_made(db: Database, order_id: str, reason: str | None) -> bool:
    """Channel intake cancelled the order because the platform had (never sent back)."""
    if (reason or "").startswith(CHANNEL_CANCEL_REASON):
        return True
    cancelled = [e for e in orders.order_timeline(db, order_id) if e.type == "order.cancelled"]
    return bool(cancelled) and cancelled[-1].actor == ACTOR


def cancellation_target(
    db: Database, connectors: Connectors, event: Envelope, method: str, setting: str
) -> tuple[str | None, tuple[orders.OrderView, str, str, Any, Callable[..., Any]]] | None:
    """A cancellation event's reason and ``target``, unless the channel itself made it (never
    sent back) or there is nothing to tell the platform."""
    p = event.payload
    reason = str(p["reason"]) if p.get("reason") else None
    if channel_made(db, str(event.aggregate_id), reason):
        return None
    found = target(db, connectors, str(event.aggregate_id), method, setting)
    return None if found is None else (reason, found)


def on_order_cancelled(db: Database, connectors: Connectors) -> Callable[[Envelope], None]:
    """The relay's subscriber for ``order.cancelled`` (the whole order)."""

    def handle(event: Envelope) -> None:
        order_id = str(event.aggregate_id)
        aimed = cancellation_target(db, connectors, event, "cancel", "push_cancellations")
        if aimed is None:
            return
        reason, (order, external_id, channel_type, settings, cancel) = aimed
        if already_noted(db, order_id, "channel.cancel_pushed", "external_id", external_id):
            return
        name = platform_name(channel_type)
        try:
            cancel(order.channel, settings, external_id, reason)
        except DomainError as exc:
            if not is_refusal(exc):
                raise
            _refused(
                db,
                order_id,
                order.channel,
                "channel.cancel_push_refused",
                f"{name} refused to cancel order {external_id}",
                exc,
            )
            return
        _note(
            db,
            order_id,
            "channel.cancel_pushed",
            f"{name} order {external_id} cancelled there too.",
            {"external_id": external_id, "channel": order.channel},
        )

    return handle
