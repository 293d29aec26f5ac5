"""The composition root: the one place that builds engines, stores, the relay and clients.

Nothing in Podium does work at import time; everything starts from ``bootstrap``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from decimal import Decimal
from types import ModuleType

import httpx

from podium import traces
from podium.access import KeyCache
from podium.automation import Automation
from podium.automation import events as automation_events
from podium.bus import Bus
from podium.carriers import Carriers
from podium.carriers import on_order_cancelled as void_labels
from podium.channels import SUBSCRIBER as SYNC_SUBSCRIBER
from podium.channels import (
    SYNC_EVENTS,
    ChannelRefundReceived,
    ChannelSync,
    Connectors,
    Pushers,
    build_connectors,
    on_refund_issued,
    on_shipment_shipped,
    use_allowance,
)
from podium.channels import events as channels_events
from podium.channels import on_order_cancelled as push_cancellations
from podium.config import Settings
from podium.db.database import Database
from podium.db.engine import build_engine
from podium.db.migrate import upgrade
from podium.db.secrets import use_keys
from podium.events import Envelope, Event, Registry, Relay, webhook_types
from podium.fulfillment import (
    RELEASE_TRIGGERS,
    ShipmentReleased,
    ShipmentShipped,
    on_order_cancelled,
    on_order_ready,
    on_released,
)
from podium.fulfillment import events as fulfillment_events
from podium.geo import Geocoder
from podium.inventory import InventoryChanged
from podium.inventory import events as inventory_events
from podium.notify import (
    EMAIL_EVENTS,
    PING,
    Deliverer,
    Emailer,
    Mailer,
    Renderer,
    enqueue_deliveries,
)
from podium.notify import events as notify_events
from podium.orders import OrderCancelled, OrderCreated, OrderEdited, OrderPartiallyCancelled
from podium.orders import events as orders_events
from podium.payments import Gateways, build_stripe, on_order_events
from podium.payments import events as payments_events
from podium.planning import PreorderBook, PreorderCapacityChanged, preorder_allowance
from podium.planning import events as planning_events
from podium.resilience import BreakerPolicy, Breakers, Timeouts
from podium.returns import RefundIssued, ReturnParcels, ReturnRejected, on_channel_refund
from podium.returns import events as returns_events
from podium.returns import on_return_rejected as void_return_labels
from podium.risk import RiskSettings
from podium.routing import RoutingAllocator, on_inventory_changed
from podium.routing import events as routing_events
from podium.shopper import Shopper

__all__ = ["Podium", "bootstrap"]


@dataclass
class Podium:
    settings: Settings
    db: Database
    registry: Registry
    relay: Relay
    geocoder: Geocoder
    # Routing's side of orders.allocator.Allocator: placement, edits and hold release take it.
    allocator: RoutingAllocator
    keys: KeyCache
    emailer: Emailer
    webhooks: Deliverer
    connectors: Connectors
    channel_sync: ChannelSync
    pushers: Pushers
    carriers: Carriers = field(default_factory=Carriers)
    gateways: Gateways = field(default_factory=Gateways)
    # The shopper's way in (tracking tokens, the look-up by number and e-mail).
    shopper: Shopper = field(kw_only=True)
    # The company's message bus (PODIUM_BUS_URL); None when unset.
    bus: Bus | None = field(default=None, kw_only=True)

    def close(self) -> None:
        self.relay.stop()
        if self.bus is not None:
            self.bus.close()
        self.pushers.stop()
        self.webhooks.close()
        self.carriers.close()
        self.db.dispose()


def risk_settings(settings: Settings) -> RiskSettings:
    """Risk thresholds and the address policy from the environment's settings."""
    return RiskSettings(
        medium_score=settings.risk_medium_score,
        high_score=max(settings.risk_high_score, settings.risk_medium_score),
        first_order_value=Decimal(settings.risk_first_order_value),
        velocity_window_minutes=settings.risk_velocity_window_minutes,
        velocity_limit=settings.risk_velocity_limit,
        po_box_refused_by=frozenset(settings.address_po_box_refused_by),
        extra_forwarders=settings.risk_forwarders,
        enabled=settings.risk_enabled,
    )


# A cancellation (whole, or of a partly shipped order's unshipped units) cancels shipments:
# the 3PL hears of them, their labels are voided, the payment policy runs again.
CANCELLED_EVENTS: tuple[type[Event], ...] = (OrderCancelled, OrderPartiallyCancelled)

# The events automation rules hear (automation.TRIGGER_OF says which trigger each one is).
AUTOMATION_EVENTS: tuple[type[Event], ...] = (
    OrderCreated,
    OrderEdited,
    payments_events.PaymentRecorded,
    payments_events.PaymentDisputed,
    returns_events.ReturnReceived,
    automation_events.ShipmentLate,
    inventory_events.InventoryChanged,
)

