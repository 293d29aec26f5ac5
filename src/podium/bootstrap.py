"""The composition root: the one place that builds engines, stores, the relay and clients.

Nothing in Podium does work at import time; everything starts from ``bootstrap``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from podium.access.service import KeyCache
from podium.config import Settings
from podium.db.database import Database
from podium.db.engine import build_engine
from podium.db.migrate import upgrade
from podium.events.model import Envelope
from podium.events.relay import Registry, Relay
from podium.orders.replenish import on_inventory_changed
from podium.payments.gateways import Gateways
from podium.payments.service import on_order_events
from podium.routing.geo import Geocoder

__all__ = ["Podium", "bootstrap"]


@dataclass
class Podium:
    settings: Settings
    db: Database
    registry: Registry
    relay: Relay
    geocoder: Geocoder
    keys: KeyCache
    gateways: Gateways = field(default_factory=Gateways)

    def close(self) -> None:
        self.relay.stop()
        self.db.dispose()


def _log_event(envelope: Envelope) -> None:
    logging.getLogger("podium.events").debug(
        "%s %s/%s %s",
        envelope.type,
        envelope.aggregate_type,
        envelope.aggregate_id,
        envelope.payload,
    )


def bootstrap(
    settings: Settings | None = None, *, migrate: bool = True, geocoder: Geocoder | None = None
) -> Podium:
    settings = settings or Settings.from_env()
    db = Database(build_engine(settings.database_url, pool_size=settings.db_pool_size))
    if migrate:
        upgrade(db.engine)
    registry = Registry()
    registry.subscribe("event-log", _log_event)
    registry.subscribe_batch("backorders", on_inventory_changed(db), {"inventory.changed"})
    gateways = Gateways()
    registry.subscribe_batch(
        "payments",
        on_order_events(db, gateways),
        {"order.created", "order.edited", "order.cancelled", "shipment.shipped"},
    )
    relay = Relay(db, registry, settings)
    db.on_commit(relay.notify)
    return Podium(settings, db, registry, relay, geocoder or Geocoder(), KeyCache(db), gateways)
