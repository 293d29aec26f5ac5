"""SQL for the channels capability: settings, listings, deliveries, channel orders, health."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from podium.db.database import utcnow
from podium.db.tables import (
    channel_deliveries,
    channel_listings,
    channel_order_lines,
    channel_orders,
    channel_state,
    channels,
)
from podium.paging import Keyset, Page, Position, keyset_page

__all__ = [
    "bump_state",
    "channel_order",
    "channel_order_lines_of",
    "channel_row",
    "delete_listing",
    "delivery",
    "finish_delivery",
    "insert_delivery",
    "listing",
    "listings",
    "listings_for_skus",
    "marked_listings",
    "pushable_channels",
    "record_push",
    "rename_kept_line_sku",
    "replace_channel_order_lines",
    "set_settings",
    "sku_for_remote",
    "state",
    "upsert_channel_order",
    "upsert_listing",
]

_l = channel_listings.c


def channel_row(conn: Connection, code: str) -> sa.RowMapping | None:
    return conn.execute(sa.select(channels).where(channels.c.code == code)).mappings().first()


def pushable_channels(conn: Connection) -> list[tuple[str, str]]:
    """(code, type) of every active channel."""
    query = sa.select(channels.c.code, channels.c.type).where(channels.c.active.is_(True))
    return [(str(c), str(t)) for c, t in conn.execute(query.order_by(channels.c.code))]


def marked_listings(conn: Connection) -> dict[str, tuple[int, datetime]]:
    """Per active channel: how many listings wait for a push, and since when the oldest."""
    query = (
        sa.select(_l.channel, sa.func.count(), sa.func.min(_l.wanted_at))
        .join(channels, channels.c.code == _l.channel)
        .where(_l.wanted_at.is_not(None), channels.c.active.is_(True))
        .group_by(_l.channel)
    )
    return {str(c): (int(n), at) for c, n, at in conn.execute(query)}


def set_settings(conn: Connection, code: str, settings: dict[str, Any]) -> None:
    conn.execute(
        channels.update()
        .where(channels.c.code == code)
        .values(settings=settings, updated_at=utcnow())
    )


# --- listings ------------------------------------------------------------------------------


def listing(conn: Connection, channel: str, sku: str) -> sa.RowMapping | None:
    query = sa.select(channel_listings).where(_l.channel == channel, _l.sku == sku)
    return conn.execute(query).mappings().first()


def upsert_listing(conn: Connection, channel: str, sku: str, values: dict[str, Any]) -> None:
    now = utcnow()
    found = listing(conn, channel, sku)
    if found is None:
        conn.execute(
            channel_listings.insert().values(
                channel=channel,
                sku=sku,
                pushed_seq=0,
                created_at=now,
                updated_at=now,
                **values,
            )
        )
    else:
        # New remote ids: forget what the old ones were told.
        conn.execute(
            channel_listings.update()
            .where(_l.channel == channel, _l.sku == sku)
            .values(**values, pushed_available=None, updated_at=now)
        )


def delete_listing(conn: Connection, channel: str, sku: str) -> bool:
    query = channel_listings.delete().where(_l.channel == channel, _l.sku == sku)
    return bool(conn.execute(query).rowcount)


def listings(
    conn: Connection, channel: str, *, after: str | None = None, limit: int = 1000
) -> list[sa.RowMapping]:
    query = sa.select(channel_listings).where(_l.channel == channel).order_by(_l.sku).limit(limit)
    if after is not None:
        query = query.where(_l.sku > after)
    return list(conn.execute(query).mappings())


def listings_page(
    conn: Connection, channel: str, *, position: Position | None, limit: int
) -> Page[sa.RowMapping]:
    """A channel's listings by SKU, keyset-paged both ways."""
    query = sa.select(channel_listings).where(_l.channel == channel)
    by_sku = Keyset((_l.sku,), descending=False)
    return keyset_page(conn, query, by_sku, position, limit, lambda r: (r["sku"],))


def listings_for_skus(conn: Connection, skus: Iterable[str]) -> list[sa.RowMapping]:
    wanted = sorted(set(skus))
    if not wanted:
        return []
    query = (
        sa.select(channel_listings, channels.c.type, channels.c.settings)
        .join(channels, channels.c.code == _l.channel)
        .where(_l.sku.in_(wanted), channels.c.active.is_(True))
        .order_by(_l.channel, _l.sku)
    )
    return list(conn.execute(query).mappings())


def sku_for_remote(conn: Connection, channel: str, remotes: Iterable[str]) -> dict[str, str]:
    """Podium SKUs of the platform's SKUs / variant ids, where a listing maps them."""
    wanted = sorted({r for r in remotes if r})
    if not wanted:
        return {}
    query = sa.select(_l.remote_sku, _l.remote_id, _l.sku).where(
        _l.channel == channel, sa.or_(_l.remote_sku.in_(wanted), _l.remote_id.in_(wanted))
    )
    found: dict[str, str] = {}
    for remote_sku, remote_id, sku in conn.execute(query):
        for key in (remote_id, remote_sku):
            if key in wanted:
                found[key] = sku
    return found


def record_push(conn: Connection, channel: str, sku: str, quantity: int, seq: int) -> bool:
    """Remember what the platform was told, unless a newer stock version was told already."""
    result = conn.execute(
        channel_listings.update()
        .where(_l.channel == channel, _l.sku == sku, _l.pushed_seq <= seq)
        .values(pushed_available=quantity, pushed_seq=seq, pushed_at=utcnow())
    )
    return bool(result.rowcount)


