"""Events as messages on the company's bus: pure, no I/O.

Each event goes out with the body a webhook receives (``notify.delivery_body``), to the
subject ``<prefix>.<event type>`` (NATS) or with the routing key ``<event type>`` on the topic
exchange ``<prefix>`` (RabbitMQ), carrying the outbox event id for the consumer's dedupe.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit, urlunsplit

from podium.events import Envelope
from podium.notify import delivery_body, encode_body

__all__ = [
    "AMQP",
    "CHECK_TYPE",
    "NATS",
    "Message",
    "by_aggregate",
    "check_message",
    "kind_of",
    "message",
    "redact",
]

NATS = "nats"
AMQP = "amqp"
# The type of the test message ``podium bus check`` publishes (not an outbox event).
CHECK_TYPE = "bus.check"


@dataclass(frozen=True, slots=True)
class Message:
    """One event as published: ``event_id`` is the dedupe id (``Nats-Msg-Id``, AMQP
    ``message_id``); ``subject`` the NATS subject, ``type`` the AMQP routing key."""

    event_id: str
    type: str
    subject: str
    aggregate: tuple[str, str]
    created_at: datetime
    body: bytes

    def headers(self) -> dict[str, str]:
        return {
            "Podium-Event-Id": self.event_id,
            "Podium-Event-Type": self.type,
            "Podium-Aggregate-Type": self.aggregate[0],
            "Podium-Aggregate-Id": self.aggregate[1],
        }


def kind_of(url: str) -> str:
    """``nats`` (``nats://``, ``tls://``) or ``amqp`` (``amqp://``, ``amqps://``)."""
    scheme = urlsplit(url).scheme.lower()
    if scheme in ("nats", "tls"):
        return NATS
    if scheme in ("amqp", "amqps"):
        return AMQP
    raise ValueError(f"not a NATS or AMQP URL: {redact(url)}")


def redact(url: str) -> str:
    """The URL as it may be shown: a password, or a NATS token (a user name alone), as ``***``."""
    parts = urlsplit(url)
    if parts.username is None:
        return url
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    auth = "***" if parts.password is None else f"{parts.username}:***"
    netloc = f"{auth}@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def message(envelope: Envelope, prefix: str) -> Message:
    e = envelope
    body = delivery_body(e.id, e.type, e.aggregate_type, e.aggregate_id, e.created_at, e.payload)
    return Message(
        event_id=str(e.id),
        type=e.type,
        subject=f"{prefix}.{e.type}",
        aggregate=(e.aggregate_type, e.aggregate_id),
        created_at=e.created_at,
        body=encode_body(body),
    )


def check_message(check_id: str, prefix: str, at: datetime) -> Message:
    """The test message of ``podium bus check`` (its own id, so it never dedupes an event)."""
    body = {
        "id": check_id,
        "type": CHECK_TYPE,
        "created_at": at.isoformat(),
        "aggregate": {"type": "bus", "id": check_id},
        "data": {},
    }
    return Message(
        event_id=check_id,
        type=CHECK_TYPE,
        subject=f"{prefix}.{CHECK_TYPE}",
        aggregate=("bus", check_id),
        created_at=at,
        body=encode_body(body),
    )


def by_aggregate(messages: Iterable[Message]) -> list[list[Message]]:
    """The messages grouped by aggregate, each group in the order given (oldest first)."""
    groups: dict[tuple[str, str], list[Message]] = {}
    for m in messages:
        groups.setdefault(m.aggregate, []).append(m)
    return list(groups.values())
