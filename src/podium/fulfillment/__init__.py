"""Fulfilment: shipments through the warehouse (release, pick lists, short picks, packing
documents, 3PL hand-off). The shipment record itself is ``podium.shipments``."""

from podium.fulfillment.documents import (
    LabelDoc,
    ManifestDoc,
    ManifestRow,
    label_pdf,
    manifest_pdf,
    packing_slip_pdf,
    pick_list_pdf,
)
from podium.fulfillment.events import (
    ShipmentDelivered,
    ShipmentOutForDelivery,
    ShipmentReleased,
    ShipmentShipped,
)
from podium.fulfillment.handoff import (
    on_order_cancelled,
    on_released,
)
from podium.fulfillment.model import (
    BinIn,
    LabelFormat,
    PickListIn,
    PickListView,
    SettingsIn,
    SettingsView,
    ShortLineIn,
    ShortPickIn,
    mask,
)
from podium.fulfillment.paperwork import (
    address_lines,
    packing_slip_document,
    shipped_on,
    weights,
)
from podium.fulfillment.picking import (
    create_pick_list,
    get_pick_list,
    pick_list_document,
    short_pick,
    warehouse_queue,
)
from podium.fulfillment.queue import (
    OPEN,
    ToShip,
    late_shipments,
    open_counts,
    recent_pick_lists,
    to_ship,
)
from podium.fulfillment.release import (
    RELEASE_TRIGGERS,
    change_settings,
    get_settings,
    on_order_ready,
    put_bin,
    put_settings,
    release_wave,
)
from podium.fulfillment.service import (
    PromiseIn,
    ShipIn,
    apply_tracking,
    attach_label,
    get_shipment,
    pack_shipment,
    pick_shipment,
    set_promise,
    ship_shipment,
)
from podium.fulfillment.zpl import (
    label_zpl,
)

__all__ = [
    "OPEN",
    "RELEASE_TRIGGERS",
    "BinIn",
    "LabelDoc",
    "LabelFormat",
    "ManifestDoc",
    "ManifestRow",
    "PickListIn",
    "PickListView",
    "PromiseIn",
    "SettingsIn",
    "SettingsView",
    "ShipIn",
    "ShipmentDelivered",
    "ShipmentOutForDelivery",
    "ShipmentReleased",
    "ShipmentShipped",
    "ShortLineIn",
    "ShortPickIn",
    "ToShip",
    "address_lines",
    "apply_tracking",
    "attach_label",
    "change_settings",
    "create_pick_list",
    "get_pick_list",
    "get_settings",
    "get_shipment",
    "label_pdf",
    "label_zpl",
    "late_shipments",
    "manifest_pdf",
    "mask",
    "on_order_cancelled",
    "on_order_ready",
    "on_released",
    "open_counts",
    "pack_shipment",
    "packing_slip_document",
    "packing_slip_pdf",
    "pick_list_document",
    "pick_list_pdf",
    "pick_shipment",
    "put_bin",
    "put_settings",
    "recent_pick_lists",
    "release_wave",
    "set_promise",
    "ship_shipment",
    "shipped_on",
    "short_pick",
    "to_ship",
    "warehouse_queue",
    "weights",
]
