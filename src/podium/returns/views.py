"""Reading returns and refunds back as views."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from podium.db.database import as_utc
from podium.errors import NotFound
from podium.money import format_amount
from podium.returns import _store as store
from podium.returns.model import RefundLineView, RefundView, ReturnLineView, ReturnView

__all__ = ["refund_views", "return_view", "return_views"]


def refund_views(conn: Connection, rows: Sequence[sa.RowMapping]) -> list[RefundView]:
    lines: dict[str, list[sa.RowMapping]] = defaultdict(list)
    for ln in store.refund_lines_for(conn, [r["id"] for r in rows]):
        lines[ln["refund_id"]].append(ln)
    views = []
    for r in rows:
        cur = r["currency"]
        views.append(
            RefundView(
                id=r["id"],
                order_id=r["order_id"],
                return_id=r["return_id"],
                amount=format_amount(r["amount"], cur),
                currency=cur,
                lines_amount=format_amount(r["lines_amount"], cur),
                discount_amount=format_amount(r["discount_amount"], cur),
                tax_amount=format_amount(r["tax_amount"], cur),
                shipping_amount=format_amount(r["shipping_amount"], cur),
                method=r["method"],
                channel_refund_id=r["channel_refund_id"],
                reason=r["reason"],
                lines=[
                    RefundLineView(
                        order_line_no=ln["order_line_no"],
                        sku=ln["sku"],
                        quantity=ln["quantity"],
                        amount=format_amount(ln["amount"], cur),
                    )
                    for ln in lines[r["id"]]
                ],
                created_at=as_utc(r["created_at"]),
                created_by=r["created_by"],
            )
        )
    return views


def return_views(conn: Connection, rows: Sequence[sa.RowMapping]) -> list[ReturnView]:
    ids = [r["id"] for r in rows]
    lines: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for ln in store.return_lines_for(conn, ids):
        lines[ln["return_id"]].append(ln)
    refunds: dict[str, list[RefundView]] = defaultdict(list)
    for rv in refund_views(conn, store.refunds_for(conn, return_ids=ids)):
        refunds[rv.return_id or ""].append(rv)
    return [
        ReturnView(
            id=r["id"],
            order_id=r["order_id"],
            status=r["status"],
            note=r["note"],
            carrier=r["carrier"],
            tracking_number=r["tracking_number"],
            exchange_order_id=r["exchange_order_id"],
            exchange_for=r["exchange_skus"] or None,
            lines=[
                ReturnLineView(**{k: ln[k] for k in ReturnLineView.model_fields})
                for ln in lines[r["id"]]
            ],
            refunds=refunds[r["id"]],
            created_at=as_utc(r["created_at"]),
            updated_at=as_utc(r["updated_at"]),
            created_by=r["created_by"],
        )
        for r in rows
    ]


def return_view(conn: Connection, return_id: str) -> ReturnView:
    row = store.return_row(conn, return_id)
    if row is None:
        raise NotFound(f"No return {return_id}.", code="return_not_found")
    return return_views(conn, [row])[0]
