"""The customer-facing return request: no API key; the order number and the customer's e-mail
identify the order. The return starts as ``requested`` inside the channel's window; staff
approve it. A wrong number or e-mail gets the same 404, so nothing about other orders leaks."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from podium.api.deps import get_podium
from podium.bootstrap import Podium
from podium.returns.model import ReturnLineIn
from podium.returns.service import request_return
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


@router.post("/returns/request", status_code=201, response_model=CustomerReturnView)
def customer_request(
    data: CustomerReturnIn, podium: Podium = Depends(get_podium)
) -> CustomerReturnView:
    view = request_return(podium.db, data.order_number, data.email, data.lines, data.note)
    return CustomerReturnView(
        id=view.id,
        status=view.status,
        lines=[
            CustomerLineView(sku=ln.sku, quantity=ln.quantity, reason=ln.reason)
            for ln in view.lines
        ],
    )
