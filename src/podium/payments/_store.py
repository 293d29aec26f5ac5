"""SQL for payment transactions and store credit."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from podium.db.database import insert_many, utcnow
from podium.db.tables import payment_transactions, store_credits
from podium.ids import new_id

__all__ = [
    "credit_balance",
    "credits",
    "insert_credit",
    "insert_transaction",
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
