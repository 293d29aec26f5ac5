"""Channel orders are facts: captured whatever the stock, updated without going back in time,
cancelled when the platform cancels them, refunds recorded on the timeline."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from podium import catalog, orders
from podium.channels import _store as store
from podium.channels.events import ChannelRefundReceived
from podium.channels.intake_body import intake_for, kept_lines, locations_of
from podium.channels.model import ChannelCancellation, ChannelOrder, ChannelRefund
from podium.db.database import Database, as_utc
from podium.errors import DomainError, NotFound, ValidationFailed
from podium.money import CURRENCY_EXPONENTS, format_amount
from podium.orders import Allocator, HoldIn, TimelineRow, add_timeline, place_order
from podium.payments import CHANNEL_PAID_TAG, record_channel_payments

__all__ = ["Applied", "apply_cancellation", "apply_order", "apply_refund", "intake_for"]

log = logging.getLogger("podium.channels")


@dataclass(frozen=True, slots=True)
class Applied:
    status: str  # created | updated | stale | unchanged | recorded | unmatched | ignored
    order_id: str | None


def apply_order(
    db: Database, allocator: Allocator, channel: str, order: ChannelOrder, actor: str
) -> Applied:
    with db.read() as conn:
        known = store.channel_order(conn, channel, order.external_id)
        remotes = [ln.sku for ln in order.lines] + [ln.remote_id or "" for ln in order.lines]
        products = catalog.products_by_sku(conn, remotes)
        mapped = {r: r for r in products} | store.sku_for_remote(conn, channel, remotes)
        row = store.channel_row(conn, channel)
    locations = locations_of(row["settings"] if row is not None else {})
    if known is None:
        if order.only_if_known:
            return Applied("ignored", None)
        return _capture(db, allocator, channel, order, mapped, locations, actor)
    seen = known["remote_updated_at"]
    if seen is not None and order.updated_at is not None and order.updated_at <= as_utc(seen):
        return Applied("stale", known["order_id"])  # an older update arriving late
    order_id = known["order_id"]
    with db.write() as conn:
        _record_payments(conn, channel, order, order_id, actor)
    _record_refunds(db, channel, order, order_id, actor)
    if order.cancelled:
        _cancel(db, order_id, actor, order.status)
    reopened = (
        not order.cancelled
        and known["remote_status"] != order.status
        and orders.get_order(db, order_id).status == "cancelled"
    )
    with db.write() as conn:
        store.upsert_channel_order(
            conn, channel, order.external_id, order_id, order.status, order.updated_at
        )
        store.replace_channel_order_lines(
            conn, channel, order.external_id, kept_lines(order, mapped)
        )
        if reopened:  # e.g. restored from WooCommerce's trash: Podium cannot un-cancel
            log.warning("%s reopened order %s that Podium cancelled", channel, order_id)
            add_timeline(
                conn,
                order_id,
                [
                    TimelineRow(
                        "channel.reopened",
                        f"{channel} says the order is {order.status} again, but Podium "
                        f"cancelled it: a human must enter it again or cancel it on {channel}.",
                        {"from": known["remote_status"], "to": order.status},
                    )
                ],
                actor,
            )
        if known["remote_status"] != order.status:
            add_timeline(
                conn,
                order_id,
                [
                    TimelineRow(
                        "channel.status_changed",
                        f"{channel} says the order is {order.status}.",
                        {"from": known["remote_status"], "to": order.status},
                    )
                ],
                actor,
            )
    return Applied("updated", order_id)


def _capture(
    db: Database,
    allocator: Allocator,
    channel: str,
    order: ChannelOrder,
    mapped: dict[str, str],
    locations: Mapping[str, str],
    actor: str,
) -> Applied:
    intake = intake_for(channel, order, mapped, locations)
    placed = place_order(db, intake, allocator=allocator, actor=actor, hold_unknown_skus=True)
    order_id = placed.order.id
    with db.write() as conn:
        _record_payments(conn, channel, order, order_id, actor)  # before a refund can find it
        store.upsert_channel_order(
            conn, channel, order.external_id, order_id, order.status, order.updated_at
        )
        store.replace_channel_order_lines(
            conn, channel, order.external_id, kept_lines(order, mapped)
        )
        if order.notes:
            add_timeline(
                conn,
                order_id,
                [TimelineRow("channel.note", n, {"channel": channel}) for n in order.notes],
                actor,
            )
    if order.review and placed.created:
        hold = HoldIn.model_validate({"reason": order.review_reason, "note": order.review[:1000]})
        orders.hold_order(db, order_id, hold, actor)
    _record_refunds(db, channel, order, order_id, actor)
    if order.cancelled:
        _cancel(db, order_id, actor, order.status)
    return Applied("created" if placed.created else "unchanged", order_id)


def _record_payments(
    conn: Connection, channel: str, order: ChannelOrder, order_id: str, actor: str
) -> None:
    """The channel's payment facts on an order whose money the channel handles."""
    row = orders.locked_order(conn, order_id)
    if CHANNEL_PAID_TAG in (row["tags"] or []):
        record_channel_payments(conn, row, channel, order.payments, actor)


def _record_refunds(
    db: Database, channel: str, order: ChannelOrder, order_id: str, actor: str
) -> None:
    """Refunds listed on the order (WooCommerce) that the timeline does not have yet."""
    if not order.refunds:
        return
    seen = {
        str(e.data.get("refund_id"))
        for e in orders.order_timeline(db, order_id)
        if e.type == "channel.refund_received"
    }
    for refund in order.refunds:
        if refund.refund_id not in seen:
            apply_refund(db, channel, refund, actor)


