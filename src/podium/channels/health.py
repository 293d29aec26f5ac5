"""Channel health: last order, last push, lag and errors, for the API and the CLI."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from podium.channels import store
from podium.channels.service import channel_or_404
from podium.channels.sync import lag
from podium.db.database import Database, as_utc, utcnow

__all__ = ["Health", "health"]


class Health(BaseModel):
    channel: str
    type: str
    active: bool
    listings: int
    last_order_at: datetime | None
    last_push_at: datetime | None
    last_poll_at: datetime | None
    orders: int
    pushes: int
    push_errors: int
    last_error: str | None
    last_error_at: datetime | None
    lag_seconds: float | None  # age of the oldest stock change not yet pushed
    pending_pushes: int
    failed_deliveries: int


def health(db: Database, code: str) -> Health:
    with db.read() as conn:
        row = channel_or_404(conn, code)
        st = store.state(conn, code)
        listed = len(store.listings(conn, code, limit=1_000_000))
        failed = len(store.deliveries(conn, code, status="failed", limit=10_000))
        pending, oldest = lag(conn, code)
    now = utcnow()

    def at(key: str) -> datetime | None:
        return as_utc(st[key]) if st is not None and st[key] is not None else None

    return Health(
        channel=code,
        type=row["type"],
        active=row["active"],
        listings=listed,
        last_order_at=at("last_order_at"),
        last_push_at=at("last_push_at"),
        last_poll_at=at("last_poll_at"),
        orders=st["orders"] if st else 0,
        pushes=st["pushes"] if st else 0,
        push_errors=st["push_errors"] if st else 0,
        last_error=st["last_error"] if st else None,
        last_error_at=at("last_error_at"),
        lag_seconds=(now - oldest).total_seconds() if oldest else 0.0,
        pending_pushes=pending,
        failed_deliveries=failed,
    )
