"""Telling people and systems what happened: customer e-mails from templates over SMTP, and
signed outgoing webhooks with retries, pausing and replay. Both hear about events from the
outbox relay."""

from podium.notify.dead_letters import (
    DeadLetter,
    DeadLetters,
    dead_letters,
    retry_all,
    retry_dead_letter,
)
from podium.notify.delivery import (
    Deliverer,
)
from podium.notify.emails import (
    Emailer,
    NotificationView,
    list_notifications,
)
from podium.notify.fanout import (
    enqueue_deliveries,
)
from podium.notify.mailer import (
    Mailer,
    MailServerDown,
)
from podium.notify.model import (
    EMAIL_EVENTS,
    PING,
    delivery_body,
    encode_body,
)
from podium.notify.retention import (
    count_settled_webhooks,
    prune_settled_webhooks,
)
from podium.notify.templates import (
    Renderer,
)
from podium.notify.webhooks import (
    DeliveryView,
    RotateIn,
    WebhookIn,
    WebhookPatch,
    WebhookView,
    create_subscription,
    delete_subscription,
    get_subscription,
    list_deliveries,
    list_subscriptions,
    ping,
    replay_delivery,
    resume_subscription,
    rotate_secret,
    update_subscription,
)

__all__ = [
    "EMAIL_EVENTS",
    "PING",
    "DeadLetter",
    "DeadLetters",
    "Deliverer",
    "DeliveryView",
    "Emailer",
    "MailServerDown",
    "Mailer",
    "NotificationView",
    "Renderer",
    "RotateIn",
    "WebhookIn",
    "WebhookPatch",
    "WebhookView",
    "count_settled_webhooks",
    "create_subscription",
    "dead_letters",
    "delete_subscription",
    "delivery_body",
    "encode_body",
    "enqueue_deliveries",
    "get_subscription",
    "list_deliveries",
    "list_notifications",
    "list_subscriptions",
    "ping",
    "prune_settled_webhooks",
    "replay_delivery",
    "resume_subscription",
    "retry_all",
    "retry_dead_letter",
    "rotate_secret",
    "update_subscription",
]
