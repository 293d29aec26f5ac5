"""Purchase orders, transfers and incoming stock (issue 16 item 4). Included by
``planning.router``."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Depends, Header, Query

from podium import planning
from podium.access import Permission
from podium.api.deps import Caller, get_podium, require
from podium.bootstrap import Podium
from podium.planning import (
    IncomingView,
    Outgoing,
    PoFromSuggestionsIn,
    PreorderCapIn,
    PreorderCapView,
    PurchaseOrderIn,
    PurchaseOrderPatch,
    PurchaseOrderView,
    ReceiptIn,
    TransferIn,
    TransferView,
)
from podium.validation import Code, Sku

router = APIRouter(tags=["planning"])

READ = Depends(require(Permission.READ))
OPERATE = Depends(require(Permission.OPERATE))
PO = "/planning/purchase-orders"
TR = "/planning/transfers"


def _keyed(body: ReceiptIn, header: str | None) -> ReceiptIn:
    """The body's ``key``, else the ``Idempotency-Key`` header."""
    if body.key is None and header:
        return body.model_copy(update={"key": header[:100]})
    return body


def mail_sender(podium: Podium) -> Callable[[Outgoing], str]:
    """Send a planning e-mail (a PO to its supplier) through the notify mailer."""

    def send(out: Outgoing) -> str:
        return podium.emailer.send_mail(out.to, out.subject, out.text, out.html, out.attachments)

    return send


@router.post(PO, response_model=PurchaseOrderView, status_code=201)
def create_purchase_order(
    body: PurchaseOrderIn, caller: Caller = OPERATE, podium: Podium = Depends(get_podium)
) -> PurchaseOrderView:
    """A draft PO: supplier, destination warehouse, lines (unit cost defaults to the supplier's
    offer), expected day (defaults to today + the longest lead time)."""
    return planning.create_purchase_order(podium.db, body, caller.actor)


@router.post(f"{PO}/from-suggestions", response_model=list[PurchaseOrderView], status_code=201)
def purchase_orders_from_suggestions(
    body: PoFromSuggestionsIn, caller: Caller = OPERATE, podium: Podium = Depends(get_podium)
) -> list[PurchaseOrderView]:
    """Draft POs for the due replenishment suggestions, one per supplier × warehouse."""
    return planning.purchase_orders_from_suggestions(podium.db, body, caller.actor)


@router.get(PO, response_model=list[PurchaseOrderView])
def list_purchase_orders(
    status: planning.PoStatus | None = Query(None),
    supplier: Code | None = Query(None),
    warehouse: Code | None = Query(None),
    after: str | None = Query(None, max_length=32, description="POs after this number."),
    limit: int = Query(100, ge=1, le=500),
    _: Caller = READ,
    podium: Podium = Depends(get_podium),
) -> list[PurchaseOrderView]:
    return planning.list_purchase_orders(
        podium.db,
        status=status.value if status else None,
        supplier=supplier,
        warehouse=warehouse,
        after=after,
        limit=limit,
    )


@router.get(PO + "/{number}", response_model=PurchaseOrderView)
def get_purchase_order(
    number: str, _: Caller = READ, podium: Podium = Depends(get_podium)
) -> PurchaseOrderView:
    return planning.get_purchase_order(podium.db, number)


@router.post(PO + "/{number}/send", response_model=PurchaseOrderView)
def send_purchase_order(
    number: str,
    email: bool = Query(True, description="false: only mark it sent (ordered another way)."),
    _: Caller = OPERATE,
    podium: Podium = Depends(get_podium),
) -> PurchaseOrderView:
    """E-mail the PO as PDF and CSV to the supplier's address and mark it sent (a sent PO may
    be sent again). 422 `supplier_without_email`, 409 `email_disabled`, 503 `email_unavailable`
    (the PO stays as it was)."""
    sender = mail_sender(podium) if email else None
    return planning.send_purchase_order(podium.db, number, sender)


@router.post(PO + "/{number}/receipts", response_model=PurchaseOrderView)
def receive_purchase_order(
    number: str,
    body: ReceiptIn,
    idempotency_key: str | None = Header(default=None, max_length=100),
    caller: Caller = OPERATE,
    podium: Podium = Depends(get_podium),
) -> PurchaseOrderView:
    """Receive some or all open units; each posts a `receipt` movement to the warehouse's
    stock. 422 `over_receipt` beyond what is open unless `allow_over_receipt`; a repeat of the
    same `key` (or Idempotency-Key) books nothing again, with other lines 409."""
    return planning.receive_purchase_order(
        podium.db, number, _keyed(body, idempotency_key), caller.actor
    )


