"""The payment book of a transaction: the transactions of the orders being worked on, read once,
and their new payment statuses, written together.

A relay pass settles the capture policy of every order it heard about. Reading each order's
transactions, then re-reading them after each new one, and updating each order's status on its
own cost half a dozen statements per order; the book makes it one read for the pass and one
UPDATE per resulting status. New transactions go in through ``insert_many``, so inside
``Database.write(batch_inserts=True)`` they reach PostgreSQL with the pass's other rows in one
statement: nothing here reads them back from the database.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection

from podium.orders import set_payment_statuses
from podium.payments import _store as store

__all__ = ["Book"]


class Book:
    """Transactions per order (as stored, then as recorded here) and pending status changes."""

    def __init__(self, conn: Connection, order_ids: Sequence[str]) -> None:
        self._conn = conn
        self._rows: dict[str, list[Mapping[Any, Any]]] = defaultdict(list)
        for row in store.transactions_for(conn, order_ids):
            self._rows[row["order_id"]].append(row)
        self._status: dict[str, str] = {}

    def rows(self, order_id: str) -> list[Mapping[Any, Any]]:
        return list(self._rows[order_id])

    def add(self, row: Mapping[Any, Any]) -> None:
        self._rows[row["order_id"]].append(row)

    def payment_status(self, order: Mapping[Any, Any]) -> str:
        """The order's payment status as this book will leave it."""
        return str(self._status.get(order["id"], order["payment_status"]))

    def set_payment_status(self, order: Mapping[Any, Any], status: str) -> None:
        self._status[order["id"]] = status

    def flush(self) -> None:
        """Write the status changes: one UPDATE per status."""
        changed, self._status = self._status, {}
        set_payment_statuses(self._conn, changed)
