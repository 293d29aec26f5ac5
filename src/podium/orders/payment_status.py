"""The payment status orders show, as payments works it out (``pending``, ``authorized``,
``paid``…): payments decides it, orders stores it."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import Connection

from podium.orders import _store as store

__all__ = ["set_payment_statuses"]


def set_payment_statuses(conn: Connection, statuses: Mapping[str, str]) -> None:
    """Write these orders' new payment statuses (order id → status) in the caller's
    transaction: one UPDATE per status, however many orders."""
    store.set_payment_statuses(conn, statuses)
