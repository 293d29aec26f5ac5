"""Carriers: rate cards, rate shopping, labels and tracking, behind one interface."""

from podium.carriers.accounts import (
    Carriers,
    CarrierUnavailable,
    create_account,
    list_accounts,
)
from podium.carriers.manifest import (
    manifest as build_manifest,
)
from podium.carriers.manifest import (
    manifest_csv,
)
from podium.carriers.model import (
    AccountIn,
    AccountView,
    Carrier,
    CarrierError,
    LabelIn,
    RateRequest,
    Tracking,
)
from podium.carriers.parcels import (
    PollResult,
)
from podium.carriers.service import (
    LabelView,
    buy_label,
    carrier_label,
    current_labels,
    get_label,
    label_document,
    labels_for_order,
    void_label,
)
from podium.carriers.shopping import (
    carrier_for,
    shop,
)
from podium.carriers.subscribers import (
    on_order_cancelled,
)
from podium.carriers.tablerate import (
    SERVICES,
)
from podium.carriers.tracking import (
    poll,
    receive_webhook,
)

__all__ = [
    "SERVICES",
    "AccountIn",
    "AccountView",
    "Carrier",
    "CarrierError",
    "CarrierUnavailable",
    "Carriers",
    "LabelIn",
    "LabelView",
    "PollResult",
    "RateRequest",
    "Tracking",
    "build_manifest",
    "buy_label",
    "carrier_for",
    "carrier_label",
    "create_account",
    "current_labels",
    "get_label",
    "label_document",
    "labels_for_order",
    "list_accounts",
    "manifest_csv",
    "on_order_cancelled",
    "poll",
    "receive_webhook",
    "shop",
    "void_label",
]