@router.post(PO + "/{number}/cancel", response_model=PurchaseOrderView)
def cancel_purchase_order(
    number: str, caller: Caller = OPERATE, podium: Podium = Depends(get_podium)
) -> PurchaseOrderView:
    """A draft or sent PO with nothing received. Its pre-orders keep their backorder hold;
    their promise moves to another sent PO's day, or is cleared."""
    return planning.cancel_purchase_order(podium.db, number, caller.actor)


@router.patch(PO + "/{number}", response_model=PurchaseOrderView)
def change_purchase_order(
    number: str,
    body: PurchaseOrderPatch,
    caller: Caller = OPERATE,
    podium: Podium = Depends(get_podium),
) -> PurchaseOrderView:
    """Move an open PO's expected day (``{"expected_on": "2027-01-20"}``); the pre-orders
    promised against it follow, each with a timeline entry."""
    return planning.change_purchase_order(podium.db, number, body, caller.actor)


@router.post(TR, response_model=TransferView, status_code=201)
def create_transfer(
    body: TransferIn, caller: Caller = OPERATE, podium: Podium = Depends(get_podium)
) -> TransferView:
    return planning.create_transfer(podium.db, body, caller.actor)


@router.post(f"{TR}/from-suggestions", response_model=list[TransferView], status_code=201)
def transfers_from_suggestions(
    warehouse: Code | None = Query(None),
    sku: Sku | None = Query(None),
    caller: Caller = OPERATE,
    podium: Podium = Depends(get_podium),
) -> list[TransferView]:
    """Draft transfers for the replenishment's suggested moves, one per source × target."""
    return planning.transfers_from_suggestions(podium.db, warehouse, sku, caller.actor)


@router.get(TR, response_model=list[TransferView])
def list_transfers(
    status: planning.TransferStatus | None = Query(None),
    source: Code | None = Query(None),
    target: Code | None = Query(None),
    after: str | None = Query(None, max_length=32),
    limit: int = Query(100, ge=1, le=500),
    _: Caller = READ,
    podium: Podium = Depends(get_podium),
) -> list[TransferView]:
    return planning.list_transfers(
        podium.db,
        status=status.value if status else None,
        source=source,
        target=target,
        after=after,
        limit=limit,
    )


@router.get(TR + "/{number}", response_model=TransferView)
def get_transfer(
    number: str, _: Caller = READ, podium: Podium = Depends(get_podium)
) -> TransferView:
    return planning.get_transfer(podium.db, number)


@router.post(TR + "/{number}/ship", response_model=TransferView)
def ship_transfer(
    number: str, caller: Caller = OPERATE, podium: Podium = Depends(get_podium)
) -> TransferView:
    """The units leave the source (409 `insufficient_stock` if it lacks unreserved stock)."""
    return planning.ship_transfer(podium.db, number, caller.actor)


@router.post(TR + "/{number}/receipts", response_model=TransferView)
def receive_transfer(
    number: str,
    body: ReceiptIn,
    idempotency_key: str | None = Header(default=None, max_length=100),
    caller: Caller = OPERATE,
    podium: Podium = Depends(get_podium),
) -> TransferView:
    return planning.receive_transfer(podium.db, number, _keyed(body, idempotency_key), caller.actor)


@router.post(TR + "/{number}/cancel", response_model=TransferView)
def cancel_transfer(
    number: str, _: Caller = OPERATE, podium: Podium = Depends(get_podium)
) -> TransferView:
    return planning.cancel_transfer(podium.db, number)


@router.get("/planning/incoming", response_model=list[IncomingView])
def incoming(
    sku: Sku | None = Query(None),
    warehouse: Code | None = Query(None),
    _: Caller = READ,
    podium: Podium = Depends(get_podium),
) -> list[IncomingView]:
    """Units on open POs and transfers in transit, per SKU × warehouse, soonest first."""
    return planning.incoming(podium.db, sku=sku, warehouse=warehouse)


@router.get("/planning/preorder-caps", response_model=list[PreorderCapView])
def list_preorder_caps(
    _: Caller = READ, podium: Podium = Depends(get_podium)
) -> list[PreorderCapView]:
    """The channels that may sell ahead of incoming stock, with their caps."""
    return planning.list_preorder_caps(podium.db)


@router.put("/planning/preorder-caps/{channel}", response_model=PreorderCapView)
def set_preorder_cap(
    channel: Code, body: PreorderCapIn, _: Caller = OPERATE, podium: Podium = Depends(get_podium)
) -> PreorderCapView:
    """How many units of a SKU the channel may have sold ahead of the stock on sent purchase
    orders (null: none). An order short of stock within the cap is placed as a pre-order:
    held for stock, promised for the PO's expected day, reserved when the PO is received."""
    return planning.set_preorder_cap(podium.db, channel, body)
