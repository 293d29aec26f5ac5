"""Carrier accounts, tracking webhooks and polling."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Header, Request

from podium import carriers
from podium.access import Permission
from podium.api.deps import Caller, get_podium, require
from podium.bootstrap import Podium
from podium.carriers import AccountIn, AccountView

router = APIRouter(tags=["carriers"])

READ = Depends(require(Permission.READ))
FULFIL = Depends(require(Permission.FULFIL))
ADMIN = Depends(require(Permission.ADMIN))


async def raw_body(request: Request) -> bytes:
    return await request.body()


@router.post("/carriers", status_code=201, response_model=AccountView)
def create_account(
    data: AccountIn, _: Caller = ADMIN, podium: Podium = Depends(get_podium)
) -> AccountView:
    """Configure a carrier account; secrets are stored and never shown again (masked)."""
    return carriers.create_account(podium.db, data)


@router.get("/carriers", response_model=dict[str, list[AccountView]])
def list_accounts(
    _: Caller = READ, podium: Podium = Depends(get_podium)
) -> dict[str, list[AccountView]]:
    return {"items": carriers.list_accounts(podium.db)}


@router.post("/carriers/{code}/webhooks")
def carrier_webhook(
    code: str,
    body: bytes = Depends(raw_body),
    x_hmac_signature: str | None = Header(default=None),
    podium: Podium = Depends(get_podium),
) -> dict[str, Any]:
    """EasyPost event deliveries (``tracker.updated``), signed with ``X-Hmac-Signature``."""
    return carriers.receive_webhook(podium.db, podium.carriers, code, body, x_hmac_signature)


@router.post("/carriers/poll", response_model=dict[str, int])
def poll(_: Caller = FULFIL, podium: Podium = Depends(get_podium)) -> dict[str, int]:
    """Ask carriers about every parcel on its way (the fallback for missed webhooks)."""
    r = carriers.poll(podium.db, podium.carriers)
    return {"checked": r.checked, "updated": r.updated, "failed": r.failed}