def _cancel(db: Database, order_id: str, actor: str, status: str) -> None:
    """The platform cancelled (or trashed) the order: cancel what has not shipped. Units that
    already left are a fact Podium cannot undo: the order is flagged on its timeline for a
    human (a return or a refund to decide), never silently kept or dropped."""
    current = orders.get_order(db, order_id)
    if current.status == "cancelled":
        return
    shipped = {ln.sku: ln.quantity_shipped for ln in current.lines if ln.quantity_shipped}
    try:
        orders.cancel_order(db, order_id, actor, f"cancelled on the channel ({status})")
    except DomainError as exc:  # e.g. already shipped: a fact for a human, not an error
        log.warning("channel cancelled order %s but Podium cannot: %s", order_id, exc.message)
        message = (
            f"The channel says the order is {status}, but every unit has shipped: "
            "a human must decide on a return or refund."
            if shipped
            else exc.message
        )
        with db.write() as conn:
            add_timeline(
                conn,
                order_id,
                [
                    TimelineRow(
                        "channel.cancel_refused",
                        message,
                        {"code": exc.code, "status": status, "shipped": shipped},
                    )
                ],
                actor,
            )
        return
    if shipped:
        units = ", ".join(f"{q} × {sku}" for sku, q in sorted(shipped.items()))
        with db.write() as conn:
            add_timeline(
                conn,
                order_id,
                [
                    TimelineRow(
                        "channel.cancelled_after_shipment",
                        f"The channel says the order is {status} after {units} shipped: the "
                        "rest is cancelled; a human must decide on a return or refund.",
                        {"status": status, "shipped": shipped},
                    )
                ],
                actor,
            )


def apply_cancellation(
    db: Database, channel: str, cancellation: ChannelCancellation, actor: str
) -> Applied:
    """The platform withdrew an order and sent only its id (WooCommerce's trash): applied like
    a cancelled status. An order Podium has not captured is ``unmatched`` (the delivery is
    kept, so that the order is cancelled if it arrives later)."""
    with db.read() as conn:
        known = store.channel_order(conn, channel, cancellation.external_id)
    if known is None:
        return Applied("unmatched", None)
    order_id = known["order_id"]
    _cancel(db, order_id, actor, cancellation.status)
    with db.write() as conn:
        # The platform's clock stays where it was: no date came with the id.
        store.upsert_channel_order(
            conn,
            channel,
            cancellation.external_id,
            order_id,
            cancellation.status,
            as_utc(known["remote_updated_at"]) if known["remote_updated_at"] else None,
        )
        if known["remote_status"] != cancellation.status:
            add_timeline(
                conn,
                order_id,
                [
                    TimelineRow(
                        "channel.status_changed",
                        f"{channel} says the order is {cancellation.status}.",
                        {"from": known["remote_status"], "to": cancellation.status},
                    )
                ],
                actor,
            )
    return Applied("updated", order_id)


def apply_refund(db: Database, channel: str, refund: ChannelRefund, actor: str) -> Applied:
    if refund.currency.upper() not in CURRENCY_EXPONENTS:
        raise ValidationFailed(
            f"The {channel} refund names an unknown currency {refund.currency[:10]!r}.",
            code="invalid_payload",
            details={"field": "currency"},
        )
    with db.write() as conn:
        known = store.channel_order(conn, channel, refund.external_id)
        if known is None:
            raise NotFound(
                f"No order {refund.external_id} from {channel} to refund.",
                code="order_not_found",
                details={"field": "order_id"},
            )
        order = orders.locked_order(conn, known["order_id"])
        amount = format_amount(refund.amount, refund.currency)
        refund_lines = _refund_lines(conn, channel, refund)
        orders.record(
            conn,
            order,
            actor,
            "channel.refund_received",
            f"{channel} refunded {refund.currency} {amount}"
            + (f": {refund.note}" if refund.note else "."),
            {
                "refund_id": refund.refund_id,
                "amount": amount,
                "currency": refund.currency,
                "lines": refund.lines,
            },
            event=ChannelRefundReceived(
                id=order["id"],
                number=order["number"],
                channel=channel,
                external_id=refund.external_id,
                refund_id=refund.refund_id,
                amount=amount,
                currency=refund.currency,
                lines=refund.lines,
                note=refund.note,
                # Added for the refund subscriber: exact facts in Podium's terms.
                order_id=known["order_id"],
                amount_minor=refund.amount,
                refund_lines=refund_lines,
            ),
        )
    return Applied("recorded", known["order_id"])


def _refund_lines(conn: Connection, channel: str, refund: ChannelRefund) -> list[dict[str, Any]]:
    """The refunded units under Podium SKUs (mapped as the order's lines were), with whether
    the channel put them back in stock. Lines naming nothing Podium knows are left out."""
    raw = [ln for ln in refund.lines if isinstance(ln, dict)]
    remotes = [str(ln.get("sku") or "") for ln in raw] + [
        str(ln.get("remote_id") or "") for ln in raw
    ]
    products = catalog.products_by_sku(conn, [r for r in remotes if r])
    mapped = {r: r for r in products} | store.sku_for_remote(conn, channel, remotes)
    out = []
    for ln in raw:
        sku = mapped.get(str(ln.get("sku") or "")) or mapped.get(str(ln.get("remote_id") or ""))
        sku = sku or (str(ln["sku"]).strip() if ln.get("sku") else None)
        try:
            quantity = abs(int(ln.get("quantity") or 0))
        except (TypeError, ValueError):
            quantity = 0
        if sku and quantity:
            out.append({"sku": sku, "quantity": quantity, "restock": ln.get("restock") is True})
    return out
