"""The customer-facing return request: no API key; the order number and the customer's e-mail
identify the order. The return starts as ``requested`` inside the channel's window; staff
approve it. A wrong number or e-mail gets the same 404, so nothing about other orders leaks.

Order numbers are sequential, so guessing is slowed down: every request counts against the
caller's address and against the order number (throttle/model.py), shared by every process;
over either limit is 429 ``rate_limited`` with ``Retry-After``."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from podium.api.deps import get_podium
from podium.bootstrap import Podium
from podium.errors import TooManyRequests
from podium.returns import ReturnLineIn, request_return
from podium.throttle import RETURNS_PER_ADDRESS, RETURNS_PER_ORDER, Throttle
from podium.validation import Email, Input

router = APIRouter(tags=["returns"])


class CustomerReturnIn(Input):
    order_number: str = Field(min_length=1, max_length=32)
    email: Email
    lines: list[ReturnLineIn] = Field(min_length=1, max_length=100)
    note: str | None = Field(default=None, max_length=1000)


class CustomerLineView(BaseModel):
    sku: str
    quantity: int
    reason: str


class CustomerReturnView(BaseModel):
    id: str
    status: str
    lines: list[CustomerLineView]


def _throttle(request: Request, podium: Podium = Depends(get_podium)) -> Throttle:
    found = getattr(request.app.state, "throttle", None)
    if not isinstance(found, Throttle):
        found = request.app.state.throttle = Throttle(podium.db)
    return found


@router.post(
    "/returns/request",
    status_code=201,
    response_model=CustomerReturnView,
    responses={429: {"description": "Too many requests from this address or for this order."}},
)
def customer_request(
    data: CustomerReturnIn,
    request: Request,
    podium: Podium = Depends(get_podium),
    throttle: Throttle = Depends(_throttle),
) -> CustomerReturnView:
    """A shopper asks for a return (no API key). Limited per address and per order number."""
    address = request.client.host if request.client else "-"
    checks = [(RETURNS_PER_ADDRESS, address), (RETURNS_PER_ORDER, data.order_number.upper())]
    wait = throttle.hit(checks)
    if wait:
        raise TooManyRequests(
            f"Too many return requests; try again in {wait} seconds.", retry_after=wait
        )
    view = request_return(podium.db, data.order_number, data.email, data.lines, data.note)
    return CustomerReturnView(
        id=view.id,
        status=view.status,
        lines=[
            CustomerLineView(sku=ln.sku, quantity=ln.quantity, reason=ln.reason)
            for ln in view.lines
        ],
    )
