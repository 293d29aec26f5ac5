"""Health, the outbox (events and dead letters) and API keys."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from podium import access, events, lifecycle, notify
from podium.access import DEFAULT_ROLE, Permission
from podium.api.deps import Caller, get_podium, require
from podium.api.paging import CURSOR_HELP, ListPage
from podium.bootstrap import Podium
from podium.db.migrate import readiness
from podium.events import EventView
from podium.validation import Input

router = APIRouter()

READ = Depends(require(Permission.READ))
ADMIN = Depends(require(Permission.ADMIN))


@router.get("/health", tags=["system"])
def health(podium: Podium = Depends(get_podium)) -> dict[str, str]:
    """Liveness: the process answers (it does not touch the database). With a message bus
    configured, `bus` says whether its connection is `up`, `down` (the last attempt failed) or
    `idle` (nothing published yet), from memory: no round trip; `GET /api/v1/bus` tells more."""
    if podium.bus is None:
        return {"status": "ok"}
    return {"status": "ok", "bus": podium.bus.state().status}


class BusView(BaseModel):
    enabled: bool = Field(description="Whether PODIUM_BUS_URL is set.")
    status: str | None = Field(None, description="`up`, `down` or `idle` (nothing sent yet).")
    kind: str | None = Field(None, description="`nats` (JetStream) or `amqp` (RabbitMQ).")
    url: str | None = Field(None, description="The broker's URL, password hidden.")
    target: str | None = Field(None, description="The JetStream stream or RabbitMQ exchange.")
    connected: bool = False
    published: int = Field(0, description="Events published by this process since it started.")
    last_published_at: datetime | None = None
    last_error: str | None = Field(None, description="The last failure, until a publish works.")
    last_error_at: datetime | None = None


@router.get("/bus", tags=["system"], response_model=BusView)
def bus_state(_: Caller = READ, podium: Podium = Depends(get_podium)) -> BusView:
    """The message bus this process publishes events to (docs/operations.md "Events to your
    message bus"); the outbox (`GET /events`) shows what is still pending for it."""
    if podium.bus is None:
        return BusView(enabled=False)
    state = podium.bus.state()
    return BusView(
        enabled=True,
        status=state.status,
        kind=state.kind,
        url=state.url,
        target=state.target,
        connected=state.connected,
        published=state.published,
        last_published_at=state.last_published_at,
        last_error=state.last_error,
        last_error_at=state.last_error_at,
    )


class LastPruneView(BaseModel):
    at: datetime = Field(description="When the last retention pass (any node) finished.")
    deleted: dict[str, int] = Field(description="Rows it deleted, by table.")
    complete: bool = Field(description="False when it stopped with more rows due.")


class ReadyView(BaseModel):
    status: str = Field(description="`ready`.")
    revision: str | None = Field(description="The database's migration revision.")
    last_prune: LastPruneView | None = Field(
        None, description="The last retention pass (docs/operations.md, Data lifecycle)."
    )


@router.get(
    "/ready",
    tags=["system"],
    response_model=ReadyView,
    responses={503: {"description": "`database_unreachable` or `migrations_pending`."}},
)
def ready(podium: Podium = Depends(get_podium)) -> JSONResponse:
    """Readiness: 200 when the database answers and its schema is this version's, else 503
    with `database_unreachable` or `migrations_pending` (no key needed, like `/health`)."""
    state = readiness(podium.db.engine)
    if state.problem is None:
        pruned = lifecycle.last_prune(podium.db)
        last = (
            {"at": pruned.at.isoformat(), "deleted": pruned.deleted, "complete": pruned.complete}
            if pruned
            else None
        )
        return JSONResponse({"status": "ready", "revision": state.revision, "last_prune": last})
    details = {"revision": state.revision, "head": state.head} if state.head else {}
    return JSONResponse(
        {"error": {"code": state.problem, "message": state.message, "details": details}},
        status_code=503,
    )


class EventList(ListPage):
    items: list[EventView]
    counts: dict[str, int] = Field(description="Events by status, over the whole outbox.")


@router.get("/events", tags=["events"], response_model=EventList)
def list_events(
    status: str | None = None,
    cursor: str | None = Query(None, description=CURSOR_HELP),
    limit: int = Query(50, ge=1, le=500),
    _: Caller = READ,
    podium: Podium = Depends(get_podium),
) -> dict[str, object]:
    page = events.list_events(podium.db, status=status, cursor=cursor, limit=limit)
    return {**page.body(), "counts": events.event_counts(podium.db)}


@router.post("/events/{event_id}/retry", tags=["events"], response_model=EventView)
def retry_event(
    event_id: str, _: Caller = ADMIN, podium: Podium = Depends(get_podium)
) -> EventView:
    view = events.retry_event(podium.db, event_id)
    podium.relay.notify()
    return view


@router.get("/dead-letters", tags=["events"], response_model=notify.DeadLetters)
def dead_letters(
    limit: int = Query(50, ge=1, le=200),
    _: Caller = READ,
    podium: Podium = Depends(get_podium),
) -> notify.DeadLetters:
    """Dead-lettered events and given-up webhook deliveries together, newest first (up to
    ``limit`` of each kind), with the count of each."""
    return notify.dead_letters(podium.db, limit)


@router.post("/dead-letters/retry", tags=["events"], response_model=dict[str, int])
def retry_dead_letters(_: Caller = ADMIN, podium: Podium = Depends(get_podium)) -> dict[str, int]:
    """Every dead letter back in line at once (the platform is back); deliveries of paused
    webhooks wait for their resume."""
    counts = notify.retry_all(podium.db)
    podium.relay.notify()
    podium.webhooks.notify()
    return counts


@router.post("/dead-letters/{letter_id}/retry", tags=["events"], response_model=notify.DeadLetter)
def retry_dead_letter(
    letter_id: str, _: Caller = ADMIN, podium: Podium = Depends(get_podium)
) -> notify.DeadLetter:
    """One dead letter back in line: an event id or a webhook delivery id (``dlv_…``)."""
    letter = notify.retry_dead_letter(podium.db, letter_id)
    podium.relay.notify()
    podium.webhooks.notify()
    return letter


class KeyIn(Input):
    name: str = Field(min_length=1, max_length=200)
    role: str = Field(
        default=DEFAULT_ROLE.value,
        description="admin, operator, warehouse, support or readonly (the default: least "
        "privilege).",
    )


class KeyView(BaseModel):
    id: str
    name: str
    role: str
    prefix: str
    created_at: datetime
    revoked_at: datetime | None
    key: str | None = None


def _key_view(k: access.ApiKey, secret: str | None = None) -> KeyView:
    return KeyView(
        id=k.id,
        name=k.name,
        role=k.role,
        prefix=k.prefix,
        created_at=k.created_at,
        revoked_at=k.revoked_at,
        key=secret,
    )


@router.post("/keys", tags=["keys"], status_code=201, response_model=KeyView)
def create_key(data: KeyIn, _: Caller = ADMIN, podium: Podium = Depends(get_podium)) -> KeyView:
    key, secret = access.create_key(podium.db, data.name, data.role)
    return _key_view(key, secret)


@router.get("/keys", tags=["keys"], response_model=dict[str, list[KeyView]])
def list_keys(_: Caller = ADMIN, podium: Podium = Depends(get_podium)) -> dict[str, list[KeyView]]:
    return {"items": [_key_view(k) for k in access.list_keys(podium.db)]}


@router.delete("/keys/{key_id}", tags=["keys"], response_model=KeyView)
def revoke_key(key_id: str, _: Caller = ADMIN, podium: Podium = Depends(get_podium)) -> KeyView:
    revoked = access.revoke_key(podium.db, key_id)
    podium.keys.forget()
    return _key_view(revoked)
