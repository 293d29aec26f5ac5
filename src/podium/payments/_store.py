"""SQL for payment transactions and store credit."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from podium.db.database import insert_many, utcnow
from podium.db.tables import (
    payment_gateway_events,
    payment_gateways,
    payment_transactions,
    store_credits,
)
from podium.ids import new_id

__all__ = [
    "credit_balance",
    "credits",
    "gateway_account",
    "gateway_accounts",
    "gateway_event_seen",
    "insert_credit",
    "insert_transaction",
    "orders_of_reference",
    "put_gateway_account",
    "record_gateway_event",
    "transactions",
    "transactions_for",
]


def insert_transaction(conn: Connection, values: dict[str, Any]) -> dict[str, Any]:
    row = {"id": new_id("pay"), "created_at": utcnow(), "refund_id": None, **values}
    insert_many(conn, payment_transactions, [row])
    return row


def transactions(conn: Connection, order_id: str) -> list[sa.RowMapping]:
    query = (
        sa.select(payment_transactions)
        .where(payment_transactions.c.order_id == order_id)
        .order_by(payment_transactions.c.created_at, payment_transactions.c.id)
    )
    return list(conn.execute(query).mappings())


def transactions_for(conn: Connection, order_ids: Sequence[str]) -> list[sa.RowMapping]:
    """The transactions of many orders, each order's in the order they happened."""
    if not order_ids:
        return []
    query = (
        sa.select(payment_transactions)
        .where(payment_transactions.c.order_id.in_(sorted(set(order_ids))))
        .order_by(
            payment_transactions.c.order_id,
            payment_transactions.c.created_at,
            payment_transactions.c.id,
        )
    )
    return list(conn.execute(query).mappings())


def insert_credit(conn: Connection, values: dict[str, Any]) -> dict[str, Any]:
    row = {"id": new_id("crd"), "created_at": utcnow(), **values}
    insert_many(conn, store_credits, [row])
    return row


def credits(conn: Connection, email: str) -> list[sa.RowMapping]:
    query = (
        sa.select(store_credits)
        .where(store_credits.c.customer_email == email)
        .order_by(store_credits.c.created_at, store_credits.c.id)
    )
    return list(conn.execute(query).mappings())


def credit_balance(conn: Connection, email: str) -> dict[str, int]:
    query = (
        sa.select(store_credits.c.currency, sa.func.sum(store_credits.c.amount))
        .where(store_credits.c.customer_email == email)
        .group_by(store_credits.c.currency)
    )
    return {r[0]: int(r[1]) for r in conn.execute(query)}


def gateway_account(conn: Connection, code: str) -> sa.RowMapping | None:
    query = sa.select(payment_gateways).where(payment_gateways.c.code == code)
    return conn.execute(query).mappings().first()


def gateway_accounts(conn: Connection) -> list[sa.RowMapping]:
    return list(
        conn.execute(sa.select(payment_gateways).order_by(payment_gateways.c.code)).mappings()
    )


def put_gateway_account(conn: Connection, values: dict[str, Any]) -> None:
    now = utcnow()
    if gateway_account(conn, values["code"]) is None:
        conn.execute(payment_gateways.insert().values(**values, created_at=now, updated_at=now))
    else:
        conn.execute(
            payment_gateways.update()
            .where(payment_gateways.c.code == values["code"])
            .values(**values, updated_at=now)
        )


def orders_of_reference(conn: Connection, gateway: str, reference: str) -> list[str]:
    """The orders with a transaction of ``gateway`` carrying ``reference`` (a PaymentIntent)."""
    query = (
        sa.select(payment_transactions.c.order_id)
        .where(
            payment_transactions.c.gateway == gateway,
            payment_transactions.c.reference == reference,
        )
        .distinct()
    )
    return [r[0] for r in conn.execute(query)]


def gateway_event_seen(conn: Connection, gateway: str, event_id: str) -> bool:
    found = conn.execute(
        sa.select(payment_gateway_events.c.event_id).where(
            payment_gateway_events.c.gateway == gateway,
            payment_gateway_events.c.event_id == event_id,
        )
    ).first()
    return found is not None


def record_gateway_event(
    conn: Connection, gateway: str, event_id: str, type_: str, order_id: str | None, outcome: str
) -> bool:
    """Remember a webhook event; False when it was already recorded (apply it once)."""
    found = conn.execute(
        sa.select(payment_gateway_events.c.event_id).where(
            payment_gateway_events.c.gateway == gateway,
            payment_gateway_events.c.event_id == event_id,
        )
    ).first()
    if found is not None:
        return False
    conn.execute(
        payment_gateway_events.insert().values(
            gateway=gateway,
            event_id=event_id,
            type=type_,
            order_id=order_id,
            outcome=outcome,
            received_at=utcnow(),
        )
    )
    return True
