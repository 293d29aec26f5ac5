"""The order a placement request repeats: found by Idempotency-Key or channel + external id,
and refused (409) when the repeat differs where it must not (split from placement)."""

from __future__ import annotations

from sqlalchemy import Connection

from podium.errors import Conflict
from podium.orders import _store as store
from podium.orders.model import OrderIntake, OrderView, Priced
from podium.orders.redelivery import money_differences
from podium.orders.views import order_views

__all__ = ["existing_order"]


def existing_order(
    conn: Connection,
    intake: OrderIntake,
    priced: Priced,
    key: str | None,
    fingerprint: str,
    refuse_changes: bool,
) -> OrderView | None:
    """The order this intake repeats (same Idempotency-Key, or channel + external id), or
    None; 409 when it repeats it with different lines or money and that must be refused."""
    found = store.find_existing(conn, intake.channel, intake.external_id, key)
    if found is None:
        return None
    row = store.order(conn, found.id)
    if row is None:
        raise RuntimeError(f"order {found.id} not found")
    if found.request_hash != fingerprint and (refuse_changes or found.by_key):
        differs = money_differences(intake, priced, row, store.lines(conn, [found.id]))
        if differs:
            by = "Idempotency-Key" if found.by_key else "channel and external_id"
            raise Conflict(
                f"Order {row['number']} was placed with this {by} and different "
                f"{', '.join(differs)}; send a new external_id (or key) for a new order, or "
                "edit the order.",
                code="idempotency_conflict",
                details={"field": differs[0], "differs": differs, "order_id": row["id"]},
            )
        if found.by_key:
            raise Conflict(
                "This Idempotency-Key was already used for a different request.",
                code="idempotency_key_reused",
                details={"header": "Idempotency-Key"},
            )
    return order_views(conn, [row])[0]
