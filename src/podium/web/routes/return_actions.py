"""What staff do to a return from its page, each through the returns use cases and allowed by
role as in the REST API: approve, reject, label and ship back (support and up), receive with
a disposition per unit (warehouse), refund, close and exchange (operator). Refused input or a
refused transition changes nothing and comes back as a flash message."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Request
from fastapi.responses import Response

from podium import returns
from podium.access import Permission
from podium.errors import DomainError
from podium.returns import buy_return_label, create_exchange
from podium.web.core import Posted, action, dashboard, redirect
from podium.web.formats import money
from podium.web.nav import NavItem
from podium.web.return_forms import (
    exchange_input,
    label_input,
    receive_input,
    refund_input,
    ship_back_input,
)

router = APIRouter(include_in_schema=False)
NAV: list[NavItem] = []


def _do(request: Request, return_id: str, step: Callable[[], str]) -> Response:
    """Run one use case; back to the return page with what happened or what was wrong."""
    try:
        message = step()
    except DomainError as exc:
        return redirect(request, f"/returns/{return_id}", exc.message, "error")
    return redirect(request, f"/returns/{return_id}", message)


@router.post("/returns/{return_id}/approve", response_model=None)
def approve(return_id: str, request: Request, posted: Posted = action(Permission.NOTE)) -> Response:
    db = dashboard(request).podium.db

    def step() -> str:
        returns.approve_return(db, return_id, posted.viewer.actor)
        return "Return approved."

    return _do(request, return_id, step)


@router.post("/returns/{return_id}/reject", response_model=None)
def reject(return_id: str, request: Request, posted: Posted = action(Permission.NOTE)) -> Response:
    db = dashboard(request).podium.db
    note = posted.get("note")[:1000] or None

    def step() -> str:
        returns.reject_return(db, return_id, posted.viewer.actor, note)
        return "Return rejected."

    return _do(request, return_id, step)


@router.post("/returns/{return_id}/label", response_model=None)
def buy_label(
    return_id: str, request: Request, posted: Posted = action(Permission.NOTE)
) -> Response:
    podium = dashboard(request).podium

    def step() -> str:
        bought = buy_return_label(
            podium.db, podium.carriers, return_id, label_input(posted), posted.viewer.actor
        )
        return (
            f"Return label bought: {bought.carrier_name} {bought.service}, "
            f"tracking {bought.tracking_number}."
        )

    return _do(request, return_id, step)


@router.post("/returns/{return_id}/label/void", response_model=None)
def void_label(
    return_id: str, request: Request, posted: Posted = action(Permission.NOTE)
) -> Response:
    podium = dashboard(request).podium

    def step() -> str:
        returns.void_return_label(podium.db, podium.carriers, return_id, posted.viewer.actor)
        return "Return label voided."

    return _do(request, return_id, step)


@router.post("/returns/{return_id}/ship", response_model=None)
def ship_back(
    return_id: str, request: Request, posted: Posted = action(Permission.NOTE)
) -> Response:
    db = dashboard(request).podium.db

    def step() -> str:
        returns.ship_back(db, return_id, ship_back_input(posted), posted.viewer.actor)
        return "The return is on its way back."

    return _do(request, return_id, step)


@router.post("/returns/{return_id}/receive", response_model=None)
def receive(
    return_id: str, request: Request, posted: Posted = action(Permission.FULFIL)
) -> Response:
    db = dashboard(request).podium.db

    def step() -> str:
        data = receive_input(posted)
        done = returns.receive_return(db, return_id, data, posted.viewer.actor)
        units = sum(ln.quantity for ln in data.lines)
        return f"Received {units} unit(s); the return is {done.status.replace('_', ' ')}."

    return _do(request, return_id, step)


@router.post("/returns/{return_id}/refund", response_model=None)
def refund(
    return_id: str, request: Request, posted: Posted = action(Permission.OPERATE)
) -> Response:
    podium = dashboard(request).podium

    def step() -> str:
        done = returns.refund_return(
            podium.db, return_id, refund_input(posted), podium.gateways, posted.viewer.actor
        )
        how = " as store credit" if done.method == "store_credit" else ""
        return f"Refunded {money(done.amount, done.currency)}{how}."

    return _do(request, return_id, step)


@router.post("/returns/{return_id}/close", response_model=None)
def close(
    return_id: str, request: Request, posted: Posted = action(Permission.OPERATE)
) -> Response:
    db = dashboard(request).podium.db

    def step() -> str:
        returns.close_return(db, return_id, posted.viewer.actor)
        return "Return closed."

    return _do(request, return_id, step)


@router.post("/returns/{return_id}/exchange", response_model=None)
def exchange(
    return_id: str, request: Request, posted: Posted = action(Permission.OPERATE)
) -> Response:
    podium = dashboard(request).podium

    def step() -> str:
        made = create_exchange(
            podium.db,
            return_id,
            exchange_input(posted),
            posted.viewer.actor,
            allocator=podium.allocator,
        )
        held = " (held until the return arrives)" if made.advance else ""
        return f"Replacement order {made.number} placed{held}."

    return _do(request, return_id, step)
