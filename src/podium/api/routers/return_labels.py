"""Return labels: buy one for an approved RMA, read it, print it (PDF, ZPL), void it."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from podium import fulfillment, returns
from podium.access import Permission
from podium.api.deps import Caller, get_podium, require
from podium.api.routers.fulfillment import PDF, pdf
from podium.bootstrap import Podium
from podium.returns import ReturnLabelIn, ReturnLabelView, buy_return_label

router = APIRouter(tags=["returns"])

READ = Depends(require(Permission.READ))
NOTE = Depends(require(Permission.NOTE))


@router.post("/returns/{return_id}/label", status_code=201, response_model=ReturnLabelView)
def buy_label(
    return_id: str,
    data: ReturnLabelIn | None = None,
    caller: Caller = NOTE,
    podium: Podium = Depends(get_podium),
) -> ReturnLabelView:
    """Buy the label an approved return goes back with: ``carrier``/``service``, or send
    ``{}`` to rate-shop the cheapest; from the customer to the warehouse that shipped it (or
    the channel's return policy's ``warehouse``, or ``warehouse`` here)."""
    return buy_return_label(
        podium.db, podium.carriers, return_id, data or ReturnLabelIn(), caller.actor
    )


@router.get("/returns/{return_id}/label", response_model=ReturnLabelView)
def get_label(
    return_id: str, _: Caller = READ, podium: Podium = Depends(get_podium)
) -> ReturnLabelView:
    return returns.get_return_label(podium.db, return_id)


@router.post("/returns/{return_id}/label/void", status_code=204)
def void_label(
    return_id: str, caller: Caller = NOTE, podium: Podium = Depends(get_podium)
) -> Response:
    returns.void_return_label(podium.db, podium.carriers, return_id, caller.actor)
    return Response(status_code=204)


@router.get("/returns/{return_id}/label.pdf", response_class=Response, responses=PDF)
def label_pdf(return_id: str, _: Caller = READ, podium: Podium = Depends(get_podium)) -> Response:
    doc = returns.return_label_document(podium.db, return_id)
    return pdf(fulfillment.label_pdf(doc), f"return-label-{doc.tracking_number}.pdf")


@router.get("/returns/{return_id}/label.zpl", response_class=Response)
def label_zpl(return_id: str, _: Caller = READ, podium: Podium = Depends(get_podium)) -> Response:
    doc = returns.return_label_document(podium.db, return_id)
    return Response(fulfillment.label_zpl(doc), media_type="application/zpl")
