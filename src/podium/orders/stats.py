"""Figures for the dashboard's home page: today, backlog, holds, orders per hour."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from podium.db.database import Database, as_utc
from podium.db.tables import order_holds, orders
from podium.orders.status import OrderStatus

__all__ = [
    "ChannelOrders",
    "Overview",
    "channel_orders",
    "hour_buckets",
    "last_order_at",
    "overview",
]

_OPEN = (
    OrderStatus.PENDING.value,
    OrderStatus.READY.value,
    OrderStatus.ON_HOLD.value,
    OrderStatus.PARTIALLY_SHIPPED.value,
)


@dataclass(frozen=True, slots=True)
class Overview:
    now: datetime
    orders_today: int
    revenue_today: dict[str, int]  # currency -> minor units, cancelled orders excluded
    backlog: dict[str, int]  # open status -> orders
    holds: dict[str, int]  # open hold reason -> holds
    per_hour: list[tuple[datetime, int]] = field(
        default_factory=list
    )  # last 24 hours, oldest first


def hour_buckets(now: datetime, counts: dict[datetime, int]) -> list[tuple[datetime, int]]:
    """24 hourly buckets ending with the current hour, zero where nothing was counted (pure)."""
    top = now.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    return [(h, counts.get(h, 0)) for h in (top - timedelta(hours=23 - i) for i in range(24))]


def _hour(dialect: str) -> sa.ColumnElement[str]:
    if dialect == "postgresql":
        return sa.func.to_char(sa.func.timezone("UTC", orders.c.placed_at), "YYYY-MM-DD HH24")
    return sa.func.strftime("%Y-%m-%d %H", orders.c.placed_at)


def overview(db: Database, now: datetime | None = None) -> Overview:
    now = (now or datetime.now(UTC)).astimezone(UTC)
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    since = now.replace(minute=0, second=0, microsecond=0) - timedelta(hours=23)
    with db.report() as conn:  # figures: the read replica may serve them
        hour = _hour(conn.dialect.name).label("hour")
        today = conn.execute(
            sa.select(orders.c.currency, sa.func.count(), sa.func.sum(orders.c.total))
            .where(orders.c.placed_at >= midnight)
            .where(orders.c.status != OrderStatus.CANCELLED.value)
            .group_by(orders.c.currency)
        ).all()
        cancelled_today = conn.execute(
            sa.select(sa.func.count())
            .select_from(orders)
            .where(orders.c.placed_at >= midnight)
            .where(orders.c.status == OrderStatus.CANCELLED.value)
        ).scalar_one()
        backlog = conn.execute(
            sa.select(orders.c.status, sa.func.count())
            .where(orders.c.status.in_(_OPEN))
            .group_by(orders.c.status)
        ).all()
        holds = conn.execute(
            sa.select(order_holds.c.reason, sa.func.count())
            .where(order_holds.c.released_at.is_(None))
            .group_by(order_holds.c.reason)
        ).all()
        hourly = conn.execute(
            sa.select(hour, sa.func.count()).where(orders.c.placed_at >= since).group_by(hour)
        ).all()
    counts = {as_utc(datetime.strptime(str(h), "%Y-%m-%d %H")): int(n) for h, n in hourly if h}
    return Overview(
        now=now,
        orders_today=sum(int(n) for _, n, _ in today) + int(cancelled_today),
        revenue_today={str(c): int(t or 0) for c, _, t in sorted(today)},
        backlog={s: 0 for s in _OPEN if s != "pending"} | {str(s): int(n) for s, n in backlog},
        holds={str(r): int(n) for r, n in sorted(holds)},
        per_hour=hour_buckets(now, counts),
    )


@dataclass(frozen=True, slots=True)
class ChannelOrders:
    count: int
    last_at: datetime | None


def channel_orders(db: Database, channels: list[str]) -> dict[str, ChannelOrders]:
    """Each channel's orders and when the newest arrived, read from the orders themselves.

    The one computation behind the channel list, the channel page and the health API: the
    connectors' own counter (``channel_state.orders``) misses orders entered through the API,
    an import or the demo, which made the two pages disagree.
    """
    found: dict[str, ChannelOrders] = {}
    with db.read() as conn:
        for code in channels:  # two probes of ix_orders_channel_id per channel
            count = conn.execute(
                sa.select(sa.func.count()).select_from(orders).where(orders.c.channel == code)
            ).scalar_one()
            at = conn.execute(
                sa.select(orders.c.created_at)
                .where(orders.c.channel == code)
                .order_by(orders.c.id.desc())
                .limit(1)
            ).scalar_one_or_none()
            found[code] = ChannelOrders(int(count), as_utc(at) if at is not None else None)
    return found


def last_order_at(db: Database, channels: list[str]) -> dict[str, datetime]:
    """When each channel's newest order arrived (ids grow with time: one index probe each)."""
    found: dict[str, datetime] = {}
    with db.read() as conn:
        for code in channels:
            at = conn.execute(
                sa.select(orders.c.created_at)
                .where(orders.c.channel == code)
                .order_by(orders.c.id.desc())
                .limit(1)
            ).scalar_one_or_none()
            if at is not None:
                found[code] = as_utc(at)
    return found
