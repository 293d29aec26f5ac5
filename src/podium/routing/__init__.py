"""Routing: where an order ships from. Rules and the optimiser, allocation (plan, reserve,
create shipments; ``RoutingAllocator`` is orders' ``Allocator``), backorders, re-routes, waves."""

from podium.routing.allocator import (
    RoutingAllocator,
)
from podium.routing.queues import (
    queue_orders,
)
from podium.routing.queues import (
    queues as hold_queues,
)
from podium.routing.replays import (
    compare,
    orders_from_file,
    recent_orders,
)
from podium.routing.replenish import (
    fill_backorders,
    on_inventory_changed,
)
from podium.routing.reroute import (
    REROUTABLE,
    constrain_order,
    reject_shipment,
    reroute_shipment,
    reroute_warehouse,
)
from podium.routing.rules import (
    RuleSet,
)
from podium.routing.service import (
    RuleSetVersion,
    get_rules,
    rollback,
    rule_history,
    rule_version,
    save_rules,
)
from podium.routing.simulate import (
    Metrics,
    percentile,
)
from podium.routing.trial import (
    MAX_ORDERS,
    try_rules,
)
from podium.routing.waves import (
    optimise_wave,
)

__all__ = [
    "MAX_ORDERS",
    "REROUTABLE",
    "Metrics",
    "RoutingAllocator",
    "RuleSet",
    "RuleSetVersion",
    "compare",
    "constrain_order",
    "fill_backorders",
    "get_rules",
    "hold_queues",
    "on_inventory_changed",
    "optimise_wave",
    "orders_from_file",
    "percentile",
    "queue_orders",
    "recent_orders",
    "reject_shipment",
    "reroute_shipment",
    "reroute_warehouse",
    "rollback",
    "rule_history",
    "rule_version",
    "save_rules",
    "try_rules",
]
