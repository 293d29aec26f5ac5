"""Notifications and webhooks: pure rules, no I/O.

Which e-mail an event sends, which event types a webhook may subscribe to, how a delivery is
signed (and verified), and when a failing subscription is paused.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from podium.errors import ValidationFailed
from podium.events import Event, webhook_types
from podium.fulfillment import ShipmentDelivered, ShipmentOutForDelivery, ShipmentShipped
from podium.notify.events import WebhookPing
from podium.orders import OrderCancelled, OrderCreated, OrderPartiallyCancelled
from podium.returns import (
    RefundIssued,
    ReturnApproved,
    ReturnCreated,
    ReturnLabelCreated,
    ReturnReceived,
    ReturnRejected,
)

__all__ = [
    "EMAIL_EVENTS",
    "EMAIL_TEMPLATES",
    "EXCHANGE_SHIPPED",
    "PING",
    "SIGNATURE_HEADER",
    "TOLERANCE_SECONDS",
    "PausePolicy",
    "check_event_types",
    "delivery_body",
    "encode_body",
    "matches",
    "new_secret",
    "sign",
    "signature_header",
    "verify",
]

# The event → the e-mail template it sends to the customer.
EMAIL_EVENTS: dict[type[Event], str] = {
    OrderCreated: "order_confirmation",
    ShipmentShipped: "shipment_shipped",
    ShipmentOutForDelivery: "shipment_out_for_delivery",
    ShipmentDelivered: "shipment_delivered",
    OrderCancelled: "order_cancelled",
    OrderPartiallyCancelled: "order_partially_cancelled",
    RefundIssued: "refund_issued",
    ReturnCreated: "return_requested",
    ReturnApproved: "return_approved",
    ReturnLabelCreated: "return_label",
    ReturnRejected: "return_rejected",
    ReturnReceived: "return_received",
}
# A shipment of an exchange's replacement order (tagged ``exchange``) sends this instead.
EXCHANGE_SHIPPED = "exchange_shipped"
# The same by wire type (what a stored event or an e-mail row names).
EMAIL_TEMPLATES: dict[str, str] = {cls.TYPE: t for cls, t in EMAIL_EVENTS.items()}

# What a webhook may subscribe to: the event catalogue's webhook-visible names (the classes that
# say ``webhook=True``), ``<family>.*``, or ``*``. Read when a subscription is checked, not at
# import: a capability's events module imported after this one still counts (check_event_types).
SIGNATURE_HEADER = "Podium-Signature"
PING = WebhookPing.TYPE  # sent on request to one subscription, whatever its event types
TOLERANCE_SECONDS = 300


def check_event_types(types: list[str]) -> list[str]:
    """The subscription's event types, de-duplicated and sorted; refuses unknown ones."""
    if not types:
        raise ValidationFailed(
            "Subscribe to at least one event type (or '*').",
            code="invalid_event_type",
            details={"field": "event_types"},
        )
    known = webhook_types()
    families = frozenset(t.split(".", 1)[0] for t in known)
    for t in types:
        family = t[:-2] if t.endswith(".*") else None
        if t == "*" or t in known or family in families:
            continue
        raise ValidationFailed(
            f"Unknown event type {t!r}; use one of {', '.join(sorted(known))}, "
            "'<family>.*' or '*'.",
            code="invalid_event_type",
            details={"field": "event_types", "value": t},
        )
    return sorted(set(types))


def matches(subscribed: list[str], event_type: str) -> bool:
    family = event_type.split(".", 1)[0]
    return any(s in ("*", event_type, f"{family}.*") for s in subscribed)


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def delivery_body(
    event_id: int,
    event_type: str,
    aggregate_type: str,
    aggregate_id: str,
    created_at: datetime,
    payload: dict[str, Any],
) -> dict[str, Any]:
    return {
        "id": str(event_id),
        "type": event_type,
        "created_at": created_at.isoformat(),
        "aggregate": {"type": aggregate_type, "id": aggregate_id},
        "data": payload,
    }


def encode_body(body: dict[str, Any]) -> bytes:
    return json.dumps(body, separators=(",", ":"), sort_keys=True, ensure_ascii=False).encode()


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """HMAC-SHA256 (hex) over ``<timestamp>.<body>`` with the subscription's secret."""
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_header(secret: str, timestamp: int, body: bytes, *older: str) -> str:
    """``t=<unix>,v1=<hex>``, plus one more ``v1`` per older secret still valid (rotation)."""
    signatures = "".join(f",v1={sign(s, timestamp, body)}" for s in (secret, *older))
    return f"t={timestamp}{signatures}"


def verify(
    secret: str, header: str, body: bytes, now: int, tolerance: int = TOLERANCE_SECONDS
) -> bool:
    """The receiver's check: a ``v1`` signature matches and the timestamp is recent."""
    timestamp: int | None = None
    candidates: list[str] = []
    for item in header.split(","):
        key, _, value = item.strip().partition("=")
        if key == "t" and value.isdigit():
            timestamp = int(value)
        elif key == "v1":
            candidates.append(value)
    if timestamp is None or abs(now - timestamp) > tolerance:
        return False
    expected = sign(secret, timestamp, body)
    return any(hmac.compare_digest(expected, c) for c in candidates)


@dataclass(frozen=True, slots=True)
class PausePolicy:
    """Pause a subscription after ``failures`` consecutive failed attempts spanning at least
    ``seconds`` (a short outage retries; a dead endpoint stops being hammered)."""

    failures: int
    seconds: float

    def should_pause(
        self, consecutive_failures: int, failing_since: datetime | None, now: datetime
    ) -> bool:
        if consecutive_failures < self.failures or failing_since is None:
            return False
        return now - failing_since >= timedelta(seconds=self.seconds)
