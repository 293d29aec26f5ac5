"""Returns (RMAs) and refunds."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query
from pydantic import Field

from podium import returns
from podium.access import Permission
from podium.api.deps import Caller, get_podium, require
from podium.api.openapi import GATEWAY_ERRORS
from podium.api.paging import CURSOR_HELP, ListPage
from podium.bootstrap import Podium
from podium.returns import (
    ExchangeIn,
    ExchangeView,
    OrderRefundIn,
    PaymentPolicyIn,
    Policies,
    ReceiveIn,
    RefundIn,
    RefundView,
    ReturnIn,
    ReturnPolicyIn,
    ReturnsQuery,
    ReturnView,
    ShipBackIn,
    create_exchange,
)
from podium.validation import Input

router = APIRouter(tags=["returns"])

READ = Depends(require(Permission.READ))
NOTE = Depends(require(Permission.NOTE))
FULFIL = Depends(require(Permission.FULFIL))
OPERATE = Depends(require(Permission.OPERATE))
ADMIN = Depends(require(Permission.ADMIN))


class ReturnList(ListPage):
    items: list[ReturnView]


class RejectIn(Input):
    note: str | None = Field(default=None, max_length=1000)


@router.post("/orders/{order_id}/returns", status_code=201, response_model=ReturnView)
def create_return(
    order_id: str, data: ReturnIn, caller: Caller = NOTE, podium: Podium = Depends(get_podium)
) -> ReturnView:
    return returns.create_return(podium.db, order_id, data, caller.actor)


@router.get("/orders/{order_id}/returns", response_model=dict[str, list[ReturnView]])
def order_returns(
    order_id: str, _: Caller = READ, podium: Podium = Depends(get_podium)
) -> dict[str, object]:
    page = returns.list_returns(podium.db, ReturnsQuery(order_id=order_id, limit=200))
    return {"items": page.items}


@router.get("/returns", response_model=ReturnList)
def list_returns(
    status: str | None = Query(None, description="A return status, e.g. `requested`."),
    order_id: str | None = Query(None, max_length=40),
    channel: str | None = Query(None, max_length=64),
    q: str | None = Query(
        None,
        max_length=320,
        description="An RMA id, order number, e-mail, order id or external id (exact match).",
    ),
    created_from: str | None = Query(None, alias="from", description="Created on or after."),
    created_to: str | None = Query(None, alias="to", description="Created on or before."),
    cursor: str | None = Query(None, description=CURSOR_HELP),
    limit: int = Query(50, ge=1, le=200),
    _: Caller = READ,
    podium: Podium = Depends(get_podium),
) -> dict[str, object]:
    """Returns, newest first, in keyset pages both ways (`next_cursor`, `prev_cursor`), with a
    `total` counted up to 10,000."""
    params = {
        "status": status,
        "order_id": order_id,
        "channel": channel,
        "q": q,
        "from": created_from,
        "to": created_to,
        "cursor": cursor,
        "limit": str(limit),
    }
    query = ReturnsQuery.parse({k: v for k, v in params.items() if v is not None})
    return returns.list_returns(podium.db, query).body()


@router.get("/returns/{return_id}", response_model=ReturnView)
def get_return(
    return_id: str, _: Caller = READ, podium: Podium = Depends(get_podium)
) -> ReturnView:
    return returns.get_return(podium.db, return_id)


@router.post("/returns/{return_id}/approve", response_model=ReturnView)
def approve(
    return_id: str, caller: Caller = NOTE, podium: Podium = Depends(get_podium)
) -> ReturnView:
    return returns.approve_return(podium.db, return_id, caller.actor)


@router.post("/returns/{return_id}/reject", response_model=ReturnView)
def reject(
    return_id: str,
    data: RejectIn | None = None,
    caller: Caller = NOTE,
    podium: Podium = Depends(get_podium),
) -> ReturnView:
    return returns.reject_return(podium.db, return_id, caller.actor, data.note if data else None)


@router.post("/returns/{return_id}/ship", response_model=ReturnView)
def ship_back(
    return_id: str,
    data: ShipBackIn | None = None,
    caller: Caller = NOTE,
    podium: Podium = Depends(get_podium),
) -> ReturnView:
    return returns.ship_back(podium.db, return_id, data or ShipBackIn(), caller.actor)


@router.post("/returns/{return_id}/receive", response_model=ReturnView)
def receive(
    return_id: str, data: ReceiveIn, caller: Caller = FULFIL, podium: Podium = Depends(get_podium)
) -> ReturnView:
    return returns.receive_return(podium.db, return_id, data, caller.actor)


@router.post("/returns/{return_id}/close", response_model=ReturnView)
def close(
    return_id: str, caller: Caller = OPERATE, podium: Podium = Depends(get_podium)
) -> ReturnView:
    return returns.close_return(podium.db, return_id, caller.actor)


@router.post(
    "/returns/{return_id}/refund",
    status_code=201,
    response_model=RefundView,
    responses=GATEWAY_ERRORS,
)
def refund_return(
    return_id: str,
    data: RefundIn | None = None,
    caller: Caller = OPERATE,
    podium: Podium = Depends(get_podium),
) -> RefundView:
    return returns.refund_return(
        podium.db, return_id, data or RefundIn(), podium.gateways, caller.actor
    )


@router.post(
    "/orders/{order_id}/refunds",
    status_code=201,
    response_model=RefundView,
    responses=GATEWAY_ERRORS,
)
def refund_order(
    order_id: str,
    data: OrderRefundIn,
    caller: Caller = OPERATE,
    podium: Podium = Depends(get_podium),
) -> RefundView:
    return returns.refund_order(podium.db, order_id, data, podium.gateways, caller.actor)


@router.get("/orders/{order_id}/refunds", response_model=dict[str, list[RefundView]])
def order_refunds(
    order_id: str, _: Caller = READ, podium: Podium = Depends(get_podium)
) -> dict[str, list[RefundView]]:
    return {"items": returns.list_refunds(podium.db, order_id)}


@router.post("/returns/{return_id}/exchange", status_code=201, response_model=ExchangeView)
def exchange(
    return_id: str, data: ExchangeIn, caller: Caller = OPERATE, podium: Podium = Depends(get_podium)
) -> ExchangeView:
    """A replacement order for a received return, or at once (``advance``) held as
    ``awaiting_return`` until the returned units arrive."""
    return create_exchange(podium.db, return_id, data, caller.actor, allocator=podium.allocator)


@router.get("/channels/{code}/policies", response_model=Policies)
def channel_policies(code: str, _: Caller = READ, podium: Podium = Depends(get_podium)) -> Policies:
    """The channel's return window and reasons, and its payment capture policy."""
    return returns.get_policies(podium.db, code)


@router.put("/channels/{code}/return-policy", response_model=Policies)
def put_return_policy(
    code: str, data: ReturnPolicyIn, _: Caller = ADMIN, podium: Podium = Depends(get_podium)
) -> Policies:
    return returns.set_return_policy(podium.db, code, data)


@router.put("/channels/{code}/payment-policy", response_model=Policies)
def put_payment_policy(
    code: str, data: PaymentPolicyIn, _: Caller = ADMIN, podium: Podium = Depends(get_podium)
) -> Policies:
    return returns.set_payment_policy(podium.db, code, data)
