"""Events to the company's message bus: the outbox's webhook-visible events published to NATS
JetStream or RabbitMQ by a relay subscriber, at least once, in order per aggregate."""

from podium.bus.model import (
    CHECK_TYPE,
)
from podium.bus.service import (
    Bus,
    BusState,
    CheckResult,
)

__all__ = ["CHECK_TYPE", "Bus", "BusState", "CheckResult"]
