"""Orders: place, read, list, timeline, cancel, hold, release, notes."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Header, Query, Response
from pydantic import BaseModel, Field

from podium import orders, payments, returns
from podium.access import Permission
from podium.api.deps import Caller, get_podium, require
from podium.api.openapi import GATEWAY_ERRORS
from podium.api.paging import CURSOR_HELP, ListPage
from podium.bootstrap import Podium
from podium.orders import (
    HoldIn,
    NoteIn,
    OrderIntake,
    OrderView,
    QueueQuery,
    TagsIn,
    TimelineEntry,
    place_order,
)
from podium.validation import Input

router = APIRouter(tags=["orders"])

READ = Depends(require(Permission.READ))
NOTE = Depends(require(Permission.NOTE))
OPERATE = Depends(require(Permission.OPERATE))


class OrderList(ListPage):
    items: list[OrderView]


class CancelIn(Input):
    reason: str | None = Field(default=None, max_length=500)


class ReleaseIn(Input):
    hold_id: str | None = Field(default=None, max_length=40)


@router.post(
    "/orders",
    status_code=201,
    response_model=OrderView,
    responses={
        200: {
            "description": "The same order was placed before (idempotent replay): the same "
            "channel + external_id, or the same Idempotency-Key, with the same lines and money."
        },
        409: {
            "description": "`idempotency_conflict`: an order with this channel + external_id "
            "(or this Idempotency-Key) exists and the request's lines or money differ "
            "(`details.differs` names them; nothing is written). `idempotency_key_reused`: the "
            "key was used for a request that differs elsewhere. `insufficient_stock`: a "
            "shortage with `on_shortage: reject`. `payment_not_authorized`, "
            "`payment_intent_used`: the order's PaymentIntent is not awaiting capture, or pays "
            "another order."
        },
        **GATEWAY_ERRORS,
    },
    description="Place an order. Idempotent on channel + external_id and on the optional "
    "`Idempotency-Key` header: a re-delivery with the same lines and money answers 200 with "
    "the order placed before (concurrent re-deliveries still make one order); one whose lines "
    "(SKU, quantity, unit price), currency, shipping, tax or discount differ answers 409 "
    "`idempotency_conflict`, with or without a key. Channel webhooks are not refused this way: "
    "a platform's order update for the same external id updates the order.",
)
def create_order(
    intake: OrderIntake,
    idempotency_key: str | None = Header(default=None, min_length=1, max_length=200),
    caller: Caller = OPERATE,
    podium: Podium = Depends(get_podium),
) -> Response:
    if intake.payment is not None:  # authorized by the storefront (a Stripe PaymentIntent)
        placed: Any = payments.place_paid_order(
            podium.db,
            intake,
            podium.gateways,
            allocator=podium.allocator,
            idempotency_key=idempotency_key,
            actor=caller.actor,
        )
    else:
        placed = place_order(
            podium.db,
            intake,
            allocator=podium.allocator,
            idempotency_key=idempotency_key,
            actor=caller.actor,
            refuse_changes=True,
        )
    # The view is already validated: serialise it once, skipping FastAPI's second pass.
    return Response(
        placed.order.model_dump_json(),
        status_code=201 if placed.created else 200,
        media_type="application/json",
    )


@router.get("/orders", response_model=OrderList)
def list_orders(
    status: str | None = Query(None, description="An order status, e.g. `on_hold`."),
    channel: str | None = Query(None, max_length=200),
    email: str | None = Query(None, max_length=320, description="Customer e-mail, exact."),
    number: str | None = Query(
        None, max_length=40, description="Order number, exact: `PD-100001` (or `#100001`)."
    ),
    q: str | None = Query(
        None,
        max_length=320,
        description="Search as the dashboard does: an order number, external id, order id or "
        "e-mail matches exactly; anything else matches customer names by substring.",
    ),
    warehouse: str | None = Query(None, max_length=200, description="Ships from this warehouse."),
    tag: str | None = Query(None, max_length=200),
    hold_reason: str | None = Query(None, description="Has an open hold with this reason."),
    placed_from: str | None = Query(None, alias="from", description="Placed on or after (date)."),
    placed_to: str | None = Query(None, alias="to", description="Placed on or before (date)."),
    late: str | None = Query(None, description="`1`: only orders with a shipment past due."),
    sort: str | None = Query(
        None, description="`newest` (default), `oldest`, `total_desc` or `total_asc`."
    ),
    cursor: str | None = Query(None, description=CURSOR_HELP),
    limit: int = Query(50, ge=1, le=200),
    _: Caller = READ,
    podium: Podium = Depends(get_podium),
) -> dict[str, object]:
    """Orders, newest first, in keyset pages both ways (`next_cursor`, `prev_cursor`), with a
    `total` counted up to 10,000 (`{"value": 10000, "exact": false}` means more than that)."""
    params = {
        "status": status,
        "channel": channel,
        "email": email,
        "number": number,
        "q": q,
        "warehouse": warehouse,
        "tag": tag,
        "hold_reason": hold_reason,
        "from": placed_from,
        "to": placed_to,
        "late": late,
        "sort": sort,
        "cursor": cursor,
        "limit": str(limit),
    }
    query = QueueQuery.parse({k: v for k, v in params.items() if v is not None})
    return orders.list_orders(podium.db, query).body()


@router.get("/orders/{order_id}", response_model=OrderView)
def get_order(order_id: str, _: Caller = READ, podium: Podium = Depends(get_podium)) -> OrderView:
    """The order with this id (`ord_…`) or this number (`PD-100001`)."""
    return orders.get_order(podium.db, order_id)


@router.get("/orders/{order_id}/timeline", response_model=dict[str, list[TimelineEntry]])
def get_timeline(
    order_id: str, _: Caller = READ, podium: Podium = Depends(get_podium)
) -> dict[str, list[TimelineEntry]]:
    return {"items": orders.order_timeline(podium.db, order_id)}


class TrackingLink(BaseModel):
    url: str
    token: str


@router.get("/orders/{order_id}/tracking-link", response_model=TrackingLink)
def get_tracking_link(
    order_id: str, _: Caller = READ, podium: Podium = Depends(get_podium)
) -> TrackingLink:
    """The shopper's order status page (`/track/{token}`, docs/shopper.md), the link every
    customer e-mail carries: for support to send again."""
    order = orders.get_order(podium.db, order_id)
    return TrackingLink(
        url=podium.shopper.tracking_url(order.id), token=podium.shopper.token(order.id)
    )


@router.post(
    "/orders/{order_id}/cancel",
    response_model=OrderView,
    description="Cancel every unit that has not shipped, and only those. Nothing shipped: the "
    "order becomes `cancelled`. Some units shipped (a partly shipped order, held or not): only "
    "the unshipped units are cancelled (`lines[].quantity_cancelled`), the total shrinks by what "
    "they were worth, the status is derived again (`shipped`) and the event is "
    "`order.partially_cancelled`. Reservations are released; what was paid beyond the value of "
    "the kept units is refunded (or the authorization voided) by the channel's payment policy.",
    responses={
        409: {
            "description": "`invalid_transition`: the order is shipped, delivered or cancelled. "
            "`nothing_to_cancel`: every unit has shipped. `refund_declined`: the gateway "
            "refused the refund (nothing is cancelled)."
        }
    },
)
def cancel(
    order_id: str,
    data: CancelIn | None = None,
    caller: Caller = OPERATE,
    podium: Podium = Depends(get_podium),
) -> OrderView:
    reason = data.reason if data else None
    return returns.cancel_order(podium.db, order_id, caller.actor, podium.gateways, reason)


@router.post("/orders/{order_id}/hold", response_model=OrderView)
def hold(
    order_id: str,
    data: HoldIn | None = None,
    caller: Caller = NOTE,
    podium: Podium = Depends(get_podium),
) -> OrderView:
    return orders.hold_order(podium.db, order_id, data or HoldIn(), caller.actor)


@router.post(
    "/orders/{order_id}/hand-over",
    response_model=OrderView,
    summary="Record a store sale handed over at a store",
    description="For an order sold and handed over in store whose store Podium could not place "
    "at capture (held with reason `location`): the named warehouse's stock is taken now, the "
    "order is recorded handed over (no pick list, label or carrier) and the hold goes.",
    responses={
        409: {
            "description": "`not_handed_over`, `order_not_handable` (shipments or other holds), "
            "`insufficient_stock` (the store lacks the units)."
        },
        422: {"description": "`unknown_warehouse`."},
    },
)
def hand_over(
    order_id: str,
    data: orders.HandOverIn,
    caller: Caller = OPERATE,
    podium: Podium = Depends(get_podium),
) -> OrderView:
    return orders.hand_over_order(
        podium.db, order_id, data, caller.actor, allocator=podium.allocator
    )


@router.post("/orders/{order_id}/release", response_model=OrderView)
def release(
    order_id: str,
    data: ReleaseIn | None = None,
    caller: Caller = NOTE,
    podium: Podium = Depends(get_podium),
) -> OrderView:
    hold_id = data.hold_id if data else None
    return orders.release_order(
        podium.db, order_id, caller.actor, allocator=podium.allocator, hold_id=hold_id
    )


@router.post("/orders/{order_id}/notes", status_code=201, response_model=TimelineEntry)
def add_note(
    order_id: str, data: NoteIn, caller: Caller = NOTE, podium: Podium = Depends(get_podium)
) -> TimelineEntry:
    return orders.add_note(podium.db, order_id, data, caller.actor)


@router.post(
    "/orders/{order_id}/tags",
    response_model=OrderView,
    description="Add and remove tags (each 1–64 characters; an order carries at most 50). "
    "Adding a tag the order has, or removing one it lacks, changes nothing; each change is an "
    "`order.tagged` timeline entry. Filter the order list with `GET /orders?tag=`.",
    responses={
        422: {
            "description": "`too_many_tags` (`details.field`: `add`), or a tag "
            "that is empty or too long (`details.field` names it)."
        }
    },
)
def tag(
    order_id: str, data: TagsIn, caller: Caller = NOTE, podium: Podium = Depends(get_podium)
) -> OrderView:
    return orders.tag_order(podium.db, order_id, data, caller.actor)
