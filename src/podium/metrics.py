"""Prometheus instruments every layer may count into (issue 19; docs/operations.md "Metrics").

Counters and histograms are recorded where things happen (a request, an order placed, a stock
push, an event delivered); figures that live in the database (outbox depth, open holds, dead
letters) are read at scrape time by the API's collector (``podium.api.metrics``), never on a
request's path.

With ``PROMETHEUS_MULTIPROC_DIR`` set before the process starts (``podium serve --workers N``
sets it), prometheus-client keeps every value in a memory-mapped file of that directory and one
scrape sums all processes' files; that choice is made when prometheus-client is first imported.
"""

from __future__ import annotations

import os

from prometheus_client import Counter, Gauge, Histogram

__all__ = [
    "BUS_FAILURES",
    "BUS_PUBLISHED",
    "CHANNEL_PUSH_FAILURES",
    "CHANNEL_PUSH_SECONDS",
    "CIRCUIT_STATE",
    "DB_POOL_IN_USE",
    "DB_POOL_SIZE",
    "DEAD_LETTERED",
    "HTTP_REQUESTS",
    "HTTP_SECONDS",
    "ORDERS_PLACED",
    "PRUNED_ROWS",
    "RELAY_LAG_SECONDS",
    "RESERVATIONS_REFUSED",
    "multiprocess_dir",
]

# Latency buckets: API requests take milliseconds; pushes to a platform take up to seconds.
_FAST = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
_SLOW = (0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0, 900.0, 3600.0)

HTTP_REQUESTS = Counter(
    "podium_http_requests",
    "HTTP requests answered, by route template (not the raw path) and status.",
    ["method", "route", "status"],
)
HTTP_SECONDS = Histogram(
    "podium_http_request_duration_seconds",
    "Time to answer an HTTP request, by route template.",
    ["method", "route"],
    buckets=_FAST,
)
ORDERS_PLACED = Counter(
    "podium_orders_placed", "Orders created (not redeliveries), by channel.", ["channel"]
)
RESERVATIONS_REFUSED = Counter(
    "podium_reservations_refused",
    "Orders refused for want of stock (on_shortage=reject: 409 insufficient_stock), by channel.",
    ["channel"],
)
CHANNEL_PUSH_SECONDS = Histogram(
    "podium_channel_push_duration_seconds",
    "Time a stock push to a channel's platform took, by channel.",
    ["channel"],
    buckets=_SLOW,
)
CHANNEL_PUSH_FAILURES = Counter(
    "podium_channel_push_failures",
    "Stock pushes the platform failed or partly refused, by channel.",
    ["channel"],
)
RELAY_LAG_SECONDS = Histogram(
    "podium_relay_lag_seconds",
    "From an event's commit to its delivery to every subscriber (the relay's lag).",
    buckets=_SLOW,
)
DEAD_LETTERED = Counter(
    "podium_events_dead_lettered", "Events the relay gave up on (dead letters) since start."
)
BUS_PUBLISHED = Counter(
    "podium_bus_published",
    "Events the message bus confirmed (a retry's re-publishes count again), by broker kind.",
    ["kind"],
)
BUS_FAILURES = Counter(
    "podium_bus_failures",
    "Relay passes whose publishing to the message bus failed, by broker kind.",
    ["kind"],
)
PRUNED_ROWS = Counter(
    "podium_pruned_rows",
    'Settled rows the retention pass deleted (docs/operations.md "Data lifecycle"), by table.',
    ["table"],
)
DB_POOL_IN_USE = Gauge(
    "podium_db_pool_connections_in_use",
    "Database connections checked out of this process's pool (summed over live processes).",
    multiprocess_mode="livesum",
)
DB_POOL_SIZE = Gauge(
    "podium_db_pool_size",
    "Connections the pools keep (PODIUM_DB_POOL_SIZE each, summed over live processes; "
    "overflow comes on top).",
    multiprocess_mode="livesum",
)
CIRCUIT_STATE = Gauge(
    "podium_circuit_state",
    "Circuit breaker per outgoing destination (podium.resilience): 0 closed, 1 half-open "
    "(probing), 2 open (calls fail fast). Worst state over live processes.",
    ["kind", "destination"],
    multiprocess_mode="livemax",
)


def multiprocess_dir() -> str | None:
    """The directory of multiprocess mode, or None when each process counts alone."""
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None