# --- webhook deliveries ----------------------------------------------------------------------

_d = channel_deliveries.c


def delivery(conn: Connection, channel: str, delivery_id: str) -> sa.RowMapping | None:
    query = sa.select(channel_deliveries).where(
        _d.channel == channel, _d.delivery_id == delivery_id
    )
    return conn.execute(query).mappings().first()


def insert_delivery(conn: Connection, channel: str, delivery_id: str, topic: str, body: str) -> int:
    result = conn.execute(
        channel_deliveries.insert()
        .values(
            channel=channel,
            delivery_id=delivery_id,
            topic=topic,
            body=body,
            received_at=utcnow(),
            status="received",
        )
        .returning(_d.id)
    )
    return int(result.scalar_one())


def finish_delivery(
    conn: Connection,
    delivery_pk: int,
    status: str,
    *,
    error: str | None = None,
    order_id: str | None = None,
) -> None:
    conn.execute(
        channel_deliveries.update()
        .where(_d.id == delivery_pk)
        .values(
            status=status,
            error=error[:2000] if error else None,
            order_id=order_id,
            processed_at=utcnow(),
        )
    )


def deliveries(
    conn: Connection, channel: str, *, status: str | None = None, limit: int = 50
) -> list[sa.RowMapping]:
    query = sa.select(channel_deliveries).where(_d.channel == channel)
    if status is not None:
        query = query.where(_d.status == status)
    return list(conn.execute(query.order_by(_d.id.desc()).limit(limit)).mappings())


# --- channel orders ---------------------------------------------------------------------------

_o = channel_orders.c


def channel_order(conn: Connection, channel: str, external_id: str) -> sa.RowMapping | None:
    query = sa.select(channel_orders).where(_o.channel == channel, _o.external_id == external_id)
    return conn.execute(query).mappings().first()


def upsert_channel_order(
    conn: Connection,
    channel: str,
    external_id: str,
    order_id: str,
    remote_status: str | None,
    remote_updated_at: datetime | None,
) -> None:
    values = {
        "order_id": order_id,
        "remote_status": remote_status,
        "remote_updated_at": remote_updated_at,
        "updated_at": utcnow(),
    }
    if channel_order(conn, channel, external_id) is None:
        try:
            with conn.begin_nested():
                conn.execute(
                    channel_orders.insert().values(
                        channel=channel, external_id=external_id, **values
                    )
                )
            return
        except sa.exc.IntegrityError:
            pass  # the same order, recorded concurrently: update it instead
    query = channel_orders.update().where(_o.channel == channel, _o.external_id == external_id)
    if remote_updated_at is not None:  # the platform's clock only moves forward here
        query = query.where(
            sa.or_(_o.remote_updated_at.is_(None), _o.remote_updated_at <= remote_updated_at)
        )
    conn.execute(query.values(**values))


# --- health -------------------------------------------------------------------------------------

_s = channel_state.c


def state(conn: Connection, channel: str) -> sa.RowMapping | None:
    return conn.execute(sa.select(channel_state).where(_s.channel == channel)).mappings().first()


def bump_state(conn: Connection, channel: str, **changes: Any) -> None:
    """Set fields; ``orders``/``pushes``/``push_errors``/``throttled`` given as numbers are
    added."""
    if state(conn, channel) is None:
        try:
            with conn.begin_nested():
                conn.execute(
                    channel_state.insert().values(
                        channel=channel, orders=0, pushes=0, push_errors=0, throttled=0
                    )
                )
        except sa.exc.IntegrityError:
            pass  # created concurrently
    values: dict[str, Any] = {}
    for key, value in changes.items():
        if key in ("orders", "pushes", "push_errors", "throttled"):
            values[key] = getattr(_s, key) + value
        elif key == "last_error" and isinstance(value, str):
            values[key] = value[:2000]
        else:
            values[key] = value
    conn.execute(channel_state.update().where(_s.channel == channel).values(**values))


_ol = channel_order_lines.c


def replace_channel_order_lines(
    conn: Connection, channel: str, external_id: str, lines: list[dict[str, Any]]
) -> None:
    """The order's lines as the platform last sent them (``position``, ``line_id``, ``sku``,
    ``platform_sku``, ``remote_id``, ``quantity``)."""
    where = (_ol.channel == channel) & (_ol.external_id == external_id)
    conn.execute(channel_order_lines.delete().where(where))
    if lines:
        conn.execute(
            channel_order_lines.insert(),
            [{"channel": channel, "external_id": external_id, **ln} for ln in lines],
        )


def rename_kept_line_sku(conn: Connection, channel: str, from_sku: str, to_sku: str) -> None:
    """Captured lines held under ``from_sku`` (a platform SKU, or ``variant:<id>`` for a line
    without one) now map to Podium's ``to_sku``: a shipment of it names their line ids."""
    conn.execute(
        channel_order_lines.update()
        .where(_ol.channel == channel, _ol.sku == from_sku)
        .values(sku=to_sku)
    )


def channel_order_lines_of(conn: Connection, channel: str, external_id: str) -> list[sa.RowMapping]:
    query = (
        sa.select(channel_order_lines)
        .where(_ol.channel == channel, _ol.external_id == external_id)
        .order_by(_ol.position)
    )
    return list(conn.execute(query).mappings())
