"""Risk review (issue 15): the orders held for risk, and approving or rejecting each."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query
from pydantic import Field

from podium import orders, returns
from podium.access import Permission
from podium.api.deps import Caller, get_podium, require
from podium.api.openapi import GATEWAY_ERRORS
from podium.bootstrap import Podium
from podium.orders import OrderView
from podium.validation import Input

router = APIRouter(tags=["risk"])

READ = Depends(require(Permission.READ))
OPERATE = Depends(require(Permission.OPERATE))

_NOT_IN_REVIEW: dict[int | str, dict[str, Any]] = {
    409: {"description": "`not_in_risk_review`: the order has no open risk hold."}
}


class RiskDecisionIn(Input):
    note: str | None = Field(default=None, max_length=1000)


@router.get(
    "/risk/review",
    response_model=dict[str, list[OrderView]],
    summary="Orders held for risk review",
    description="Orders with an open `risk` hold (a high risk level at placement), oldest "
    "first, each with its `risk` (score, level, signals).",
)
def review_queue(
    limit: int = Query(100, ge=1, le=500),
    _: Caller = READ,
    podium: Podium = Depends(get_podium),
) -> dict[str, list[OrderView]]:
    return {"items": orders.risk_review_queue(podium.db, limit=limit)}


@router.post(
    "/orders/{order_id}/risk/approve",
    response_model=OrderView,
    summary="Approve an order held for risk",
    description="Releases the order's `risk` hold (the order carries on when no other hold "
    "remains); the decision is on the timeline (`order.risk_approved`).",
    responses=_NOT_IN_REVIEW,
)
def approve(
    order_id: str,
    data: RiskDecisionIn | None = None,
    caller: Caller = OPERATE,
    podium: Podium = Depends(get_podium),
) -> OrderView:
    note = data.note if data else None
    return orders.approve_risk(podium.db, order_id, caller.actor, note)


@router.post(
    "/orders/{order_id}/risk/reject",
    response_model=OrderView,
    summary="Reject an order held for risk",
    description="Cancels the order and refunds what was captured (or voids the authorization), "
    "like `POST /orders/{id}/cancel`; the decision is on the timeline (`order.risk_rejected`).",
    responses={**_NOT_IN_REVIEW, **GATEWAY_ERRORS},
)
def reject(
    order_id: str,
    data: RiskDecisionIn | None = None,
    caller: Caller = OPERATE,
    podium: Podium = Depends(get_podium),
) -> OrderView:
    note = data.note if data else None
    return returns.reject_for_risk(podium.db, order_id, caller.actor, podium.gateways, note)
