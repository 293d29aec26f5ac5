"""Use cases: receive a webhook, map listings, change settings, poll, report health."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy.exc import IntegrityError

from podium import catalog, events
from podium.channels import _store as store
from podium.channels.connector import Connector, Connectors, Unsupported
from podium.channels.events import ListingChanged
from podium.channels.intake import Applied, apply_cancellation, apply_order, apply_refund
from podium.channels.model import ChannelCancellation, ChannelOrder, ChannelRefund
from podium.channels.registry import masked, typed, validate_settings
from podium.channels.settings import IdString
from podium.db.database import Database, as_utc, utcnow
from podium.errors import DomainError, NotFound
from podium.orders import Allocator, rename_line_sku
from podium.paging import Page, decode_cursor
from podium.validation import Input

__all__ = [
    "ListingIn",
    "ListingView",
    "WebhookResult",
    "channel_or_404",
    "connector_for",
    "delete_listing",
    "get_listing",
    "learn_listings",
    "list_listings",
    "poll",
    "put_listing",
    "receive_webhook",
    "update_settings",
]

log = logging.getLogger("podium.channels")
ACTOR = "system:channels"


class ListingIn(Input):
    remote_id: IdString = Field(min_length=1, max_length=200)
    remote_location_id: IdString | None = Field(default=None, min_length=1, max_length=200)
    remote_sku: IdString | None = Field(default=None, min_length=1, max_length=200)


class ListingView(BaseModel):
    channel: str
    sku: str
    remote_id: str
    remote_location_id: str | None
    remote_sku: str | None
    pushed_available: int | None
    pushed_at: datetime | None


class WebhookResult(BaseModel):
    # created | updated | stale | unchanged | recorded | ignored | duplicate | ping, or
    # unmatched: a cancellation of an order Podium has not captured (kept, applied on capture)
    status: str
    topic: str
    delivery_id: str | None = None
    order_id: str | None = None


def channel_or_404(conn: Any, code: str) -> Any:
    row = store.channel_row(conn, code)
    if row is None:
        raise NotFound(f"No channel {code}.", code="channel_not_found")
    return row


def connector_for(connectors: Connectors, row: Mapping[Any, Any]) -> Connector:
    found = connectors.for_type(row["type"])
    if found is None:
        raise Unsupported(
            f"Channel {row['code']} is of type {row['type']}, which has no connector.",
            details={"type": row["type"]},
        )
    return found


def receive_webhook(
    db: Database,
    connectors: Connectors,
    allocator: Allocator,
    code: str,
    headers: Mapping[str, str],
    body: bytes,
) -> WebhookResult:
    """Verify, store durably (deduped on the delivery id), then apply. Nothing is stored
    when the signature is wrong."""
    with db.read() as conn:
        row = channel_or_404(conn, code)
    connector = connector_for(connectors, row)
    settings = typed(row["type"], row["settings"])
    delivery = connector.verify(settings, headers, body)
    if delivery.topic == "ping":
        return WebhookResult(status="ping", topic="ping", delivery_id=delivery.delivery_id)
    try:
        with db.write() as conn:
            seen = store.delivery(conn, code, delivery.delivery_id)
            # A delivery stored but never finished ("received") was cut off between storing
            # and applying (a crash, a kill -9): the platform's retry applies it, as the
            # first attempt was never acknowledged. Applying is idempotent on the external id.
            if seen is not None and seen["status"] != "received":
                return WebhookResult(
                    status="duplicate",
                    topic=delivery.topic,
                    delivery_id=delivery.delivery_id,
                    order_id=seen["order_id"],
                )
            pk = (
                int(seen["id"])
                if seen is not None
                else store.insert_delivery(
                    conn,
                    code,
                    delivery.delivery_id,
                    delivery.topic,
                    body.decode("utf-8", "replace"),
                )
            )
    except IntegrityError:  # the same delivery, concurrently
        return WebhookResult(
            status="duplicate", topic=delivery.topic, delivery_id=delivery.delivery_id
        )
    try:
        parsed = connector.parse(delivery.topic, body)
        applied = _apply(db, allocator, code, parsed)
        if isinstance(parsed, ChannelOrder) and applied.status == "created":
            _apply_early_cancellations(db, connector, code, parsed.external_id)
    except DomainError as exc:
        with db.write() as conn:
            store.finish_delivery(conn, pk, "failed", error=f"{exc.code}: {exc.message}")
        raise
    except Exception as exc:  # a bug: keep the delivery visible as failed, then let it surface
        with db.write() as conn:
            store.finish_delivery(conn, pk, "failed", error=f"{type(exc).__name__}: {exc}")
        raise
    with db.write() as conn:
        store.finish_delivery(conn, pk, applied.status, order_id=applied.order_id)
    return WebhookResult(
        status=applied.status,
        topic=delivery.topic,
        delivery_id=delivery.delivery_id,
        order_id=applied.order_id,
    )


def _apply(
    db: Database,
    allocator: Allocator,
    code: str,
    parsed: ChannelOrder | ChannelRefund | ChannelCancellation | None,
) -> Applied:
    if isinstance(parsed, ChannelOrder):
        return apply_order(db, allocator, code, parsed, ACTOR)
    if isinstance(parsed, ChannelRefund):
        return apply_refund(db, code, parsed, ACTOR)
    if isinstance(parsed, ChannelCancellation):
        return apply_cancellation(db, code, parsed, ACTOR)
    return Applied("ignored", None)


def _apply_early_cancellations(
    db: Database, connector: Connector, code: str, external_id: str
) -> None:
    """Webhooks may arrive out of order: a cancellation (trash) received before its order
    was captured is applied as soon as the order is."""
    with db.read() as conn:
        waiting = store.deliveries(conn, code, status="unmatched", limit=1000)
    for row in waiting:
        try:
            parsed = connector.parse(row["topic"], row["body"].encode())
        except DomainError:
            continue
        if isinstance(parsed, ChannelCancellation) and parsed.external_id == external_id:
            applied = apply_cancellation(db, code, parsed, ACTOR)
            with db.write() as conn:
                store.finish_delivery(conn, row["id"], applied.status, order_id=applied.order_id)


def _listing_view(row: Mapping[Any, Any]) -> ListingView:
    return ListingView(
        channel=row["channel"],
        sku=row["sku"],
        remote_id=row["remote_id"],
        remote_location_id=row["remote_location_id"],
        remote_sku=row["remote_sku"],
        pushed_available=row["pushed_available"],
        pushed_at=as_utc(row["pushed_at"]) if row["pushed_at"] else None,
    )


def put_listing(db: Database, code: str, sku: str, data: ListingIn) -> tuple[ListingView, bool]:
    """Map a SKU to the platform's ids; open orders naming the platform's SKU follow."""
    with db.write() as conn:
        channel_or_404(conn, code)
        if catalog.product(conn, sku) is None:
            raise NotFound(f"No product {sku}.", code="product_not_found", details={"sku": sku})
        created = store.listing(conn, code, sku) is None
        store.upsert_listing(conn, code, sku, data.model_dump())
        for remote in {data.remote_sku, data.remote_id} - {None, sku}:
            if remote is None:  # removed by the set difference; narrows the type
                continue
            rename_line_sku(conn, code, remote, sku)
            store.rename_kept_line_sku(conn, code, remote, sku)
        # The sync subscriber hears of it and tells the platform the count at once.
        events.emit(
            conn,
            [ListingChanged(sku=sku, channel=code)],
        )
        row = store.listing(conn, code, sku)
    if row is None:
        raise RuntimeError(f"listing {sku} on channel {code} not found after it was saved")
    return _listing_view(row), created


def delete_listing(db: Database, code: str, sku: str) -> None:
    """Stop telling the platform about this SKU (its count there is left as it is)."""
    with db.write() as conn:
        channel_or_404(conn, code)
        if not store.delete_listing(conn, code, sku):
            raise NotFound(f"{sku} is not listed on {code}.", code="listing_not_found")


def learn_listings(db: Database, connectors: Connectors, code: str) -> dict[str, int]:
    """Ask the platform what it sells and list every SKU Podium knows and has not listed yet
    (matching on the SKU). Existing listings are never changed."""
    with db.read() as conn:
        row = channel_or_404(conn, code)
    connector = connector_for(connectors, row)
    found = connector.discover(code, typed(row["type"], row["settings"]))
    with db.read() as conn:
        products = catalog.products_by_sku(conn, [sku for sku, _ in found])
        listed = {r["sku"] for r in store.listings(conn, code, limit=1_000_000)}
    learned = 0
    for sku, remote_id in found:
        if sku in products and sku not in listed:
            put_listing(db, code, sku, ListingIn(remote_id=remote_id))
            listed.add(sku)
            learned += 1
    unknown = len({sku for sku, _ in found if sku not in products})
    return {"found": len(found), "learned": learned, "unknown": unknown}


def get_listing(db: Database, code: str, sku: str) -> ListingView:
    with db.read() as conn:
        channel_or_404(conn, code)
        row = store.listing(conn, code, sku)
    if row is None:
        raise NotFound(f"{sku} is not listed on {code}.", code="listing_not_found")
    return _listing_view(row)


def list_listings(
    db: Database, code: str, *, cursor: str | None = None, limit: int = 100
) -> Page[ListingView]:
    position = decode_cursor(cursor, (str,)) if cursor is not None else None
    with db.read() as conn:
        channel_or_404(conn, code)
        page = store.listings_page(conn, code, position=position, limit=limit)
    return page.map([_listing_view(r) for r in page.items])


def update_settings(db: Database, code: str, changes: dict[str, Any]) -> dict[str, Any]:
    """Merge ``changes`` into the settings (``null`` removes a key), validate, store. New
    availability rules are pushed to the platform at once."""
    with db.write() as conn:
        row = channel_or_404(conn, code)
        merged = {**row["settings"], **changes}
        merged = {k: v for k, v in merged.items() if v is not None}
        stored = validate_settings(row["type"], merged, previous=row["settings"])
        store.set_settings(conn, code, stored)
        if stored.get("availability") != row["settings"].get("availability"):
            events.emit(
                conn,
                [
                    ListingChanged(sku=r["sku"], channel=code)
                    for r in store.listings(conn, code, limit=1_000_000)
                ],
            )
    catalog.forget(db.engine)
    return masked(row["type"], stored)


def poll(db: Database, connectors: Connectors, allocator: Allocator, code: str) -> dict[str, int]:
    """Fetch orders changed since the stored cursor; the cursor moves only after every
    order of a page is applied (a crash re-reads the page; intake is idempotent)."""
    with db.read() as conn:
        row = channel_or_404(conn, code)
        st = store.state(conn, code)
    connector = connector_for(connectors, row)
    settings = typed(row["type"], row["settings"])
    cursor = st["poll_cursor"] if st else None
    counts = {"orders": 0, "created": 0, "updated": 0}
    try:
        orders, next_cursor = connector.fetch(code, settings, cursor)
    except DomainError as exc:
        if isinstance(exc, Unsupported):
            raise
        with db.write() as conn:
            store.bump_state(conn, code, last_error=exc.message, last_error_at=utcnow())
        raise
    for order in orders:
        applied = apply_order(db, allocator, code, order, ACTOR)
        counts["orders"] += 1
        if applied.status in counts:
            counts[applied.status] += 1
    with db.write() as conn:
        store.bump_state(conn, code, poll_cursor=next_cursor or cursor, last_poll_at=utcnow())
    return counts
