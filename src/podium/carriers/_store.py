"""SQL for carrier accounts and bought labels."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from podium.db.database import utcnow
from podium.db.tables import carrier_accounts, labels

__all__ = [
    "account",
    "accounts",
    "current_label",
    "insert_account",
    "insert_label",
    "label_by_tracking",
    "labels_for",
    "void_label",
]


def insert_account(conn: Connection, values: dict[str, Any]) -> None:
    now = utcnow()
    conn.execute(carrier_accounts.insert().values(**values, created_at=now, updated_at=now))


def account(conn: Connection, code: str) -> sa.RowMapping | None:
    query = sa.select(carrier_accounts).where(carrier_accounts.c.code == code)
    return conn.execute(query).mappings().first()


def accounts(conn: Connection) -> list[sa.RowMapping]:
    query = sa.select(carrier_accounts).order_by(carrier_accounts.c.code)
    return list(conn.execute(query).mappings())


def insert_label(conn: Connection, values: dict[str, Any]) -> None:
    conn.execute(labels.insert().values(**values, created_at=utcnow(), voided_at=None))


def current_label(conn: Connection, shipment_id: str) -> sa.RowMapping | None:
    query = (
        sa.select(labels)
        .where(labels.c.shipment_id == shipment_id, labels.c.voided_at.is_(None))
        .order_by(labels.c.id.desc())
    )
    return conn.execute(query).mappings().first()


def labels_for(conn: Connection, shipment_ids: list[str]) -> dict[str, sa.RowMapping]:
    if not shipment_ids:
        return {}
    query = (
        sa.select(labels)
        .where(labels.c.shipment_id.in_(shipment_ids), labels.c.voided_at.is_(None))
        .order_by(labels.c.id)
    )
    return {r["shipment_id"]: r for r in conn.execute(query).mappings()}


def label_by_tracking(conn: Connection, tracking_number: str) -> sa.RowMapping | None:
    query = sa.select(labels).where(labels.c.tracking_number == tracking_number)
    return conn.execute(query).mappings().first()


def void_label(conn: Connection, label_id: str) -> None:
    conn.execute(labels.update().where(labels.c.id == label_id).values(voided_at=utcnow()))
