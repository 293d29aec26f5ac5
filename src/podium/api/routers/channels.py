"""Channel connectors: platform webhooks (signed, no bearer key), listings, settings, health,
sync, reconciliation and polling."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Depends, Query, Request, Response
from pydantic import BaseModel

from podium import channels
from podium.access import Permission
from podium.api.deps import Caller, get_podium, require
from podium.api.paging import CURSOR_HELP, ListPage
from podium.bootstrap import Podium
from podium.channels import Health, ListingIn, ListingView, WebhookResult, channel_health
from podium.validation import Sku

router = APIRouter(tags=["channels"])

READ = Depends(require(Permission.READ))
OPERATE = Depends(require(Permission.OPERATE))
ADMIN = Depends(require(Permission.ADMIN))


class DriftView(BaseModel):
    sku: str
    publishes: int
    shows: int | None
    last_pushed: int | None


class Reconciled(BaseModel):
    channel: str
    checked: int
    drift: list[DriftView]
    fixed: bool


@router.post(
    "/channels/{code}/webhooks",
    response_model=WebhookResult,
    openapi_extra={"security": []},
    summary="A platform's own webhook delivery, unchanged (signature checked, no API key)",
)
async def webhook(code: str, request: Request) -> Response:
    podium: Podium = request.app.state.podium
    body = await request.body()
    headers = {k.lower(): v for k, v in request.headers.items()}
    from anyio import to_thread

    result = await to_thread.run_sync(
        channels.receive_webhook,
        podium.db,
        podium.connectors,
        podium.allocator,
        code,
        headers,
        body,
    )
    return Response(result.model_dump_json(), status_code=200, media_type="application/json")


@router.put("/channels/{code}/listings/{sku}", response_model=ListingView)
def put_listing(
    code: str,
    sku: Sku,
    data: ListingIn,
    _: Caller = OPERATE,
    podium: Podium = Depends(get_podium),
) -> ListingView:
    view, _created = channels.put_listing(podium.db, code, sku, data)
    return view


@router.post("/channels/{code}/listings/learn", response_model=dict[str, int])
def learn_listings(
    code: str, _: Caller = OPERATE, podium: Podium = Depends(get_podium)
) -> dict[str, int]:
    """List every SKU the platform sells that Podium knows (matched on SKU), and push it."""
    return channels.learn_listings(podium.db, podium.connectors, code)


@router.delete("/channels/{code}/listings/{sku}", status_code=204)
def delete_listing(
    code: str, sku: str, _: Caller = OPERATE, podium: Podium = Depends(get_podium)
) -> Response:
    channels.delete_listing(podium.db, code, sku)
    return Response(status_code=204)


@router.get("/channels/{code}/listings/{sku}", response_model=ListingView)
def get_listing(
    code: str, sku: str, _: Caller = READ, podium: Podium = Depends(get_podium)
) -> ListingView:
    return channels.get_listing(podium.db, code, sku)


class ListingList(ListPage):
    items: list[ListingView]


@router.get("/channels/{code}/listings", response_model=ListingList)
def list_listings(
    code: str,
    cursor: str | None = Query(None, description=CURSOR_HELP),
    limit: int = Query(100, ge=1, le=1000),
    _: Caller = READ,
    podium: Podium = Depends(get_podium),
) -> dict[str, object]:
    """The channel's listings by SKU, in pages both ways with a capped `total`."""
    return channels.list_listings(podium.db, code, cursor=cursor, limit=limit).body()


@router.patch("/channels/{code}/settings", response_model=dict[str, Any])
def patch_settings(
    code: str,
    changes: dict[str, Any] = Body(...),
    _: Caller = ADMIN,
    podium: Podium = Depends(get_podium),
) -> dict[str, Any]:
    """Change settings (e.g. rotate ``webhook_secret`` keeping ``previous_webhook_secret``);
    ``null`` removes a key. Secrets come back masked."""
    return channels.update_settings(podium.db, code, changes)


@router.get("/channels/{code}/health", response_model=Health)
def health(code: str, _: Caller = READ, podium: Podium = Depends(get_podium)) -> Health:
    found = channel_health(podium.db, code)
    circuit, retry_in = podium.pushers.circuit(code)
    return found.model_copy(update={"circuit": circuit, "circuit_retry_in_seconds": retry_in})


@router.post("/channels/{code}/sync", response_model=dict[str, int])
def sync(code: str, _: Caller = OPERATE, podium: Podium = Depends(get_podium)) -> dict[str, int]:
    """Push every listing's count to the platform now."""
    return {"pushed": podium.channel_sync.sync_channel(code)}


@router.post("/channels/{code}/reconcile", response_model=Reconciled)
def reconcile(
    code: str,
    fix: bool = False,
    _: Caller = OPERATE,
    podium: Podium = Depends(get_podium),
) -> Reconciled:
    checked, drift = podium.channel_sync.reconcile(code, fix=fix)
    return Reconciled(
        channel=code,
        checked=checked,
        drift=[
            DriftView(sku=d.sku, publishes=d.publishes, shows=d.shows, last_pushed=d.last_pushed)
            for d in drift
        ],
        fixed=fix,
    )


@router.post("/channels/{code}/poll", response_model=dict[str, int])
def poll(code: str, _: Caller = OPERATE, podium: Podium = Depends(get_podium)) -> dict[str, int]:
    """Fetch orders changed on the platform since the last poll (Amazon)."""
    return channels.poll(podium.db, podium.connectors, podium.allocator, code)
