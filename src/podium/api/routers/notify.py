"""Customer e-mails sent for an order, and outgoing webhook subscriptions."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel

from podium import notify
from podium.access import Permission
from podium.api.deps import Caller, get_podium, require
from podium.api.paging import CURSOR_HELP, ListPage
from podium.bootstrap import Podium
from podium.notify import (
    PING,
    DeliveryView,
    NotificationView,
    RotateIn,
    WebhookIn,
    WebhookPatch,
    WebhookView,
    list_notifications,
)
from podium.validation import Email, Input

router = APIRouter()

READ = Depends(require(Permission.READ))
ADMIN = Depends(require(Permission.ADMIN))


class NotificationList(BaseModel):
    items: list[NotificationView]


class EmailPreview(BaseModel):
    subject: str
    text: str
    html: str


class WebhookList(BaseModel):
    items: list[WebhookView]


class DeliveryList(ListPage):
    items: list[DeliveryView]


@router.get(
    "/orders/{order_id}/notifications", tags=["notifications"], response_model=NotificationList
)
def order_notifications(
    order_id: str, _: Caller = READ, podium: Podium = Depends(get_podium)
) -> NotificationList:
    return NotificationList(items=list_notifications(podium.db, order_id))


@router.get(
    "/orders/{order_id}/notifications/preview", tags=["notifications"], response_model=EmailPreview
)
def preview_notification(
    order_id: str,
    event: str = Query(..., max_length=64, description="e.g. order.created, shipment.shipped"),
    _: Caller = READ,
    podium: Podium = Depends(get_podium),
) -> EmailPreview:
    rendered = podium.emailer.preview(event, order_id)
    return EmailPreview(subject=rendered.subject, text=rendered.text, html=rendered.html)


class TestEmailIn(Input):
    to: Email


class TestEmailSent(BaseModel):
    to: str
    message_id: str


@router.post(
    "/notifications/test", tags=["notifications"], status_code=201, response_model=TestEmailSent
)
def send_test_email(
    data: TestEmailIn, _: Caller = ADMIN, podium: Podium = Depends(get_podium)
) -> TestEmailSent:
    """Send a test e-mail through the configured SMTP server."""
    return TestEmailSent(to=data.to, message_id=podium.emailer.send_test(data.to))


@router.post("/webhooks", tags=["webhooks"], status_code=201, response_model=WebhookView)
def create_webhook(
    data: WebhookIn, _: Caller = ADMIN, podium: Podium = Depends(get_podium)
) -> WebhookView:
    return notify.create_subscription(
        podium.db, data, allow_private=podium.settings.webhooks_allow_private
    )


@router.get("/webhooks", tags=["webhooks"], response_model=WebhookList)
def list_webhooks(_: Caller = ADMIN, podium: Podium = Depends(get_podium)) -> WebhookList:
    return WebhookList(items=[_circuit(v, podium) for v in notify.list_subscriptions(podium.db)])


def _circuit(view: WebhookView, podium: Podium) -> WebhookView:
    return view.model_copy(update={"circuit": podium.webhooks.circuit(view.url)})


@router.get("/webhooks/{webhook_id}", tags=["webhooks"], response_model=WebhookView)
def get_webhook(
    webhook_id: str, _: Caller = ADMIN, podium: Podium = Depends(get_podium)
) -> WebhookView:
    return _circuit(notify.get_subscription(podium.db, webhook_id), podium)


@router.patch("/webhooks/{webhook_id}", tags=["webhooks"], response_model=WebhookView)
def update_webhook(
    webhook_id: str, data: WebhookPatch, _: Caller = ADMIN, podium: Podium = Depends(get_podium)
) -> WebhookView:
    return notify.update_subscription(
        podium.db, webhook_id, data, allow_private=podium.settings.webhooks_allow_private
    )


@router.delete("/webhooks/{webhook_id}", tags=["webhooks"], response_model=WebhookView)
def delete_webhook(
    webhook_id: str, _: Caller = ADMIN, podium: Podium = Depends(get_podium)
) -> WebhookView:
    return notify.delete_subscription(podium.db, webhook_id)


@router.post("/webhooks/{webhook_id}/rotate-secret", tags=["webhooks"], response_model=WebhookView)
def rotate_webhook_secret(
    webhook_id: str,
    data: RotateIn | None = None,
    _: Caller = ADMIN,
    podium: Podium = Depends(get_podium),
) -> WebhookView:
    """A new signing secret (in this answer only); the old one also signs until it expires."""
    return notify.rotate_secret(podium.db, webhook_id, data or RotateIn())


class PingQueued(BaseModel):
    queued: str


@router.post(
    "/webhooks/{webhook_id}/ping", tags=["webhooks"], status_code=202, response_model=PingQueued
)
def ping_webhook(
    webhook_id: str, _: Caller = ADMIN, podium: Podium = Depends(get_podium)
) -> PingQueued:
    """Send a signed ``webhook.ping`` event to this subscription (see its deliveries)."""
    notify.ping(podium.db, webhook_id)
    return PingQueued(queued=PING)


@router.post("/webhooks/{webhook_id}/resume", tags=["webhooks"], response_model=WebhookView)
def resume_webhook(
    webhook_id: str, _: Caller = ADMIN, podium: Podium = Depends(get_podium)
) -> WebhookView:
    view = notify.resume_subscription(podium.db, webhook_id)
    podium.webhooks.notify()
    return view


@router.get("/webhooks/{webhook_id}/deliveries", tags=["webhooks"], response_model=DeliveryList)
def list_deliveries(
    webhook_id: str,
    status: str | None = None,
    cursor: str | None = Query(None, description=CURSOR_HELP),
    limit: int = Query(50, ge=1, le=200),
    _: Caller = ADMIN,
    podium: Podium = Depends(get_podium),
) -> dict[str, object]:
    """Deliveries, newest first, in pages both ways with a capped `total`."""
    page = notify.list_deliveries(podium.db, webhook_id, status=status, cursor=cursor, limit=limit)
    return page.body()


@router.post(
    "/webhooks/{webhook_id}/deliveries/{delivery_id}/replay",
    tags=["webhooks"],
    response_model=DeliveryView,
)
def replay_delivery(
    webhook_id: str, delivery_id: str, _: Caller = ADMIN, podium: Podium = Depends(get_podium)
) -> DeliveryView:
    view = notify.replay_delivery(podium.db, webhook_id, delivery_id)
    podium.webhooks.notify()
    return view
