"""Channel connectors: capture orders from Shopify, WooCommerce and Amazon, and push every
channel the stock it may sell, within a second of each change."""

from podium.channels.allowance import (
    Allowance,
    use_allowance,
)
from podium.channels.connector import (
    Connectors,
)
from podium.channels.events import (
    ChannelRefundReceived,
)
from podium.channels.fulfilment import (
    on_shipment_shipped,
)
from podium.channels.health import (
    Health,
    overview,
    sync_lags,
    worst_lag,
)
from podium.channels.health import (
    health as channel_health,
)
from podium.channels.money_push import (
    on_order_cancelled,
    on_refund_issued,
)
from podium.channels.partial_cancel_push import (
    on_order_partially_cancelled,
)
from podium.channels.pusher import (
    Pushers,
)
from podium.channels.records import (
    ChannelIn,
    create_channel,
    get_channel,
    list_channels,
)
from podium.channels.registry import (
    build_connectors,
    spec_for,
    specs,
)
from podium.channels.service import (
    ListingIn,
    ListingView,
    WebhookResult,
    delete_listing,
    get_listing,
    learn_listings,
    list_listings,
    poll,
    put_listing,
    receive_webhook,
    update_settings,
)
from podium.channels.sync import (
    SUBSCRIBER,
    SYNC_EVENTS,
    ChannelSync,
)

__all__ = [
    "SUBSCRIBER",
    "SYNC_EVENTS",
    "Allowance",
    "ChannelIn",
    "ChannelRefundReceived",
    "ChannelSync",
    "Connectors",
    "Health",
    "ListingIn",
    "ListingView",
    "Pushers",
    "WebhookResult",
    "build_connectors",
    "channel_health",
    "create_channel",
    "delete_listing",
    "get_channel",
    "get_listing",
    "learn_listings",
    "list_channels",
    "list_listings",
    "on_order_cancelled",
    "on_order_partially_cancelled",
    "on_refund_issued",
    "on_shipment_shipped",
    "overview",
    "poll",
    "put_listing",
    "receive_webhook",
    "spec_for",
    "specs",
    "sync_lags",
    "update_settings",
    "use_allowance",
    "worst_lag",
]
