"""Shipments: the shipment record, its lines and its status machine (issue 13).

Routing creates shipments, fulfillment walks them through the warehouse, carriers track them;
this package owns the rows and the machine, so each of those talks to it rather than to one
another's store.
"""

from podium.shipments.model import (
    OPEN_STATUSES,
    SHIPPED_STATUSES,
    Shipment,
    ShipmentLine,
    ShipmentStatus,
    ShipmentView,
    check_shipment_transition,
    path_to,
    shipment_view,
)
from podium.shipments.service import (
    count_late,
    create_shipments,
    delete_line,
    get_shipment,
    in_flight,
    late_order_ids,
    lines_for,
    lock_pending,
    lock_shipment,
    open_allocations,
    open_counts,
    open_page,
    open_shipments_at,
    order_ids_at,
    set_line_quantity,
    shipments_for_orders,
    shipments_in,
    shipments_since,
    shipped_between,
    update_shipment,
    update_shipments,
)

__all__ = [
    "OPEN_STATUSES",
    "SHIPPED_STATUSES",
    "Shipment",
    "ShipmentLine",
    "ShipmentStatus",
    "ShipmentView",
    "check_shipment_transition",
    "count_late",
    "create_shipments",
    "delete_line",
    "get_shipment",
    "in_flight",
    "late_order_ids",
    "lines_for",
    "lock_pending",
    "lock_shipment",
    "open_allocations",
    "open_counts",
    "open_page",
    "open_shipments_at",
    "order_ids_at",
    "path_to",
    "set_line_quantity",
    "shipment_view",
    "shipments_for_orders",
    "shipments_in",
    "shipments_since",
    "shipped_between",
    "update_shipment",
    "update_shipments",
]
