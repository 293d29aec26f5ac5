"""An order's returns side in one read: its RMAs, its refunds, what may still be returned per
SKU (shipped minus returned, as ``service.assign_lines`` counts it) and the channel's reasons."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from podium import catalog
from podium.db.database import Database
from podium.orders import order_facts
from podium.returns import _store as store
from podium.returns.model import RefundView, ReturnView, return_policy
from podium.returns.views import refund_views, return_views

__all__ = ["OrderReturns", "order_returns"]


@dataclass(frozen=True, slots=True)
class OrderReturns:
    returns: list[ReturnView]
    refunds: list[RefundView]
    returnable: dict[str, int]  # sku -> units that may still be returned
    reasons: tuple[str, ...]  # the channel's return reasons
    window_days: int

    @property
    def can_return(self) -> bool:
        return any(q > 0 for q in self.returnable.values())


def order_returns(db: Database, order_id: str) -> OrderReturns:
    with db.read() as conn:
        facts = order_facts(conn, order_id)  # 404 for an unknown order
        returned = store.returned_units(conn, order_id)
        rows = store.returns_for_order(conn, order_id)
        views = return_views(conn, rows)
        refunds = refund_views(conn, store.refunds_for(conn, order_id=order_id))
        policy = return_policy(catalog.channel_settings(conn, facts.channel) or {})
    returned_by_sku: dict[str, int] = defaultdict(int)
    for ln in facts.money.lines:
        returned_by_sku[ln.sku] += returned.get(ln.line_no, 0)
    returnable = {
        sku: max(0, shipped - returned_by_sku[sku])
        for sku, shipped in sorted(facts.shipped_by_sku.items())
    }
    return OrderReturns(
        returns=list(reversed(views)),  # newest first
        refunds=list(reversed(refunds)),
        returnable=returnable,
        reasons=policy.reasons,
        window_days=policy.window_days,
    )
