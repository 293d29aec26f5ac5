"""Editing an order before it ships."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from podium.access import Permission
from podium.api.deps import Caller, get_podium, require
from podium.bootstrap import Podium
from podium.orders import OrderEditIn, OrderView
from podium.returns import edit_order

router = APIRouter(tags=["orders"])

OPERATE = Depends(require(Permission.OPERATE))


@router.patch("/orders/{order_id}", response_model=OrderView)
def patch_order(
    order_id: str, data: OrderEditIn, caller: Caller = OPERATE, podium: Podium = Depends(get_podium)
) -> OrderView:
    """Change quantities (0 removes a line), add lines, change the address or totals; stock is
    re-reserved and routing re-run in the same transaction. A lowered total refunds what was
    paid beyond it (409 `refund_declined` if the gateway refuses: nothing changes); a raised
    total is a balance due, which the channel's capture policy then collects."""
    return edit_order(
        podium.db,
        order_id,
        data,
        caller.actor,
        allocator=podium.allocator,
        gateways=podium.gateways,
    )


@router.post("/orders/{order_id}/edit", response_model=OrderView)
def post_edit(
    order_id: str, data: OrderEditIn, caller: Caller = OPERATE, podium: Podium = Depends(get_podium)
) -> OrderView:
    """The same as ``PATCH /orders/{id}``, for clients that cannot send PATCH."""
    return patch_order(order_id, data, caller, podium)
