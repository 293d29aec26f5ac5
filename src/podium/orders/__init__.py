"""The order aggregate: placement, status machine, holds, notes, cancellation, timeline."""

from podium.orders.allocator import (
    Allocated,
    Allocator,
    Preorders,
    RoutePlan,
    Want,
)
from podium.orders.archive import (
    archive_timeline,
    count_timeline_to_archive,
)
from podium.orders.attributes import (
    SERVICE_LEVELS,
    set_priority,
    set_service_level,
)
from podium.orders.backordered import (
    Waiting,
    backordered_units,
    waiting_lines,
)
from podium.orders.cancellation import (
    Cancellation,
    cancel_in_transaction,
    cancel_order,
)
from podium.orders.customers import (
    customer_order_count,
)
from podium.orders.edits import (
    EDITABLE,
    OrderEditIn,
    edit_in_transaction,
    locate,
)
from podium.orders.events import (
    OrderCancelled,
    OrderCreated,
    OrderEdited,
    OrderEvent,
    OrderPartiallyCancelled,
    OrderPartiallyShipped,
    OrderPromiseChanged,
    OrderReady,
)
from podium.orders.exceptions import (
    open_hold_counts,
    short_lines,
)
from podium.orders.exceptions import (
    open_holds as held_orders_by_reason,
)
from podium.orders.facts import (
    OrderFacts,
    order_facts,
    order_for_customer,
)
from podium.orders.handing import (
    HandOverIn,
    hand_over_order,
)
from podium.orders.handover import (
    HANDED_OVER_TAGS,
    handed_over_of,
)
from podium.orders.holds import (
    Hold,
    awaiting_stock,
    held_by_reason,
    open_holds,
    put_on_backorder,
    put_on_hold,
    release_holds,
)
from podium.orders.journal import (
    Batch,
    add_entry,
    record,
)
from podium.orders.lifecycle import (
    add_note,
    get_order,
    hold_order,
    list_orders,
    locked_order,
    release_in_transaction,
    release_order,
    sync_status,
)
from podium.orders.lifecycle import (
    timeline as order_timeline,
)
from podium.orders.lookup import (
    briefs,
    by_external_ids,
)
from podium.orders.model import (
    NUMBER_PREFIX,
    CustomerIn,
    HoldIn,
    LineIn,
    NoteIn,
    OrderIntake,
    OrderPaymentIn,
    OrderView,
    TimelineEntry,
    price,
    taxes_included_of,
)
from podium.orders.money import (
    RefundQuote,
    quote_refund,
)
from podium.orders.payment_status import (
    set_payment_statuses,
)
from podium.orders.placement import (
    destination_of,
    place_order,
    place_within,
)
from podium.orders.promises import (
    change_promise,
    preordered,
)
from podium.orders.queue import (
    SORTS,
    QueueQuery,
    held_order_ids,
    param_date,
    param_error,
    past_promise_ids,
    search_orders,
)
from podium.orders.records import (
    find_order,
    latest_orders,
    lock_order_heads,
    order_lines,
    order_numbers,
    orders_by_id,
    rename_line_sku,
    require_order,
)
from podium.orders.reports import (
    SalesLine,
    demand_lines,
    order_channels,
    orders_placed,
    sales_lines,
)
from podium.orders.risk_review import (
    approve_risk,
    reject_risk_in_transaction,
    risk_review_queue,
)
from podium.orders.stats import (
    channel_orders,
    last_order_at,
    overview,
)
from podium.orders.status import (
    HoldReason,
    OrderStatus,
)
from podium.orders.tags import (
    MAX_TAG_LENGTH,
    MAX_TAGS,
    RESERVED_TAG_PREFIXES,
    TagsIn,
    change_tags,
    tag_order,
)
from podium.orders.timeline import (
    TimelineRow,
    add_timeline,
    has_entry,
)
from podium.orders.views import (
    order_views,
)

__all__ = [
    "EDITABLE",
    "HANDED_OVER_TAGS",
    "MAX_TAGS",
    "MAX_TAG_LENGTH",
    "NUMBER_PREFIX",
    "RESERVED_TAG_PREFIXES",
    "SERVICE_LEVELS",
    "SORTS",
    "Allocated",
    "Allocator",
    "Batch",
    "Cancellation",
    "CustomerIn",
    "HandOverIn",
    "Hold",
    "HoldIn",
    "HoldReason",
    "LineIn",
    "NoteIn",
    "OrderCancelled",
    "OrderCreated",
    "OrderEditIn",
    "OrderEdited",
    "OrderEvent",
    "OrderFacts",
    "OrderIntake",
    "OrderPartiallyCancelled",
    "OrderPartiallyShipped",
    "OrderPaymentIn",
    "OrderPromiseChanged",
    "OrderReady",
    "OrderStatus",
    "OrderView",
    "Preorders",
    "QueueQuery",
    "RefundQuote",
    "RoutePlan",
    "SalesLine",
    "TagsIn",
    "TimelineEntry",
    "TimelineRow",
    "Waiting",
    "Want",
    "add_entry",
    "add_note",
    "add_timeline",
    "approve_risk",
    "archive_timeline",
    "awaiting_stock",
    "backordered_units",
    "briefs",
    "by_external_ids",
    "cancel_in_transaction",
    "cancel_order",
    "change_promise",
    "change_tags",
    "channel_orders",
    "count_timeline_to_archive",
    "customer_order_count",
    "demand_lines",
    "destination_of",
    "edit_in_transaction",
    "find_order",
    "get_order",
    "hand_over_order",
    "handed_over_of",
    "has_entry",
    "held_by_reason",
    "held_order_ids",
    "held_orders_by_reason",
    "hold_order",
    "last_order_at",
    "latest_orders",
    "list_orders",
    "locate",
    "lock_order_heads",
    "locked_order",
    "open_hold_counts",
    "open_holds",
    "order_channels",
    "order_facts",
    "order_for_customer",
    "order_lines",
    "order_numbers",
    "order_timeline",
    "order_views",
    "orders_by_id",
    "orders_placed",
    "overview",
    "param_date",
    "param_error",
    "past_promise_ids",
    "place_order",
    "place_within",
    "preordered",
    "price",
    "put_on_backorder",
    "put_on_hold",
    "quote_refund",
    "record",
    "reject_risk_in_transaction",
    "release_holds",
    "release_in_transaction",
    "release_order",
    "rename_line_sku",
    "require_order",
    "risk_review_queue",
    "sales_lines",
    "search_orders",
    "set_payment_statuses",
    "set_priority",
    "set_service_level",
    "short_lines",
    "sync_status",
    "tag_order",
    "taxes_included_of",
    "waiting_lines",
]
