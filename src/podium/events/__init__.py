"""The outbox: domain events written in the business transaction, delivered after commit."""

from podium.events._store import (
    emit,
    traceparents,
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
    Unavailable,
    backoff_delay,
)
from podium.events.relay import (
    Registry,
    Relay,
)
from podium.events.retention import (
    count_delivered_events,
    prune_delivered_events,
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
    "Unavailable",
    "backoff_delay",
    "count_delivered_events",
    "emit",
    "event_counts",
    "event_types",
    "key",
    "list_events",
    "omit_none",
    "outbox_backlog",
    "outbox_lag",
    "prune_delivered_events",
    "retry_dead_events",
    "retry_event",
    "traceparents",
    "webhook_types",
]
