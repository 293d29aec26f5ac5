"""Returned units for reports (podium.reports): what came back, when, and why."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection

from podium.returns import _store as store

__all__ = ["ReturnedLine", "returned_lines"]


@dataclass(frozen=True, slots=True)
class ReturnedLine:
    order_id: str
    created_at: datetime
    sku: str
    quantity: int
    reason: str


def returned_lines(conn: Connection, start: datetime, end: datetime) -> list[ReturnedLine]:
    """The lines of returns opened in [start, end) that were not rejected, oldest first."""
    return [
        ReturnedLine(r["order_id"], r["created_at"], r["sku"], int(r["quantity"]), r["reason"])
        for r in store.lines_returned_between(conn, start, end)
    ]