# Every capability's events module. Importing them registers their classes in the event
# catalogue (podium.events.catalogue, the bottom layer, imports no capability): the
# composition root is where the catalogue is known to be complete.
EVENT_MODULES: tuple[ModuleType, ...] = (
    automation_events,
    channels_events,
    fulfillment_events,
    inventory_events,
    notify_events,
    orders_events,
    payments_events,
    planning_events,
    returns_events,
    routing_events,
)


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
    use_keys(settings.encryption_keys)
    traces.configure(settings.traces)
    engines = [
        build_engine(
            url,
            pool_size=settings.db_pool_size,
            busy_timeout_seconds=settings.db_busy_timeout_seconds,
        )
        for url in (settings.database_url, settings.database_read_url)
        if url
    ]
    db = Database(*engines)
    for engine in engines:
        traces.instrument_engine(engine)
    if migrate:
        upgrade(db.engine)
    registry = Registry()
    registry.subscribe("event-log", _log_event)
    # Stock first: subscribers run one after another in each relay pass, and a channel
    # showing stock that is already sold is the costliest thing to keep waiting.
    connectors = build_connectors()
    channel_sync = ChannelSync(db, connectors)
    # The relay only marks listings; each channel's pusher tells its platform, paced.
    pushers = Pushers(db, connectors, settings)
    channel_sync.on_marked = pushers.notify
    # Channels publish their pre-order allowance on top of their stock, told again when it moves.
    use_allowance(preorder_allowance)
    registry.subscribe_batch(
        SYNC_SUBSCRIBER, channel_sync.on_events, [*SYNC_EVENTS, PreorderCapacityChanged]
    )
    registry.subscribe_batch("backorders", on_inventory_changed(db), [InventoryChanged])
    carriers = Carriers(
        httpx.Client(timeout=30),
        Timeouts(
            settings.outbound_connect_seconds,
            settings.carrier_timeout_seconds,
            settings.carrier_timeout_seconds,
        ),
        Breakers("carrier", BreakerPolicy.of(settings)),
    )
    carriers.track_also(ReturnParcels())
    gateways = Gateways()
    gateways.add_type("stripe", build_stripe)  # accounts configured in payment_gateways
    # Automation rules run before the release: a rule's hold lands before the warehouse
    # is given the order (subscribers run in this order within a relay pass).
    registry.subscribe("automation", Automation(db, gateways).on_event, AUTOMATION_EVENTS)
    registry.subscribe_batch("fulfilment-release", on_order_ready(db), RELEASE_TRIGGERS)
    handoffs = Breakers("handoff", BreakerPolicy.of(settings))  # one circuit per 3PL host
    registry.subscribe_batch(
        "warehouse-handoff",
        on_released(db, carriers.http, settings, handoffs),
        [ShipmentReleased],
    )
    registry.subscribe(
        "warehouse-cancel",
        on_order_cancelled(db, carriers.http, settings, handoffs),
        CANCELLED_EVENTS,
    )
    registry.subscribe("label-void", void_labels(db, carriers), CANCELLED_EVENTS)
    registry.subscribe("return-label-void", void_return_labels(db, carriers), [ReturnRejected])
    shopper = Shopper(db, settings.secret_key, settings.shopper_url)
    emailer = Emailer(db, Mailer(settings), Renderer(settings.templates_dir), shopper)
    if emailer.mailer.enabled:
        registry.subscribe(
            "customer-email",
            emailer.on_event,
            [*EMAIL_EVENTS, automation_events.AutomationEmail, automation_events.StockNotified],
        )
    webhooks = Deliverer(db, settings)
    registry.subscribe_batch("webhooks", enqueue_deliveries(db, webhooks.notify))
    registry.subscribe("channel-fulfilment", on_shipment_shipped(db, connectors), [ShipmentShipped])
    registry.subscribe_batch(
        "payments",
        on_order_events(db, gateways),
        [OrderCreated, OrderEdited, *CANCELLED_EVENTS, ShipmentShipped],
    )
    registry.subscribe("channel-refunds", on_channel_refund(db, gateways), [ChannelRefundReceived])
    # Refunds and cancellations made in Podium, made on the platform that took the money.
    registry.subscribe("channel-refund-push", on_refund_issued(db, connectors), [RefundIssued])
    registry.subscribe("channel-cancel-push", push_cancellations(db, connectors), [OrderCancelled])
    # The same events as webhooks, with the same bodies (ping is for one webhook only).
    bus = Bus.from_settings(settings, webhook_types() - {PING})
    if bus is not None:
        registry.subscribe_batch("bus", bus.on_events)
    relay = Relay(db, registry, settings)
    db.on_commit(relay.notify)
    geocoder = geocoder or Geocoder()
    return Podium(
        settings,
        db,
        registry,
        relay,
        geocoder,
        RoutingAllocator(geocoder, risk_settings(settings), PreorderBook()),
        KeyCache(db),
        emailer=emailer,
        webhooks=webhooks,
        connectors=connectors,
        channel_sync=channel_sync,
        pushers=pushers,
        carriers=carriers,
        gateways=gateways,
        shopper=shopper,
        bus=bus,
    )
