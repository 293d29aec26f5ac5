"""The outbox: domain events written in the business transaction, delivered after commit."""

from podium.events._store import (
    emit,
)
from podium.events.catalogue import (
    SPREAD,
    Event,
    event_types,
    key,
    omit_none,
    webhook_types,
)
from podium.events.lag import (
    Backlog,
    outbox_backlog,
    outbox_lag,
)
from podium.events.model import (
    Envelope,
    backoff_delay,
)
from podium.events.relay import (
    Registry,
    Relay,
)
from podium.events.service import (
    EventView,
    event_counts,
    list_events,
    retry_dead_events,
    retry_event,
)

__all__ = [
    "SPREAD",
    "Backlog",
    "Envelope",
    "Event",
    "EventView",
    "Registry",
    "Relay",
    "backoff_delay",
    "emit",
    "event_counts",
    "event_types",
    "key",
    "list_events",
    "omit_none",
    "outbox_backlog",
    "outbox_lag",
    "retry_dead_events",
    "retry_event",
    "webhook_types",
]
