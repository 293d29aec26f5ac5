"""A customer's own return request (``POST /api/v1/returns/request``): the order found by
number and e-mail, the channel's return policy applied (SKUs it does not take back refused,
approved at once when it says ``auto_approve``), then the same write as staff's."""

from __future__ import annotations

from collections.abc import Sequence

from podium import catalog
from podium.db.database import Database
from podium.errors import NotFound, ValidationFailed
from podium.orders import order_facts, order_for_customer
from podium.returns.model import ReturnIn, ReturnLineIn, ReturnView, return_policy
from podium.returns.service import create_return

__all__ = ["request_return"]


def request_return(
    db: Database,
    number: str,
    email: str,
    lines: Sequence[ReturnLineIn],
    note: str | None = None,
) -> ReturnView:
    """A customer asks for a return of their own order (identified by number and e-mail):
    refused for a SKU the channel's policy does not take back, approved at once when the
    policy says ``auto_approve`` (as the returns portal does), else left for staff."""
    with db.read() as conn:
        order_id = order_for_customer(conn, number, email)
        if order_id is not None:
            channel = order_facts(conn, order_id).channel
            policy = return_policy(catalog.channel_settings(conn, channel) or {})
    if order_id is None:
        raise NotFound(
            "No order with that number and e-mail address.",
            code="order_not_found",
            details={"field": "order_number"},
        )
    for i, ln in enumerate(lines):
        if ln.sku in policy.non_returnable:
            raise ValidationFailed(
                f"{ln.sku} cannot be returned.",
                code="not_returnable",
                details={"field": f"lines.{i}.sku", "sku": ln.sku},
            )
    data = ReturnIn(lines=list(lines), note=note, approve=policy.auto_approve)
    return create_return(db, order_id, data, f"customer:{email.strip().lower()}")
